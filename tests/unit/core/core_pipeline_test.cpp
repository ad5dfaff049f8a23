// The pipelined intake (Core::Stage, as the core loop feeds it): the same results, in the
// same order, as one OnPayload per message, also when applying a staged event re-enters the
// intake (its source's replay ends because the held events filled their limit).
#include <string>

#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

// A contact.queued of ~60 KB (an unknown field pads it: ignored, forward compatibility).
std::string BigQueued(int i, uint64_t seq) {
  return R"({"type":"contact.queued","ts":)" + std::to_string(kT0) + R"(,"contact":"c)" +
         std::to_string(i) + R"(","queue":"q","source":"acd-1","seq":)" + std::to_string(seq) +
         R"(,"pad":")" + std::string(60000, 'x') + "\"}";
}

}  // namespace

TEST_CASE("a staged event after one that fills the held limit is applied, not lost") {
  CoreFixture f;
  f.core.set_gap_handler([](std::string_view, uint64_t) { return true; });
  f.core.Stage(BigQueued(0, 1), f.clock.NowMs());
  // seq 2 never comes: from seq 3 on the live events are held for a replay, until their
  // bytes pass SourcesModel::kMaxHeldBytesPerSource and the replay ends by itself.
  const int n = static_cast<int>(SourcesModel::kMaxHeldBytesPerSource / 60000) + 20;
  for (int i = 1; i < n; ++i) f.core.Stage(BigQueued(i, i + 2), f.clock.NowMs());
  f.core.Flush();
  CHECK(f.core.ReplayingSources().empty());
  CHECK(f.core.stats().duplicate == 0);
  CHECK(f.core.stats().applied == static_cast<uint64_t>(n));
  CHECK(f.Qc("q").waiting == n);
}
