// The contacts model's view of waiting contacts for prediction: each one's priority, the
// live ones of a queue/channel (stale heap entries skipped), a change count that moves when
// a contact starts or stops waiting, and priorities across a snapshot (version 1: 0).
#include <algorithm>
#include <vector>

#include "floorwatch/core/binary_io.h"
#include "floorwatch/core/snapshot.h"
#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

using Waiting = std::vector<std::pair<int64_t, int32_t>>;  // (queued ms after kT0, priority)

Waiting WaitingIn(const Core& core, uint32_t qc) {
  Waiting out;
  core.models().contacts.ForEachWaiting(qc, [&](int64_t queued_ms, int32_t priority) {
    out.emplace_back(queued_ms - kT0, priority);
  });
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("contact.queued's priority is kept with the contact, 0 when it names none") {
  CoreFixture f;
  f.Queued("c1", "q", 0, R"(,"priority":7)");
  f.Queued("c2", "q", 1000);
  f.Queued("c3", "q", 2000, R"(,"priority":-3)");
  const SlotMap<Contact>& contacts = f.core.models().contacts.contacts();
  CHECK(contacts[contacts.Find("c1")].priority == 7);
  CHECK(contacts[contacts.Find("c2")].priority == 0);
  CHECK(contacts[contacts.Find("c3")].priority == -3);
}

TEST_CASE("the waiting contacts of a queue/channel are the live ones, with their priorities") {
  CoreFixture f;
  f.Queued("c1", "q", 0, R"(,"priority":2)");
  f.Queued("c2", "q", 1000);
  f.Queued("c3", "q", 2000);
  f.Queued("c4", "q", 3000);
  f.Queued("other", "q2", 500);
  f.Answered("c1", 4000);
  f.On("abandoned", "c3", 4000);
  f.On("transferred", "c4", 4000, R"(,"queue":"q2")");
  const uint32_t qc = f.QcIndex("q");
  CHECK(WaitingIn(f.core, qc) == Waiting{{1000, 0}});
  CHECK(WaitingIn(f.core, f.QcIndex("q2")) == Waiting{{500, 0}, {4000, 0}});
}

TEST_CASE("a slot reused by a new contact shows only the new contact's wait") {
  CoreFixture f;
  f.Queued("c0", "q", 0);
  f.Queued("c1", "q", 1000, R"(,"priority":4)");
  f.On("abandoned", "c1", 2000);  // freed; its heap entry stays below c0's
  f.Queued("c3", "q", 5000);      // reuses c1's slot
  CHECK(WaitingIn(f.core, f.QcIndex("q")) == Waiting{{0, 0}, {5000, 0}});
}

TEST_CASE("the waiting change count moves when a contact starts or stops waiting, only then") {
  CoreFixture f;
  f.Queued("c1", "q", 0);
  const ContactsModel& contacts = f.core.models().contacts;
  const uint32_t qc = f.QcIndex("q");
  uint64_t before = contacts.waiting_changes(qc);
  f.Queued("c1", "q", 0);  // a repeat: nothing changes
  f.On("escalated", "c1", 100);
  CHECK(contacts.waiting_changes(qc) == before);
  f.Queued("c2", "q", 200);
  CHECK(contacts.waiting_changes(qc) != before);
  before = contacts.waiting_changes(qc);
  f.Answered("c2", 300);
  CHECK(contacts.waiting_changes(qc) != before);
  before = contacts.waiting_changes(qc);
  f.On("ended", "c2", 400);
  CHECK(contacts.waiting_changes(qc) == before);
}

TEST_CASE("priorities are kept across a snapshot") {
  CoreFixture f;
  f.Queued("c1", "q", 0, R"(,"priority":7)");
  f.Queued("c2", "q", 1000, R"(,"priority":-2)");
  f.Queued("c3", "q", 2000);
  Core restored(f.core.config());
  RestoreSnapshotOf(f.core, restored);
  const uint32_t qc = restored.directory().Find("q", Channel::kVoice);
  REQUIRE(qc != kNoSlot);
  CHECK(WaitingIn(restored, qc) == Waiting{{0, 7}, {1000, -2}, {2000, 0}});
}

TEST_CASE("a version 1 contacts section is read with every contact at priority 0") {
  CoreFixture f("queues: [{id: q, channels: {voice: {}}}]");
  const uint32_t qc = f.QcIndex("q");
  std::string bytes;
  BinaryWriter w(bytes);
  w.I64(kT0);  // last expiry
  w.U64(0);    // expired
  w.U64(1);    // one contact: waiting in qc since kT0 + 1 s
  w.Str("c1");
  w.I64(kT0 + 1000);
  w.I64(0);
  w.I64(kT0 + 1000);
  w.U64(0);
  w.U32(qc);
  w.U32(1);
  w.U8(static_cast<uint8_t>(ContactState::kWaiting));
  w.U8(static_cast<uint8_t>(Channel::kVoice));
  w.U64(0);  // no pending wraps
  BinaryReader r(bytes);
  const std::vector<uint32_t> map{qc};
  REQUIRE(f.core.mutable_models().contacts.Load(r, 1, LoadContext{map}));
  CHECK(r.remaining() == 0);
  CHECK(WaitingIn(f.core, qc) == Waiting{{1000, 0}});
}
