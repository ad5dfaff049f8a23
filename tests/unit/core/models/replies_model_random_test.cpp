// The replies model's invariant under random chat traffic: per queue/channel, the awaiting
// replies and the oldest one's age equal what a plain reference derives from the contract
// (a customer message opens one on a waiting or connected contact unless one is open, an
// agent message closes it, it goes where the contact goes and closes when the contact ends,
// abandons or is dropped).
#include <map>
#include <random>

#include "core/models/replies_model_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

struct Reference {
  std::map<std::string, int64_t> open_since;  // contact id -> ts of the opening message

  // Follows one applied event; `contact`: as the contacts model holds it afterwards.
  void Apply(const std::string& type, const std::string& id, const std::string& from, int64_t ts,
             const Contact* contact) {
    if (contact == nullptr) return;
    if (type == "message" && from == "customer" && contact->state != ContactState::kEnded) {
      open_since.emplace(id, ts);  // kept if one is open
    } else if ((type == "message" && from == "agent") || type == "ended" || type == "abandoned") {
      open_since.erase(id);
    }
  }
  // Contacts the contacts model dropped (abandoned, wrapped, expired) have nothing open.
  void DropGone(const SlotMap<Contact>& contacts) {
    std::erase_if(open_since, [&](const auto& kv) { return contacts.Find(kv.first) == kNoSlot; });
  }
};

void CheckAgainst(ChatFixture& f, const Reference& ref) {
  const SlotMap<Contact>& contacts = f.core.models().contacts.contacts();
  std::map<uint32_t, std::pair<int64_t, int64_t>> expected;  // qc -> (count, oldest ts)
  for (const auto& [id, since] : ref.open_since) {
    auto [it, added] = expected.try_emplace(contacts[contacts.Find(id)].queue_channel, 0, since);
    ++it->second.first;
    it->second.second = std::min(it->second.second, since);
  }
  const int64_t now = f.clock.NowMs();
  for (uint32_t qc = 0; qc < f.core.directory().size(); ++qc) {
    const auto it = expected.find(qc);
    const int64_t count = it == expected.end() ? 0 : it->second.first;
    const double oldest =
        it == expected.end() ? 0.0 : std::max<int64_t>(0, now - it->second.second) / 1000.0;
    REQUIRE(f.replies().awaiting(qc) == count);
    REQUIRE(f.replies().OldestAwaitingSeconds(qc, now) == doctest::Approx(oldest));
  }
}

}  // namespace

TEST_CASE("awaiting replies and their oldest age match the contract under random traffic") {
  ChatFixture f("limits: {contact_ttl: 5m, wrap_timeout: 2m}");
  Reference ref;
  std::mt19937 rng(11);
  const char* types[] = {"queued",      "answered", "message", "message",  "message",
                         "transferred", "ended",    "wrapped", "abandoned"};
  const char* queues[] = {"a", "b", "c"};
  for (int i = 0; i < 20'000; ++i) {
    f.clock.Advance(static_cast<int64_t>(rng() % 400));
    if (i % 3'000 == 2'999) f.clock.Advance(6 * 60'000);  // a lull: idle contacts expire
    const int64_t at = f.clock.NowMs() - kT0 - 5'000 + static_cast<int64_t>(rng() % 6'000);
    const std::string id = "c" + std::to_string(rng() % 40);
    const std::string type = types[rng() % std::size(types)];
    const std::string from = rng() % 2 ? "customer" : "agent";
    const std::string queue = queues[rng() % std::size(queues)];
    ApplyResult r;
    if (type == "queued") {
      r = f.Enter(id, queue, at);
    } else if (type == "message") {
      r = f.Says(id, from, at);
    } else if (type == "transferred") {
      r = f.On(type, id, at, R"(,"queue":")" + queue + "\"");
    } else if (type == "answered") {
      r = f.Answered(id, at);
    } else {
      r = f.On(type, id, at);
    }
    const SlotMap<Contact>& contacts = f.core.models().contacts.contacts();
    const uint32_t slot = contacts.Find(id);
    if (r.outcome == Outcome::kApplied) {
      ref.Apply(type, id, from, kT0 + at, slot == kNoSlot ? nullptr : &contacts[slot]);
    }
    if (i % 50 == 0) f.core.Tick(f.clock.NowMs());
    ref.DropGone(contacts);
    CheckAgainst(f, ref);
  }
  CHECK(f.core.models().contacts.expired() > 0);  // expiry was exercised
}
