// ServiceLevelModel: its part of /metrics and /api/v1/queues.
#include "floorwatch/core/models/service_level_model.h"

namespace floorwatch {
namespace {

constexpr std::array<std::string_view, 6> kOutcomes = {
    "offered", "answered", "answered_in_sl", "abandoned", "short_abandoned", "handled"};
constexpr int64_t Tally::*kOutcomeFields[] = {&Tally::offered,         &Tally::answered,
                                              &Tally::answered_in_sl,  &Tally::abandoned,
                                              &Tally::short_abandoned, &Tally::handled};

struct Counter {
  const char* name;
  const char* type;
  const char* help;
  double (*value)(const Tally& totals, int64_t transferred_out, const ChannelSettings& s);
};

// In the order they have always been rendered.
constexpr Counter kCounters[] = {
    {"floorwatch_queue_offered_total", "counter",
     "Contacts that entered the queue (transfers in included).",
     [](const Tally& t, int64_t, const ChannelSettings&) { return double(t.offered); }},
    {"floorwatch_queue_answered_total", "counter", "Contacts answered.",
     [](const Tally& t, int64_t, const ChannelSettings&) { return double(t.answered); }},
    {"floorwatch_queue_answered_in_sl_total", "counter",
     "Contacts answered with wait <= the service-level threshold.",
     [](const Tally& t, int64_t, const ChannelSettings&) { return double(t.answered_in_sl); }},
    {"floorwatch_queue_abandoned_total", "counter", "Contacts abandoned (short abandons included).",
     [](const Tally& t, int64_t, const ChannelSettings&) { return double(t.abandoned); }},
    {"floorwatch_queue_short_abandoned_total", "counter",
     "Contacts abandoned with wait < short_abandon_seconds.",
     [](const Tally& t, int64_t, const ChannelSettings&) { return double(t.short_abandoned); }},
    {"floorwatch_queue_transferred_out_total", "counter",
     "Contacts transferred away, waiting or connected (a connected one is also handled).",
     [](const Tally&, int64_t out, const ChannelSettings&) { return double(out); }},
    {"floorwatch_queue_handled_total", "counter", "Answered contacts whose conversation ended.",
     [](const Tally& t, int64_t, const ChannelSettings&) { return double(t.handled); }},
    {"floorwatch_queue_talk_seconds_total", "counter", "Sum of talk time of handled contacts.",
     [](const Tally& t, int64_t, const ChannelSettings&) { return double(t.talk_ms) / 1000.0; }},
    {"floorwatch_queue_acw_seconds_total", "counter", "Sum of after-contact work time.",
     [](const Tally& t, int64_t, const ChannelSettings&) { return double(t.acw_ms) / 1000.0; }},
    {"floorwatch_queue_service_level_threshold_seconds", "gauge",
     "The configured service-level threshold for this queue and channel.",
     [](const Tally&, int64_t, const ChannelSettings& s) { return s.sl_threshold_seconds; }},
    {"floorwatch_queue_service_level_target", "gauge",
     "The configured service-level target (0..1) for this queue and channel.",
     [](const Tally&, int64_t, const ChannelSettings& s) { return s.sl_target; }},
};

struct RatioFamily {
  const char* name;
  const char* help;
  double WindowFigures::*field;
};
constexpr RatioFamily kRatios[] = {
    {"floorwatch_queue_service_level_ratio", "Service level in the window, by the queue's formula.",
     &WindowFigures::service_level_ratio},
    {"floorwatch_queue_abandon_ratio",
     "(abandoned - short) / (answered + abandoned - short) in the window.",
     &WindowFigures::abandon_ratio},
    {"floorwatch_queue_asa_seconds", "Mean wait of contacts answered in the window.",
     &WindowFigures::asa_seconds},
    {"floorwatch_queue_aht_seconds",
     "Mean (talk + after-contact work) of contacts handled in the window.",
     &WindowFigures::aht_seconds},
};

}  // namespace

void ServiceLevelModel::RenderCounters(MetricWriter& w) const {
  const auto& labels = directory_.labels();
  for (const Counter& m : kCounters) {
    w.Family(m.name, m.type, m.help);
    for (uint32_t i = 0; i < per_qc_.size(); ++i) {
      const Traffic& t = per_qc_[i];
      w.Sample(m.name, labels[i], m.value(t.totals, t.transferred_out, directory_[i].settings));
    }
  }
}

void ServiceLevelModel::RenderHistogram(MetricWriter& w) const {
  std::vector<std::string> le;  // `,le="5"` etc.
  for (double b : config_.wait_buckets) {
    std::string s = ",le=\"";
    AppendValue(s, b);
    le.push_back(s + '"');
  }
  le.push_back(",le=\"+Inf\"");
  w.Family("floorwatch_queue_wait_seconds", "histogram",
           "Wait of answered contacts (ASA = _sum / _count).");
  const auto& labels = directory_.labels();
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    uint64_t cumulative = 0;
    for (size_t b = 0; b < le.size(); ++b) {
      cumulative += per_qc_[i].wait_buckets[b];
      w.Sample("floorwatch_queue_wait_seconds_bucket", labels[i], le[b], double(cumulative));
    }
    w.Sample("floorwatch_queue_wait_seconds_sum", labels[i],
             double(per_qc_[i].wait_bucket_sum_ms) / 1000.0);
    w.Sample("floorwatch_queue_wait_seconds_count", labels[i], double(cumulative));
  }
}

void ServiceLevelModel::RenderWindowRatios(MetricWriter& w,
                                           const std::vector<std::string>& window_labels) const {
  // Figures once per queue/channel and window, then one family at a time.
  const size_t windows = window_labels.size();
  std::vector<WindowFigures> figures(per_qc_.size() * windows);
  for (uint32_t i = 0; i < per_qc_.size(); ++i) {
    for (size_t win = 0; win < windows; ++win) {
      figures[i * windows + win] =
          ComputeFigures(WindowTally(i, win), directory_[i].settings.formula);
    }
  }
  const auto& labels = directory_.labels();
  for (const RatioFamily& r : kRatios) {
    w.Family(r.name, "gauge", r.help);
    for (uint32_t i = 0; i < per_qc_.size(); ++i) {
      for (size_t win = 0; win < windows; ++win) {
        w.Sample(r.name, labels[i], window_labels[win], figures[i * windows + win].*r.field);
      }
    }
  }
}

void ServiceLevelModel::RenderMetrics(MetricWriter& w, int64_t) const {
  std::vector<std::string> window_labels;  // `,window="15m"` etc.
  for (const WindowSpec& spec : config_.windows) {
    std::string s = ",window=\"";
    AppendLabelValue(s, spec.label);
    window_labels.push_back(s + '"');
  }
  RenderCounters(w);
  RenderHistogram(w);
  RenderWindowRatios(w, window_labels);
}

void ServiceLevelModel::RenderQueueJson(JsonObject& o, uint32_t qc, int64_t) const {
  const ChannelSettings& s = directory_[qc].settings;
  o.Number("service_level_threshold_seconds", s.sl_threshold_seconds);
  o.Number("service_level_target", s.sl_target);
  o.String("service_level_formula", FormulaName(s.formula));
  const Traffic& traffic = per_qc_[qc];
  const Tally& t = traffic.totals;
  JsonObject totals(o.out(), "totals");
  totals.Number("offered", double(t.offered));
  totals.Number("answered", double(t.answered));
  totals.Number("answered_in_sl", double(t.answered_in_sl));
  totals.Number("abandoned", double(t.abandoned));
  totals.Number("short_abandoned", double(t.short_abandoned));
  totals.Number("transferred_out", double(traffic.transferred_out));
  totals.Number("handled", double(t.handled));
  totals.Number("talk_seconds", double(t.talk_ms) / 1000.0);
  totals.Number("acw_seconds", double(t.acw_ms) / 1000.0);
  totals.Number("wait_seconds", double(t.wait_ms) / 1000.0);
  totals.Close();
}

void ServiceLevelModel::WindowOutcomes(uint32_t qc, size_t window,
                                       std::vector<OutcomeCount>& out) const {
  const Tally& t = WindowTally(qc, window);
  for (size_t k = 0; k < kOutcomes.size(); ++k) {
    out.push_back({kOutcomes[k], double(t.*kOutcomeFields[k])});
  }
}

void ServiceLevelModel::RenderWindowJson(JsonObject& o, uint32_t qc, size_t window) const {
  const WindowFigures f = ComputeFigures(WindowTally(qc, window), directory_[qc].settings.formula);
  o.Number("service_level_ratio", f.service_level_ratio);
  o.Number("abandon_ratio", f.abandon_ratio);
  o.Number("asa_seconds", f.asa_seconds);
  o.Number("aht_seconds", f.aht_seconds);
}

}  // namespace floorwatch
