#include "floorwatch/core/models/registry.h"

namespace floorwatch {

const std::vector<MeasureDef>& AllMeasures() {
  static const std::vector<MeasureDef> all = [] {
    std::vector<MeasureDef> out;
    for (std::span<const MeasureDef> defs :
         {ContactsModel::MeasureDefs(), ServiceLevelModel::MeasureDefs(),
          AgentsModel::MeasureDefs(), ResolutionModel::MeasureDefs(), RepliesModel::MeasureDefs(),
          EscalationsModel::MeasureDefs(), CustomersModel::MeasureDefs(),
          FeedbackModel::MeasureDefs(), StaffingModel::MeasureDefs(), ForecastModel::MeasureDefs(),
          PredictionModel::MeasureDefs()}) {
      out.insert(out.end(), defs.begin(), defs.end());
    }
    return out;
  }();
  return all;
}

const MeasureDef* FindMeasureDef(std::string_view name) {
  for (const MeasureDef& d : AllMeasures()) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

}  // namespace floorwatch
