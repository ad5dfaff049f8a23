// The JSON of the wallboard's views: /api/v1/teams (per team: labels, agents by state, the
// windowed counts and figures) and /api/v1/escalations (escalation teams, and the
// queue/channels with escalations, with the desk's window figures).
#include <doctest/doctest.h>
#include <simdjson.h>

#include <cmath>
#include <map>

#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

constexpr const char* kConfig = R"(
teams:
  - {id: va-de, labels: {vendor: vendor-a, market: de}}
  - {id: ih-de, labels: {vendor: inhouse, market: de}}
queues:
  - {id: care, labels: {site: lisbon}}
)";

// The JSON as path -> value text. An array element is named by its "team", or by its
// "queue/channel", so "teams.va-de.windows.15m.handled" or "queues.care/voice.labels.site".
void Flatten(simdjson::dom::element e, const std::string& path,
             std::map<std::string, std::string>& out) {
  using simdjson::dom::element_type;
  if (e.type() == element_type::OBJECT) {
    for (auto kv : e.get_object()) Flatten(kv.value, path + "." + std::string(kv.key), out);
  } else if (e.type() == element_type::ARRAY) {
    for (simdjson::dom::element item : e.get_array()) {
      std::string_view team, queue, channel;
      std::string name;
      if (!item["team"].get(team)) {
        name = team;
      } else if (!item["queue"].get(queue) && !item["channel"].get(channel)) {
        name = std::string(queue) + "/" + std::string(channel);
      }
      REQUIRE(!name.empty());
      REQUIRE(out.count(path + "." + name + ".") == 0);
      out[path + "." + name + "."] = "";  // marks it present, even when it has nothing else
      Flatten(item, path + "." + name, out);
    }
  } else {
    std::string_view s;
    out[path] = e.get(s) ? simdjson::to_string(e) : std::string(s);
  }
}

struct Views : CoreFixture {
  explicit Views(const std::string& yaml = kConfig) : CoreFixture(yaml) {}

  std::map<std::string, std::string> Parse(const std::string& text) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    REQUIRE_MESSAGE(!parser.parse(simdjson::padded_string(text)).get(doc), text);
    std::map<std::string, std::string> out;
    Flatten(doc, "", out);
    return out;
  }
  std::map<std::string, std::string> Teams() {
    core.Tick(clock.NowMs());
    std::string out;
    core.RenderTeamsJson(out, clock.NowMs());
    return Parse(out);
  }
  std::map<std::string, std::string> Escalations() {
    core.Tick(clock.NowMs());
    std::string out;
    core.RenderEscalationsJson(out, clock.NowMs());
    return Parse(out);
  }
  void Login(const std::string& agent, const std::string& team) {
    Agent("login", agent, R"(,"team":")" + team + R"(","queues":["care"])");
  }
  // A contact of `agent` answered at `at`, ended after `talk_s`, wrapped 10 s later.
  void Handled(const std::string& contact, const std::string& agent, int64_t at, int64_t talk_s) {
    Queued(contact, "care", at);
    On("answered", contact, at + 1000, R"(,"agent":")" + agent + "\"");
    On("ended", contact, at + 1000 + talk_s * 1000);
    On("wrapped", contact, at + 11'000 + talk_s * 1000);
  }
  void Survey(const std::string& contact, int csat, int nps) {
    Feed(R"({"type":"contact.survey","ts":)" + std::to_string(clock.NowMs()) + R"(,"contact":")" +
         contact + R"(","csat":)" + std::to_string(csat) + R"(,"nps":)" + std::to_string(nps) +
         "}");
  }
  void Evaluated(const std::string& contact, int score) {
    Feed(R"({"type":"contact.evaluated","ts":)" + std::to_string(clock.NowMs()) +
         R"(,"contact":")" + contact + R"(","score":)" + std::to_string(score) + "}");
  }
};

double Num(const std::map<std::string, std::string>& json, const std::string& path) {
  const auto it = json.find(path);
  REQUIRE_MESSAGE(it != json.end(), "no " << path);
  return it->second == "null" ? std::nan("") : std::stod(it->second);
}

bool Has(const std::map<std::string, std::string>& json, const std::string& path) {
  return json.count(path) != 0;
}

size_t CountUnder(const std::map<std::string, std::string>& json, const std::string& prefix) {
  size_t n = 0;
  for (auto it = json.lower_bound(prefix); it != json.end() && it->first.rfind(prefix, 0) == 0;
       ++it)
    ++n;
  return n;
}

}  // namespace

TEST_CASE("every configured team is listed with its labels and its agents by state") {
  Views v;
  v.Login("a1", "va-de");
  v.Agent("state", "a1", R"(,"state":"available")");
  v.Login("a2", "ih-de");
  const auto json = v.Teams();
  CHECK(json.at(".teams.va-de.labels.vendor") == "vendor-a");
  CHECK(json.at(".teams.va-de.labels.market") == "de");
  CHECK(Num(json, ".teams.va-de.agents.available") == 1);
  CHECK(Num(json, ".teams.va-de.agents.not_ready") == 0);
  CHECK(Num(json, ".teams.ih-de.agents.not_ready") == 1);
  CHECK(Num(json, ".teams.ih-de.agents.on_contact") == 0);
}

TEST_CASE("a team only agents name is listed, without labels, from its first login") {
  Views v;
  CHECK_FALSE(Has(v.Teams(), ".teams.pool."));
  v.Login("a9", "pool");
  CHECK(Num(v.Teams(), ".teams.pool.agents.not_ready") == 1);
  v.Handled("c1", "a9", 0, 60);
  const auto json = v.Teams();
  CHECK(Has(json, ".teams.pool."));
  CHECK(Num(json, ".teams.pool.windows.15m.handled") == 1);
  CHECK(CountUnder(json, ".teams.pool.labels.") == 0);
  CHECK(CountUnder(json, ".teams.va-de.labels.") == 2);
}

TEST_CASE("a team's window holds its counts and its CSAT, NPS, quality, AHT and escalations") {
  Views v;
  v.Login("a1", "va-de");
  v.Handled("c1", "a1", 0, 100);
  v.Handled("c2", "a1", 0, 200);
  v.Queued("c3", "care", 0);
  v.On("answered", "c3", 1000, R"(,"agent":"a1")");
  v.On("escalated", "c3", 2000);  // connected to a1: counts for va-de
  v.On("ended", "c3", 301'000);
  v.On("wrapped", "c3", 311'000);
  v.clock.Advance(320'000);
  v.Survey("c1", 5, 10);
  v.Survey("c2", 4, 9);
  v.Survey("c3", 2, 3);
  v.Evaluated("c1", 90);
  v.Evaluated("c2", 60);
  const auto json = v.Teams();
  const std::string w = ".teams.va-de.windows.15m.";
  CHECK(Num(json, w + "handled") == 3);
  CHECK(Num(json, w + "aht_seconds") == doctest::Approx((600 + 30) / 3.0));
  CHECK(Num(json, w + "surveyed") == 3);
  CHECK(Num(json, w + "csat_ratio") == doctest::Approx(2.0 / 3));
  CHECK(Num(json, w + "nps") == doctest::Approx(100.0 / 3));
  CHECK(Num(json, w + "evaluated") == 2);
  CHECK(Num(json, w + "quality_passed") == 1);
  CHECK(Num(json, w + "quality_score") == 75);
  CHECK(Num(json, w + "escalated") == 1);
  CHECK(Num(json, w + "escalation_ratio") == doctest::Approx(1.0 / 3));
}

TEST_CASE("a team's figure with nothing behind it is null") {
  Views v;
  const auto json = v.Teams();
  CHECK(Num(json, ".teams.ih-de.windows.15m.handled") == 0);
  CHECK(json.at(".teams.ih-de.windows.15m.csat_ratio") == "null");
  CHECK(json.at(".teams.ih-de.windows.15m.aht_seconds") == "null");
  CHECK(json.at(".teams.ih-de.windows.today.quality_score") == "null");
}

TEST_CASE("each window object of a team holds that window: 15m empties, 1h still counts") {
  Views v;
  v.Login("a1", "va-de");
  v.Handled("c1", "a1", 0, 60);
  v.clock.Advance(16 * 60'000);
  const auto json = v.Teams();
  CHECK(Num(json, ".teams.va-de.windows.15m.handled") == 0);
  CHECK(Num(json, ".teams.va-de.windows.1h.handled") == 1);
  CHECK(Num(json, ".teams.va-de.windows.today.handled") == 1);
}

TEST_CASE("an escalation team lists its open escalations by tier and the age of its oldest") {
  Views v;
  v.Queued("c1", "care", 0);
  v.On("escalated", "c1", 1000, R"(,"team":"desk")");
  v.Queued("c2", "care", 0);
  v.On("escalated", "c2", 5000, R"(,"team":"desk","tier":3)");
  v.clock.Advance(61'000);
  const auto json = v.Escalations();
  CHECK(Num(json, ".teams.desk.escalations_open.2") == 1);
  CHECK(Num(json, ".teams.desk.escalations_open.3") == 1);
  CHECK(Num(json, ".teams.desk.oldest_escalation_seconds") == 60);
}

TEST_CASE("a raised escalation stays with its first team and keeps its opening time") {
  Views v;
  v.Queued("c1", "care", 0);
  v.On("escalated", "c1", 1000, R"(,"team":"desk")");
  v.On("escalated", "c1", 30'000, R"(,"team":"legal","tier":3)");
  v.clock.Advance(61'000);
  const auto json = v.Escalations();
  CHECK(Num(json, ".teams.desk.escalations_open.2") == 0);
  CHECK(Num(json, ".teams.desk.escalations_open.3") == 1);
  CHECK(Num(json, ".teams.desk.oldest_escalation_seconds") == 60);
  CHECK_FALSE(Has(json, ".teams.legal."));
}

TEST_CASE("an escalation team whose escalations all closed stays listed with none open") {
  Views v;
  v.Queued("c1", "care", 0);
  v.On("escalated", "c1", 1000, R"(,"team":"desk")");
  v.On("abandoned", "c1", 2000);
  const auto json = v.Escalations();
  CHECK(Num(json, ".teams.desk.escalations_open.2") == 0);
  CHECK(Num(json, ".teams.desk.oldest_escalation_seconds") == 0);
}

TEST_CASE("the desk lists a queue/channel with an open escalation, not one without any") {
  Views v;
  v.Queued("c1", "care", 0);
  v.On("escalated", "c1", 1000);
  v.Queued("c2", "quiet", 0);
  v.Queued("c3", "care", 0, R"(,"channel":"chat")");
  v.clock.Advance(61'000);
  const auto json = v.Escalations();
  CHECK(json.at(".queues.care/voice.labels.site") == "lisbon");
  CHECK(Num(json, ".queues.care/voice.escalations_open.2") == 1);
  CHECK(Num(json, ".queues.care/voice.oldest_escalation_seconds") == 60);
  CHECK(Num(json, ".teams.none.escalations_open.2") == 1);  // no team named
  CHECK_FALSE(Has(json, ".queues.quiet/voice."));
  CHECK_FALSE(Has(json, ".queues.care/chat."));
}

TEST_CASE("a desk window holds escalated, repeat escalated, resolved, rate and resolution time") {
  Views v;
  v.Queued("r1", "care", 0, R"(,"customer":"cu-1")");
  v.On("answered", "r1", 1000, R"(,"agent":"a1")");
  v.On("escalated", "r1", 10'000);
  v.On("ended", "r1", 130'000);  // resolved after 120 s
  v.Queued("r2", "care", 200'000, R"(,"customer":"cu-1")");
  v.On("escalated", "r2", 210'000);  // the customer's second within the repeat window
  v.clock.Advance(300'000);
  const auto json = v.Escalations();
  const std::string w = ".queues.care/voice.windows.15m.";
  CHECK(Num(json, w + "handled") == 1);
  CHECK(Num(json, w + "escalated") == 2);
  CHECK(Num(json, w + "repeat_escalated") == 1);
  CHECK(Num(json, w + "escalation_resolved") == 1);
  CHECK(Num(json, w + "escalation_ratio") == 2);
  CHECK(Num(json, w + "escalation_resolution_seconds") == 120);
  CHECK_FALSE(Has(json, w + "offered"));  // the queue view's counts are not the desk's
}

TEST_CASE("a queue whose escalations are over leaves the desk once no window counts them") {
  Views v;
  v.Queued("c1", "care", 0);
  v.On("answered", "c1", 1000, R"(,"agent":"a1")");
  v.On("escalated", "c1", 2000);
  v.On("ended", "c1", 3000);
  v.clock.Advance(3600'000);  // out of 15m and 1h, still in today
  CHECK(Num(v.Escalations(), ".queues.care/voice.windows.today.escalation_resolved") == 1);
  v.clock.Advance(15 * 3600'000);  // 02:00 the next day
  CHECK_FALSE(Has(v.Escalations(), ".queues.care/voice."));
}
