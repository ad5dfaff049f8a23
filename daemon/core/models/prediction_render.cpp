// PredictionModel: its part of /metrics and /api/v1/queues.
#include <cmath>
#include <string>

#include "floorwatch/core/models/prediction_model.h"

namespace floorwatch {

void PredictionModel::RenderMetrics(MetricWriter& w, int64_t now_ms) const {
  const std::vector<std::string>& labels = directory_.labels();
  w.Family("floorwatch_queue_projected_service_level", "gauge",
           "Erlang C service level the queue/channel will run at if arrivals, AHT and the "
           "agents staffed now stay as they are (NaN without demand or AHT).");
  for (uint32_t qc = 0; qc < labels.size(); ++qc) {
    w.Sample("floorwatch_queue_projected_service_level", labels[qc],
             Figures(qc, now_ms).projected_service_level);
  }
  w.Family("floorwatch_queue_projected_breaches", "gauge",
           "Waiting contacts not yet past the service-level threshold that will pass it before "
           "the agents staffed now can answer them.");
  for (uint32_t qc = 0; qc < labels.size(); ++qc) {
    w.Sample("floorwatch_queue_projected_breaches", labels[qc],
             Figures(qc, now_ms).projected_breaches);
  }
  w.Family("floorwatch_queue_seconds_to_breach", "gauge",
           "Seconds before the first projected breach passes the service-level threshold (no "
           "sample when there is none).");
  for (uint32_t qc = 0; qc < labels.size(); ++qc) {
    const double seconds = Figures(qc, now_ms).seconds_to_breach;
    if (!std::isnan(seconds)) w.Sample("floorwatch_queue_seconds_to_breach", labels[qc], seconds);
  }
}

void PredictionModel::RenderQueueJson(JsonObject& o, uint32_t qc, int64_t now_ms) const {
  const PredictionFigures& f = Figures(qc, now_ms);
  JsonObject prediction(o.out(), "prediction");
  prediction.Number("projected_service_level", f.projected_service_level);
  prediction.Number("projected_breaches", f.projected_breaches);
  prediction.Number("seconds_to_breach", f.seconds_to_breach);  // null when there is none
  prediction.Close();
}

}  // namespace floorwatch
