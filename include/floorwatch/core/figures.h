// The derived figures of docs/metrics.md, computed from a Tally: service level by the queue's
// formula, abandon ratio, ASA and AHT. One definition shared by /metrics, /api/v1/queues
// and (later) alert evaluation, so they can never disagree. NaN when a denominator is 0.
#pragma once

#include <cmath>
#include <limits>

#include "floorwatch/core/config.h"
#include "floorwatch/core/tally.h"

namespace floorwatch {

struct WindowFigures {
  double service_level_ratio;
  double abandon_ratio;
  double asa_seconds;
  double aht_seconds;
};

inline double Ratio(double num, double den) {
  return den == 0 ? std::numeric_limits<double>::quiet_NaN() : num / den;
}

inline WindowFigures ComputeFigures(const Tally& t, SlFormula formula) {
  const double a = static_cast<double>(t.answered);
  const double asl = static_cast<double>(t.answered_in_sl);
  const double b = static_cast<double>(t.abandoned - t.short_abandoned);
  const double bsl = static_cast<double>(t.abandoned_in_sl);
  double sl = 0;
  switch (formula) {
    case SlFormula::kAnsweredPlusAbandoned:
      sl = Ratio(asl, a + b);
      break;
    case SlFormula::kAnswered:
      sl = Ratio(asl, a);
      break;
    case SlFormula::kAbandonsPositive:
      sl = Ratio(asl + bsl, a + b);
      break;
  }
  return WindowFigures{
      sl,
      Ratio(b, a + b),
      Ratio(static_cast<double>(t.wait_ms) / 1000.0, a),
      Ratio(static_cast<double>(t.talk_ms + t.acw_ms) / 1000.0, static_cast<double>(t.handled)),
  };
}

inline const char* FormulaName(SlFormula f) {
  switch (f) {
    case SlFormula::kAnswered:
      return "answered";
    case SlFormula::kAbandonsPositive:
      return "abandons_positive";
    default:
      return "answered_plus_abandoned";
  }
}

}  // namespace floorwatch
