// floorwatch-prediction-accuracy CONFIG EVENTS: how right the projected breaches are
// (docs/prediction.md "How accurate it is"). Replays a JSON-lines file of events (the
// simulator's day, bench/floorsim_day.py) through an in-process Core on a fake clock that is
// the events' ts; every 200 ms of event time (CoreLoop::kAlertEvalMs) it reads the
// projection the way an alert evaluation does, and a Tick every second as the core loop
// does. Prints one JSON object (bench/prediction_accuracy.py runs it per seed).
//
// Definitions (the unit is a *wait*: one contact's stay in one queue/channel, from the
// contact.queued or the transfer that put it there until it is answered, abandons or is
// transferred on; a transferred contact starts a new wait, as the daemon's queued time does):
//  - a wait is *projected* when at one evaluation or more the prediction model counted it as
//    a projected breach (its age <= T and its projected wait > T); however many evaluations
//    did, it counts once, at the first;
//  - a wait *breached* when it lasted longer than T (it passed the threshold while waiting);
//  - precision = projected waits that breached / projected waits; precision without
//    abandons leaves out of both the projected waits that ended in an abandon within T;
//  - recall = breached waits that were projected / breached waits; recall at 10 s: projected
//    at least 10 s before they passed T; lead = T - age at the first projection, over the
//    breached waits that were projected (median, p10: a tenth had less).
// A wait still open at the end of the file counts as breached if it is past T by then, and is
// left out (counted as `open_at_end`) if not.
// Self-checks, printed: how many evaluations found another number of projected breaches than
// the model's own figure, or another number of waiting contacts than the model's count (both
// 0 when the bench follows the model exactly).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "floorwatch/config/config_loader.h"
#include "floorwatch/core/core.h"
#include "floorwatch/core/event_parser.h"

namespace floorwatch::bench {
namespace {

constexpr int64_t kEvalMs = 200;  // CoreLoop::kAlertEvalMs
constexpr int64_t kTickMs = 1000;
constexpr int64_t kLeadMs = 10'000;

struct Tally {
  int64_t waits = 0, open_at_end = 0;
  int64_t projected = 0, projected_breached = 0, projected_answered = 0, projected_abandoned = 0,
          projected_transferred = 0;
  int64_t breached = 0, breached_projected = 0, breached_projected_10s = 0;
  int64_t breached_unprojected_no_aht = 0;
  std::vector<double> leads_s;
  void Add(const Tally& o) {
    waits += o.waits, open_at_end += o.open_at_end, projected += o.projected;
    projected_breached += o.projected_breached, projected_answered += o.projected_answered;
    projected_abandoned += o.projected_abandoned, projected_transferred += o.projected_transferred;
    breached += o.breached, breached_projected += o.breached_projected;
    breached_projected_10s += o.breached_projected_10s;
    breached_unprojected_no_aht += o.breached_unprojected_no_aht;
    leads_s.insert(leads_s.end(), o.leads_s.begin(), o.leads_s.end());
  }
};

struct OpenWait {
  uint32_t qc = kNoSlot;
  int64_t queued_ms = 0;
  int64_t first_projected_ms = -1;
  bool saw_nan = false;  // at an evaluation while it waited, its queue/channel had no AHT
};

enum class Ending { kAnswered, kAbandoned, kTransferred, kOther, kOpen };

void PrintRatio(const char* name, int64_t num, int64_t den) {
  if (den == 0) {
    std::printf(",\"%s\":null", name);
  } else {
    std::printf(",\"%s\":%.4f", name, static_cast<double>(num) / static_cast<double>(den));
  }
}

void PrintTally(const char* name, Tally t) {
  std::printf(
      "\"%s\":{\"waits\":%lld,\"open_at_end\":%lld,\"projected\":%lld,\"projected_breached\":%"
      "lld,\"projected_answered_in_time\":%lld,\"projected_abandoned_in_time\":%lld,"
      "\"projected_transferred_in_time\":%lld,\"breached\":%lld,\"breached_projected\":%lld,"
      "\"breached_projected_10s\":%lld,\"breached_unprojected_no_aht\":%lld",
      name, (long long)t.waits, (long long)t.open_at_end, (long long)t.projected,
      (long long)t.projected_breached, (long long)t.projected_answered,
      (long long)t.projected_abandoned, (long long)t.projected_transferred, (long long)t.breached,
      (long long)t.breached_projected, (long long)t.breached_projected_10s,
      (long long)t.breached_unprojected_no_aht);
  PrintRatio("precision", t.projected_breached, t.projected);
  PrintRatio("precision_without_abandons", t.projected_breached,
             t.projected - t.projected_abandoned);
  PrintRatio("recall", t.breached_projected, t.breached);
  PrintRatio("recall_10s", t.breached_projected_10s, t.breached);
  std::sort(t.leads_s.begin(), t.leads_s.end());
  if (t.leads_s.empty()) {
    std::printf(",\"lead_median_s\":null,\"lead_p10_s\":null}");
  } else {
    const size_t n = t.leads_s.size();
    std::printf(",\"lead_median_s\":%.2f,\"lead_p10_s\":%.2f}", t.leads_s[(n - 1) / 2],
                t.leads_s[(n - 1) / 10]);
  }
}

class Replay {
 public:
  explicit Replay(const Config& config) : core_(config) {}

  // Evaluates up to the event's ts, applies it and follows the waits it starts or ends.
  void Feed(const std::string& line) {
    if (!parser_.Parse(line).ok) {
      ++unparsed_;
      return;
    }
    const Event& e = parser_.event();
    const int64_t ts = e.ts_ms;
    const std::string contact(e.contact);
    const bool contact_event = !contact.empty();
    const EventType type = e.type;
    if (next_eval_ms_ < 0) next_eval_ms_ = last_tick_ms_ = ts;
    EvaluateUntil(ts);
    const OpenWait before = contact_event ? WaitingNow(contact) : OpenWait{};
    ++events_;
    if (core_.OnPayload(line, ts).outcome != Outcome::kApplied) ++not_applied_;
    end_ms_ = std::max(end_ms_, ts);
    if (!contact_event) return;
    const OpenWait after = WaitingNow(contact);
    const bool same = before.qc == after.qc && before.queued_ms == after.queued_ms;
    if (before.qc != kNoSlot && (after.qc == kNoSlot || !same)) End(contact, ts, EndingOf(type));
    if (after.qc != kNoSlot && (before.qc == kNoSlot || !same)) Start(contact, after);
  }

  void Finish() {
    EvaluateUntil(end_ms_);
    std::vector<std::string> open;
    for (const auto& [id, wait] : open_) open.push_back(id);
    for (const std::string& id : open) End(id, end_ms_, Ending::kOpen);
  }

  void Print() const;

 private:
  static Ending EndingOf(EventType type) {
    switch (type) {
      case EventType::kContactAnswered:
        return Ending::kAnswered;
      case EventType::kContactAbandoned:
        return Ending::kAbandoned;
      case EventType::kContactTransferred:
        return Ending::kTransferred;
      default:
        return Ending::kOther;
    }
  }

  // The contact's wait now; qc kNoSlot when it is not waiting.
  OpenWait WaitingNow(const std::string& id) const {
    const auto& contacts = core_.models().contacts.contacts();
    const uint32_t slot = contacts.Find(id);
    if (slot == SlotMap<Contact>::kNone) return {};
    const Contact& c = contacts[slot];
    if (c.state != ContactState::kWaiting) return {};
    return OpenWait{c.queue_channel, c.queued_ms};
  }

  Tally& TallyOf(uint32_t qc) {
    if (tallies_.size() <= qc) tallies_.resize(qc + 1);
    return tallies_[qc];
  }

  void Start(const std::string& id, const OpenWait& wait) {
    if (by_qc_.size() <= wait.qc) by_qc_.resize(wait.qc + 1);
    by_qc_[wait.qc].emplace(wait.queued_ms, id);
    open_[id] = wait;
  }

  void End(const std::string& id, int64_t end_ms, Ending how);
  void EvaluateUntil(int64_t ts);
  void Evaluate(int64_t now_ms);
  int64_t MarkProjected(uint32_t qc, int64_t now_ms);

  Core core_;
  EventParser parser_;
  std::unordered_map<std::string, OpenWait> open_;
  std::vector<std::multimap<int64_t, std::string>> by_qc_;  // queued_ms -> contact, per qc
  std::vector<Tally> tallies_;                              // per qc
  int64_t next_eval_ms_ = -1, last_tick_ms_ = 0, end_ms_ = 0;
  int64_t events_ = 0, unparsed_ = 0, not_applied_ = 0, evaluations_ = 0;
  int64_t figure_mismatches_ = 0, waiting_mismatches_ = 0;
};

void Replay::End(const std::string& id, int64_t end_ms, Ending how) {
  const auto it = open_.find(id);
  if (it == open_.end()) return;
  const OpenWait w = it->second;
  open_.erase(it);
  auto& line = by_qc_[w.qc];
  for (auto [i, last] = line.equal_range(w.queued_ms); i != last; ++i) {
    if (i->second == id) {
      line.erase(i);
      break;
    }
  }
  const int64_t threshold_ms = core_.directory()[w.qc].settings.sl_threshold_ms;
  const bool breached = end_ms - w.queued_ms > threshold_ms;
  Tally& t = TallyOf(w.qc);
  if (how == Ending::kOpen && !breached) {
    ++t.open_at_end;
    return;
  }
  ++t.waits;
  const bool projected = w.first_projected_ms >= 0;
  if (projected) {
    ++t.projected;
    if (breached) {
      ++t.projected_breached;
    } else if (how == Ending::kAnswered) {
      ++t.projected_answered;
    } else if (how == Ending::kAbandoned) {
      ++t.projected_abandoned;
    } else if (how == Ending::kTransferred) {
      ++t.projected_transferred;
    }
  }
  if (!breached) return;
  ++t.breached;
  if (!projected) {
    t.breached_unprojected_no_aht += w.saw_nan;
    return;
  }
  ++t.breached_projected;
  const int64_t lead_ms = w.queued_ms + threshold_ms - w.first_projected_ms;
  t.leads_s.push_back(static_cast<double>(lead_ms) / 1000.0);
  if (lead_ms >= kLeadMs) ++t.breached_projected_10s;
}

void Replay::EvaluateUntil(int64_t ts) {
  while (next_eval_ms_ <= ts) {
    if (next_eval_ms_ - last_tick_ms_ >= kTickMs) {
      last_tick_ms_ = next_eval_ms_;
      core_.Tick(next_eval_ms_);
    }
    Evaluate(next_eval_ms_);
    next_eval_ms_ += kEvalMs;
  }
}

void Replay::Evaluate(int64_t now_ms) {
  ++evaluations_;
  const PredictionModel& model = core_.models().prediction;
  const ContactsModel& contacts = core_.models().contacts;
  const uint32_t qcs = static_cast<uint32_t>(core_.directory().size());
  for (uint32_t qc = 0; qc < qcs; ++qc) {
    const size_t mine = qc < by_qc_.size() ? by_qc_[qc].size() : 0;
    if (static_cast<int64_t>(mine) != contacts.waiting(qc)) ++waiting_mismatches_;
    if (contacts.waiting(qc) == 0) continue;
    const double figure = model.Figures(qc, now_ms).projected_breaches;
    const int64_t found = MarkProjected(qc, now_ms);
    if (std::isnan(figure)) {
      for (const auto& [queued_ms, id] : by_qc_[qc]) open_.at(id).saw_nan = true;
    } else if (static_cast<int64_t>(figure) != found) {
      ++figure_mismatches_;
    }
  }
}

// Marks the waits the model projects to breach in the queue/channel now; returns how many.
int64_t Replay::MarkProjected(uint32_t qc, int64_t now_ms) {
  if (qc >= by_qc_.size()) return 0;
  const int64_t threshold_ms = core_.directory()[qc].settings.sl_threshold_ms;
  const auto& line = by_qc_[qc];
  int64_t found = 0, tie_ms = -1, tie = 0;
  core_.models().prediction.ForEachProjected(qc, now_ms, [&](int64_t queued_ms, double wait_s) {
    tie = queued_ms == tie_ms ? tie + 1 : 0;  // contacts queued in the same ms: by arrival
    tie_ms = queued_ms;
    const int64_t age_ms = now_ms > queued_ms ? now_ms - queued_ms : 0;
    if (age_ms > threshold_ms || std::isnan(wait_s) || wait_s * 1000.0 <= threshold_ms) return;
    ++found;
    auto [i, last] = line.equal_range(queued_ms);
    for (int64_t k = 0; k < tie && i != last; ++k) ++i;
    if (i == last) return;
    OpenWait& w = open_.at(i->second);
    if (w.first_projected_ms < 0) w.first_projected_ms = now_ms;
  });
  return found;
}

void Replay::Print() const {
  std::array<Tally, kChannelCount> channels;
  Tally overall;
  std::printf(
      "{\"bench\":\"prediction_accuracy\",\"events\":%lld,\"unparsed\":%lld,"
      "\"not_applied\":%lld,\"evaluations\":%lld,\"figure_mismatches\":%lld,"
      "\"waiting_mismatches\":%lld,\"queue_channels\":{",
      (long long)events_, (long long)unparsed_, (long long)not_applied_, (long long)evaluations_,
      (long long)figure_mismatches_, (long long)waiting_mismatches_);
  for (uint32_t qc = 0; qc < tallies_.size(); ++qc) {
    const QueueChannel& q = core_.directory()[qc];
    const std::string name =
        core_.directory().QueueOf(qc).id + "/" + std::string(ChannelName(q.channel));
    if (qc > 0) std::printf(",");
    PrintTally(name.c_str(), tallies_[qc]);
    channels[static_cast<int>(q.channel)].Add(tallies_[qc]);
    overall.Add(tallies_[qc]);
  }
  std::printf("},\"channels\":{");
  bool first = true;
  for (int c = 0; c < kChannelCount; ++c) {
    if (channels[c].waits + channels[c].open_at_end == 0) continue;
    if (!first) std::printf(",");
    first = false;
    PrintTally(std::string(kChannelNames[c]).c_str(), channels[c]);
  }
  std::printf("},");
  PrintTally("overall", overall);
  std::printf("}\n");
}

}  // namespace
}  // namespace floorwatch::bench

int main(int argc, char** argv) {
  using namespace floorwatch;
  if (argc != 3) {
    std::fprintf(stderr, "usage: floorwatch-prediction-accuracy CONFIG EVENTS.jsonl\n");
    return 2;
  }
  ConfigResult loaded = LoadConfigFromFile(argv[1]);
  if (auto* e = std::get_if<ConfigError>(&loaded)) {
    std::fprintf(stderr, "%s\n", e->message.c_str());
    return 1;
  }
  std::ifstream in(argv[2]);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[2]);
    return 1;
  }
  bench::Replay replay(std::get<Config>(loaded));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) replay.Feed(line);
  }
  replay.Finish();
  replay.Print();
  return 0;
}
