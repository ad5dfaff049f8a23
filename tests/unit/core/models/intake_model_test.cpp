// The intake model's snapshot section: counts survive, and reasons added by a later build
// start at 0 instead of refusing an older snapshot.
#include "floorwatch/core/models/intake_model.h"

#include <doctest/doctest.h>

#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

TEST_CASE("the intake counts and the recent ids survive a save and a load") {
  const Config config = ConfigFrom("");
  SourcesModel sources(config);
  IntakeModel saved(config, sources);
  saved.stats().received = 10;
  saved.stats().applied = 7;
  saved.stats().rejected[static_cast<int>(RejectReason::kSchema)] = 3;
  saved.stats().input_auth_denied = 2;
  saved.stats().last_event_lag_ms = -40;
  CHECK(!saved.recent_ids().SeenBefore("e1"));
  std::string bytes;
  BinaryWriter w(bytes);
  saved.Save(w);

  IntakeModel loaded(config, sources);
  BinaryReader r(bytes);
  REQUIRE(loaded.Load(r, 1, LoadContext{}));
  CHECK(r.remaining() == 0);
  CHECK(loaded.stats().received == 10);
  CHECK(loaded.stats().applied == 7);
  CHECK(loaded.stats().rejected[static_cast<int>(RejectReason::kSchema)] == 3);
  CHECK(loaded.stats().input_auth_denied == 2);
  CHECK(loaded.stats().last_event_lag_ms == -40);
  CHECK(loaded.recent_ids().SeenBefore("e1"));
}

TEST_CASE("a snapshot from a build with fewer reject reasons loads, the new ones at 0") {
  std::string bytes;
  BinaryWriter w(bytes);
  for (uint64_t v : {5, 2, 0}) w.U64(v);  // received, applied, duplicate
  w.U32(2);                               // an older build knew two reasons
  w.U64(1);
  w.U64(2);
  w.U32(1);  // and one ignore reason
  w.U64(0);
  w.U64(0);  // input auth denied
  w.I64(0);  // lag
  const Config config = ConfigFrom("limits: {dedup_ids: 8}");
  SourcesModel sources(config);
  IntakeModel{config, sources}.recent_ids().Save(w);
  IntakeModel loaded(config, sources);
  BinaryReader r(bytes);
  REQUIRE(loaded.Load(r, 1, LoadContext{}));
  CHECK(loaded.stats().rejected[0] == 1);
  CHECK(loaded.stats().rejected[1] == 2);
  CHECK(loaded.stats().rejected[kRejectReasonCount - 1] == 0);
}
