#include "floorwatch/core/erlang_c.h"

#include <cmath>
#include <limits>

namespace floorwatch::erlang_c {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// One step of the Erlang B recursion: B(k) from B(k-1).
double NextBlocking(double previous, int64_t k, double load) {
  const double x = load * previous;
  return x / (static_cast<double>(k) + x);
}

double ServiceLevelFrom(int64_t servers, double load, double blocking, double aht_seconds,
                        double threshold_seconds) {
  const double s = static_cast<double>(servers);
  const double c = WaitProbabilityFromBlocking(servers, load, blocking);
  return 1.0 - c * std::exp(-(s - load) * threshold_seconds / aht_seconds);
}

}  // namespace

double BlockingProbability(int64_t servers, double load) {
  double b = 1.0;
  for (int64_t k = 1; k <= servers; ++k) b = NextBlocking(b, k, load);
  return b;
}

double WaitProbabilityFromBlocking(int64_t servers, double load, double blocking) {
  const double s = static_cast<double>(servers);
  return s * blocking / (s - load * (1.0 - blocking));
}

double WaitProbability(int64_t servers, double load) {
  if (static_cast<double>(servers) <= load) return 1.0;
  return WaitProbabilityFromBlocking(servers, load, BlockingProbability(servers, load));
}

double ServiceLevel(int64_t servers, double load, double aht_seconds, double threshold_seconds) {
  if (static_cast<double>(servers) <= load) return 0.0;
  return ServiceLevelFrom(servers, load, BlockingProbability(servers, load), aht_seconds,
                          threshold_seconds);
}

double MeanWaitSeconds(int64_t servers, double load, double aht_seconds) {
  const double s = static_cast<double>(servers);
  if (s <= load) return kInf;
  return WaitProbability(servers, load) * aht_seconds / (s - load);
}

double RequiredAgents(double arrivals_per_second, double aht_seconds, const Goal& goal) {
  if (arrivals_per_second == 0) return 0;
  if (!(aht_seconds > 0) || !(arrivals_per_second > 0)) return kNaN;
  const double load = arrivals_per_second * aht_seconds;
  const int64_t c = goal.concurrency < 1 ? 1 : goal.concurrency;
  // One pass of the recursion: B(k) for every k, checked at each whole agent (k = N x c).
  double b = 1.0;
  for (int64_t k = 1; k <= kMaxServers; ++k) {
    b = NextBlocking(b, k, load);
    if (k % c != 0) continue;
    const double s = static_cast<double>(k);
    if (s <= load || load / s > goal.max_occupancy) continue;
    if (ServiceLevelFrom(k, load, b, aht_seconds, goal.threshold_seconds) >= goal.target) {
      return static_cast<double>(k / c);
    }
  }
  return kInf;
}

}  // namespace floorwatch::erlang_c
