// Timing for the in-process benches (staffing, prediction): a step timed 21 times after an
// untimed preparation, reported as median and maximum in ms. Single-threaded.
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

namespace floorwatch::bench {

using BenchClock = std::chrono::steady_clock;

struct Stats {
  double median, max;
};

// `prepare(i)` (untimed), then `fn(i)` (timed), for i = 0..20.
template <typename Prepare, typename Fn>
Stats Time(Prepare&& prepare, Fn&& fn) {
  std::vector<double> ms;
  for (int i = 0; i < 21; ++i) {
    prepare(i);
    const auto t0 = BenchClock::now();
    fn(i);
    ms.push_back(std::chrono::duration<double, std::milli>(BenchClock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms.back()};
}

}  // namespace floorwatch::bench
