// Erlang C (the M/M/S queue): the chance an arrival waits, the service level S servers give,
// and the fewest agents that meet a service-level goal under an occupancy cap.
//
// Used by the staffing model (required agents, docs/staffing.md) and, for the projected
// service level, by prediction. Pure functions of their arguments; any thread.
//
// Numerics: nothing is raised to a power or divided by a factorial. Erlang B is built by
// its recursion B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1)), whose terms stay in [0, 1], and
// C(S, A) = S B(S) / (S - A (1 - B(S))); so A = 1,000 Erlangs (S ~ 1,050) is as exact as
// A = 1. Cost: O(S) per call.
#pragma once

#include <cstdint>

namespace floorwatch::erlang_c {

// Beyond this many servers RequiredAgents gives up (returns +Inf): a million contacts
// worked at once is not a queue this daemon will meet, and it bounds the work.
inline constexpr int64_t kMaxServers = 1'000'000;

// B(S, A): the blocking probability of S servers offered A Erlangs (1 for S = 0).
double BlockingProbability(int64_t servers, double load);
// C(S, A) from B(S, A), for S > A.
double WaitProbabilityFromBlocking(int64_t servers, double load, double blocking);
// C(S, A): the probability an arrival has to wait; 1 when S <= A (the queue only grows).
double WaitProbability(int64_t servers, double load);
// SL(S) = 1 - C(S, A) exp(-(S - A) T / AHT): the share answered within T seconds; 0 when
// S <= A. `aht_seconds` must be > 0.
double ServiceLevel(int64_t servers, double load, double aht_seconds, double threshold_seconds);
// Mean wait of all arrivals, C(S, A) AHT / (S - A); +Inf when S <= A.
double MeanWaitSeconds(int64_t servers, double load, double aht_seconds);

struct Goal {
  double threshold_seconds = 20;  // T
  double target = 0.8;            // SL(S) >= target
  double max_occupancy = 0.85;    // A / S <= max_occupancy
  int64_t concurrency = 1;        // c: one agent is c servers
};

// The smallest N >= 0 whose S = N x c servers have S > A, SL(S) >= target and
// A / S <= max_occupancy, with A = arrivals_per_second x aht_seconds: 0 when no contact
// arrives, NaN when some do but there is no AHT (NaN or <= 0), +Inf beyond kMaxServers.
double RequiredAgents(double arrivals_per_second, double aht_seconds, const Goal& goal);

}  // namespace floorwatch::erlang_c
