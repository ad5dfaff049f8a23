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
const std::vector<int64_t>& PredictionModel::OrderOf(uint32_t qc) const {
  if (orders_.size() <= qc) orders_.resize(directory_.size());
  Order& order = orders_[qc];
  const uint64_t changes = contacts_.waiting_changes(qc);
  if (order.changes == changes) return order.queued_ms;
  scratch_.clear();
  contacts_.ForEachWaiting(
      qc, [&](int64_t queued_ms, int32_t priority) { scratch_.emplace_back(priority, queued_ms); });
  std::sort(scratch_.begin(), scratch_.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  order.queued_ms.resize(scratch_.size());
  for (size_t i = 0; i < scratch_.size(); ++i) order.queued_ms[i] = scratch_[i].second;
  // A queue that once had a long line keeps no more than twice what it holds now.
  if (order.queued_ms.capacity() > 1024 && order.queued_ms.capacity() > 4 * order.queued_ms.size())
    order.queued_ms.shrink_to_fit();
  order.changes = changes;
  return order.queued_ms;
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
  const std::vector<int64_t>& order = OrderOf(qc);
  const Projection p = ProjectionOf(s);
  const double threshold_ms = static_cast<double>(directory_[qc].settings.sl_threshold_ms);
  int64_t breaches = 0;
  int64_t oldest_ms = -1;  // the largest age among them
  for (size_t i = 0; i < order.size(); ++i) {
    const int64_t age_ms = now_ms > order[i] ? now_ms - order[i] : 0;  // skew counts as 0
    const double age = static_cast<double>(age_ms);
    // One already past T is lost to the service level: not counted, but it still takes an
    // agent before the ones behind it, so it keeps its position.
    if (age > threshold_ms) continue;
    const double extra = p.ExtraMs(static_cast<int64_t>(i) + 1);
    if (std::isnan(extra)) {  // beyond the free slots, and no AHT to project it with
      f.projected_breaches = f.seconds_to_breach = kNaN;
      return;
    }
    if (age + extra <= threshold_ms) continue;
    ++breaches;
    oldest_ms = std::max(oldest_ms, age_ms);
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
