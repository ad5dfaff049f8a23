// A state directory written by the build before snapshots had sections (layout version 1)
// restores under today's code with every figure the same (tests/fixtures/state_v1/README.md).
#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "floorwatch/render/metrics_text.h"
#include "floorwatch/state/state_store.h"
#include "support/core_fixture.h"

using namespace floorwatch;
using namespace floorwatch::testing;
namespace fs = std::filesystem;

namespace {

const std::string kFixture = std::string(FLOORWATCH_SOURCE_DIR) + "/tests/fixtures/state_v1";

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t p = text.find(from); p != std::string::npos; p = text.find(from, p + to.size()))
    text.replace(p, from.size(), to);
  return text;
}

// The exposition's lines as a set: the order of families may differ, nothing else may.
std::multiset<std::string> Lines(std::string_view metrics) {
  std::multiset<std::string> lines;
  std::istringstream in{std::string(metrics)};
  for (std::string line; std::getline(in, line);) lines.insert(line);
  return lines;
}

// The first line the old build rendered that this one does not (every old series, with its
// value, HELP and TYPE, must still be there; series added since may be too). Empty: none.
std::string FirstMissing(std::string_view expected, std::string_view actual) {
  const std::multiset<std::string> have = Lines(actual);
  for (const std::string& line : Lines(expected)) {
    if (have.count(line) < Lines(expected).count(line)) return line;
  }
  return "";
}

// The JSON as path -> value ("queues.2.windows.15m.offered" -> "4"), so that fields added
// since can be told from the old ones.
void Flatten(simdjson::dom::element e, const std::string& path,
             std::map<std::string, std::string>& out) {
  using simdjson::dom::element_type;
  if (e.type() == element_type::OBJECT) {
    for (auto kv : e.get_object()) Flatten(kv.value, path + "." + std::string(kv.key), out);
  } else if (e.type() == element_type::ARRAY) {
    size_t i = 0;
    for (auto item : e.get_array()) Flatten(item, path + "." + std::to_string(i++), out);
  } else {
    out[path] = simdjson::to_string(e);
  }
}

std::map<std::string, std::string> Flat(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(!parser.parse(simdjson::padded_string(text)).get(doc));
  std::map<std::string, std::string> out;
  Flatten(doc, "", out);
  return out;
}

// The first value the old build's JSON had that this one does not have the same. Empty: none.
std::string FirstJsonDifference(std::string_view expected, std::string_view actual) {
  const auto have = Flat(actual);
  for (const auto& [path, value] : Flat(expected)) {
    const auto it = have.find(path);
    if (it == have.end() || it->second != value) {
      return path + " = " + value + " (now " + (it == have.end() ? "absent" : it->second) + ")";
    }
  }
  return "";
}

struct Restored {
  explicit Restored(const std::string& dir, int64_t now)
      : config(ConfigFrom(
            Replace(Replace(ReadText(kFixture + "/fixture.yaml"), "{port}", "1"), "{dir}", dir))),
        core(config) {
    StateStore store(dir);
    std::string error;
    REQUIRE_MESSAGE(store.Restore(core, now, &error), error);
    core.Tick(now);
    RenderMetrics(core, DaemonInfo{}, now, metrics);
    core.RenderQueuesJson(json, now);
  }
  Config config;
  Core core;
  std::string metrics;
  std::string json;
};

}  // namespace

TEST_CASE("a state directory of snapshot layout 1 restores with every figure unchanged") {
  const std::string dir = fs::temp_directory_path() / ("fw-state-v1-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy(kFixture + "/state", dir + "/state");
  const int64_t now = std::stoll(ReadText(kFixture + "/now_ms"));
  const std::string expected = ReadText(kFixture + "/expected.txt");
  const size_t json_at = expected.find("{\"time\":");
  REQUIRE(json_at != std::string::npos);
  const std::string expected_metrics = expected.substr(0, json_at);
  const std::string expected_json = expected.substr(json_at);

  Restored first(dir + "/state", now);
  CHECK(FirstMissing(expected_metrics, first.metrics) == "");
  CHECK(FirstJsonDifference(expected_json, first.json) == "");
  CHECK(first.metrics.find(
            "floorwatch_queue_waiting_contacts{queue=\"support\",channel=\"voice\"} 4") !=
        std::string::npos);  // the fixture is not empty

  // The restore wrote a snapshot in today's layout; that one restores the same again.
  Restored second(dir + "/state", now);
  CHECK(FirstMissing(expected_metrics, second.metrics) == "");
  CHECK(FirstJsonDifference(expected_json, second.json) == "");
  fs::remove_all(dir);
}
