// The contacts model tells every model when a contact's slot is freed, and only once the
// event that closed it has been seen by all observers.
#include <doctest/doctest.h>

#include "floorwatch/core/event_parser.h"
#include "floorwatch/core/models/contacts_model.h"
#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

struct Harness {
  explicit Harness(const std::string& yaml = "") : config(ConfigFrom(yaml)), directory(config) {
    directory.set_added_handler([this](uint32_t qc) { contacts.OnQueueChannelAdded(qc); });
    contacts.set_closed_handler([this](uint32_t c, int64_t) { closed.push_back(c); });
  }
  // Applies one event as the Core does; `closed_before_finish` is what was freed meanwhile.
  ApplyResult Apply(const std::string& json) {
    REQUIRE(parser.Parse(json).ok);
    EventContext context{parser.event(), kT0, {}};
    const ApplyResult r = contacts.Apply(context);
    last_change = context.contact;
    closed_before_finish = closed.size();
    contacts.FinishEvent(kT0);
    return r;
  }
  Config config;
  QueueDirectory directory;
  ContactsModel contacts{config, directory};
  EventParser parser;
  std::vector<uint32_t> closed;
  size_t closed_before_finish = 0;
  ContactChange last_change;
};

}  // namespace

TEST_CASE("an abandoned contact's slot is freed after the event, named in the change") {
  Harness h;
  h.Apply(R"({"type":"contact.queued","ts":1,"contact":"c1","queue":"q"})");
  CHECK(h.last_change.new_contact);
  const uint32_t slot = h.last_change.contact;
  h.Apply(R"({"type":"contact.abandoned","ts":2,"contact":"c1"})");
  CHECK(h.last_change.contact == slot);
  CHECK(h.closed_before_finish == 0);
  CHECK(h.closed == std::vector<uint32_t>{slot});
  CHECK(h.contacts.contacts().size() == 0);
}

TEST_CASE("an ended contact stays until its wrap, then its slot is freed") {
  Harness h;
  h.Apply(R"({"type":"contact.queued","ts":1,"contact":"c1","queue":"q"})");
  h.Apply(R"({"type":"contact.answered","ts":2,"contact":"c1","agent":"a"})");
  h.Apply(R"({"type":"contact.ended","ts":3,"contact":"c1"})");
  CHECK(h.closed.empty());
  h.Apply(R"({"type":"contact.wrapped","ts":4,"contact":"c1"})");
  CHECK(h.closed.size() == 1);
}

TEST_CASE("a transfer is not a new contact, and a refused event frees nothing") {
  Harness h;
  h.Apply(R"({"type":"contact.queued","ts":1,"contact":"c1","queue":"a"})");
  h.Apply(R"({"type":"contact.transferred","ts":2,"contact":"c1","queue":"b"})");
  CHECK_FALSE(h.last_change.new_contact);
  CHECK(h.Apply(R"({"type":"contact.ended","ts":3,"contact":"c1"})").outcome ==
        Outcome::kIgnored);  // not connected
  CHECK(h.closed.empty());
}

TEST_CASE("an expired contact's slot is freed at the tick") {
  Harness h("limits: {contact_ttl: 1m}");
  h.Apply(R"({"type":"contact.queued","ts":1,"contact":"c1","queue":"q"})");
  h.contacts.Tick(kT0 + 10 * 60'000);
  CHECK(h.closed.size() == 1);
  CHECK(h.contacts.contacts().size() == 0);
}
