#include "floorwatch/core/models/prediction_model.h"

#include <algorithm>
#include <cmath>

#include "floorwatch/core/erlang_c.h"

namespace floorwatch {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

constexpr MeasureDef kMeasures[] = {
    {"projected_service_level", false, MeasureUnit::kRatio},
    {"projected_breaches", false, MeasureUnit::kCount},
    {"seconds_to_breach", false, MeasureUnit::kSeconds},
};

}  // namespace

PredictionModel::PredictionModel(const Config&, const QueueDirectory& directory,
                                 const IntakeModel& intake, const ContactsModel& contacts,
                                 const StaffingModel& staffing)
    : directory_(directory), intake_(intake), contacts_(contacts), staffing_(staffing) {}

bool PredictionModel::Load(BinaryReader&, uint32_t, const LoadContext&) {
  ++generation_;  // the models it reads were just restored
  return true;
}

PredictionModel::Projection PredictionModel::ProjectionOf(const StaffingFigures& s) {
  // With S slots busy, one finishes every AHT / S on average; with none, nobody waiting
  // beyond the free slots (there are none either) is ever answered.
  return {s.free_slots, s.slots > 0 ? s.aht_seconds * 1000.0 / static_cast<double>(s.slots) : kInf};
}

const PredictionFigures& PredictionModel::Figures(uint32_t queue_channel, int64_t now_ms) const {
  if (!cached_ || cached_generation_ != generation_ || cached_applied_ != intake_.stats().applied ||
      cached_now_ms_ != now_ms || figures_.size() != directory_.size()) {
    Refresh(now_ms);
  }
  return figures_[queue_channel];
}

void PredictionModel::Refresh(int64_t now_ms) const {
  const uint32_t n = static_cast<uint32_t>(directory_.size());
  figures_.resize(n);
  orders_.resize(n);
  sl_memo_.resize(n);
  for (uint32_t qc = 0; qc < n; ++qc) {
    const StaffingFigures& s = staffing_.Figures(qc);
    PredictionFigures& f = figures_[qc];
    f.waiting = s.waiting;
    f.offered = s.offered;
    f.projected_service_level = ProjectedServiceLevel(qc, s);
    Breaches(qc, s, now_ms, f);
  }
  cached_ = true;
  cached_generation_ = generation_;
  cached_applied_ = intake_.stats().applied;
  cached_now_ms_ = now_ms;
}

// The queue answers its waiting contacts highest priority first, then longest waiting
// first. Contacts of equal priority queued at the same ms are not ordered further (the
// contract says "by arrival"): they have the same age, so whichever of two such contacts
// takes position k and which k + 1, the pairs (age, position) are the same, and so is every
// figure built from them.
const PredictionModel::Order& PredictionModel::OrderOf(uint32_t qc) const {
  if (orders_.size() <= qc) orders_.resize(directory_.size());
  Order& order = orders_[qc];
  const uint64_t changes = contacts_.waiting_changes(qc);
  if (order.changes == changes) return order;
  scratch_.clear();
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  contacts_.ForEachWaiting(qc, [&](int64_t queued_ms, int32_t priority) {
    scratch_.emplace_back(priority, queued_ms);
    lo = std::min(lo, queued_ms);
    hi = std::max(hi, queued_ms);
  });
  std::sort(scratch_.begin(), scratch_.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  // Unsigned: hi - lo may not fit an int64_t (ts from both ends of its range).
  const bool narrow =
      scratch_.empty() || static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) <= UINT32_MAX;
  order.base_ms = narrow && !scratch_.empty() ? lo : 0;
  order.offsets.resize(narrow ? scratch_.size() : 0);
  order.wide.resize(narrow ? 0 : scratch_.size());
  for (size_t i = 0; i < scratch_.size(); ++i) {
    if (narrow) {
      order.offsets[i] = static_cast<uint32_t>(scratch_[i].second - lo);
    } else {
      order.wide[i] = scratch_[i].second;
    }
  }
  // A queue that once had a long line keeps no more than twice what it holds now.
  const auto trim = [](auto& v) {
    if (v.capacity() > 1024 && v.capacity() > 4 * v.size()) v.shrink_to_fit();
  };
  trim(order.offsets);
  trim(order.wide);
  order.changes = changes;
  return order;
}

double PredictionModel::ProjectedServiceLevel(uint32_t qc, const StaffingFigures& s) const {
  // λ is NaN without a rolling window, the AHT NaN when there is none (or it is 0).
  if (!(s.arrivals_per_second > 0) || std::isnan(s.aht_seconds)) return kNaN;
  const double threshold = directory_[qc].settings.sl_threshold_seconds;
  SlMemo& m = sl_memo_[qc];
  // Erlang C is O(S): most queue/channels' inputs do not move between two passes.
  if (m.slots != s.slots || m.load != s.load_erlangs || m.aht_seconds != s.aht_seconds ||
      m.threshold_seconds != threshold) {
    m = {s.slots, s.load_erlangs, s.aht_seconds, threshold,
         erlang_c::ServiceLevel(s.slots, s.load_erlangs, s.aht_seconds, threshold)};
  }
  return m.value;  // 0 when S <= A: the queue only grows
}

void PredictionModel::Breaches(uint32_t qc, const StaffingFigures& s, int64_t now_ms,
                               PredictionFigures& f) const {
  const Projection p = ProjectionOf(s);
  const double threshold_ms = static_cast<double>(directory_[qc].settings.sl_threshold_ms);
  int64_t breaches = 0;
  int64_t oldest_ms = -1;  // the largest age among them
  bool unknown = false;
  OrderOf(qc).ForEach([&](size_t i, int64_t queued_ms) {
    if (unknown) return;
    const int64_t age_ms = now_ms > queued_ms ? now_ms - queued_ms : 0;  // skew counts as 0
    const double age = static_cast<double>(age_ms);
    // One already past T is lost to the service level: not counted, but it still takes an
    // agent before the ones behind it, so it keeps its position.
    if (age > threshold_ms) return;
    const double extra = p.ExtraMs(static_cast<int64_t>(i) + 1);
    if (std::isnan(extra)) {  // beyond the free slots, and no AHT to project it with
      unknown = true;
      return;
    }
    if (age + extra <= threshold_ms) return;
    ++breaches;
    oldest_ms = std::max(oldest_ms, age_ms);
  });
  if (unknown) {
    f.projected_breaches = f.seconds_to_breach = kNaN;
    return;
  }
  f.projected_breaches = static_cast<double>(breaches);
  f.seconds_to_breach = breaches == 0 ? kNaN : (threshold_ms - double(oldest_ms)) / 1000.0;
}

std::span<const MeasureDef> PredictionModel::MeasureDefs() { return kMeasures; }

Reading PredictionModel::Measure(size_t measure, uint32_t qc, size_t, int64_t now_ms) const {
  const PredictionFigures& f = Figures(qc, now_ms);
  switch (measure) {
    case 0:
      return {f.projected_service_level, f.offered};
    case 1:
      return {f.projected_breaches, f.waiting};
    default:
      return {f.seconds_to_breach, f.waiting};
  }
}

}  // namespace floorwatch
