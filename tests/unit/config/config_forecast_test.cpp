// The `forecast:` key: its defaults, its validation, and the file read with the config.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "floorwatch/config/config_loader.h"
#include "support/config_text.h"

using namespace floorwatch;
using namespace floorwatch::testing;

namespace {

// A file in a fresh temporary directory, removed with the object.
struct TempFile {
  explicit TempFile(const std::string& name, const std::string& text) {
    char pattern[] = "/tmp/floorwatch-forecast-XXXXXX";
    dir = mkdtemp(pattern);
    path = dir + "/" + name;
    std::ofstream(path) << text;
  }
  ~TempFile() {
    std::remove(path.c_str());
    rmdir(dir.c_str());
  }
  std::string dir, path;
};

const std::string kGood =
    "queue,channel,interval_start,offered,aht_seconds,scheduled_agents\n"
    "sales,voice,2026-12-01T09:00,120,240,14\n";

}  // namespace

TEST_CASE("without forecast: there is no forecast table") {
  const Config c = Good("");
  CHECK(c.forecast.file.empty());
  CHECK(c.forecast.table == nullptr);
  CHECK(c.forecast.interval_ms == 30 * 60'000);
}

TEST_CASE("a forecast file is read with the config") {
  TempFile csv("forecast.csv", kGood);
  const Config c = Good("forecast: {file: " + csv.path + ", interval: 1h}\n");
  REQUIRE(c.forecast.table != nullptr);
  CHECK(c.forecast.table->rows() == 1);
  CHECK(c.forecast.table->has_scheduled);
  CHECK(c.forecast.interval_ms == 3'600'000);
}

TEST_CASE("interval starts are read in the time zone of their queue") {
  TempFile csv("forecast.csv", kGood);
  const Config c =
      Good("queues: [{id: sales, timezone: Asia/Kolkata}]\nforecast: {file: " + csv.path + "}\n");
  // 09:00 in Kolkata (UTC+5:30) is 03:30Z.
  const int64_t dec1 = 1'796'083'200'000;
  CHECK(c.forecast.table->At("sales", Channel::kVoice, dec1 + 3 * 3'600'000 + 30 * 60'000) !=
        nullptr);
}

TEST_CASE("a relative forecast path is found beside the config file") {
  TempFile csv("forecast.csv", kGood);
  TempFile yaml("floorwatch.yaml", "");
  std::ofstream(yaml.path) << "forecast: {file: ../" << csv.dir.substr(5) << "/forecast.csv}\n";
  ConfigResult r = LoadConfigFromFile(yaml.path);
  REQUIRE(std::holds_alternative<Config>(r));
  CHECK(std::get<Config>(r).forecast.table->rows() == 1);
}

TEST_CASE("an interval other than 15m, 30m or 1h is refused") {
  CHECK(ErrorOf("forecast: {file: /x.csv, interval: 20m}\n") ==
        "forecast.interval (line 1): must be 15m, 30m or 1h");
}

TEST_CASE("a forecast without a file is refused") {
  CHECK(ErrorOf("forecast: {interval: 30m}\n") == "forecast (line 1): file is required");
}

TEST_CASE("an unreadable forecast file is refused") {
  CHECK(ErrorOf("forecast: {file: /nonexistent/forecast.csv}\n") ==
        "forecast.file (line 1): /nonexistent/forecast.csv: cannot be read");
}

TEST_CASE("a bad forecast file refuses the config, naming the file's line and column") {
  TempFile csv("forecast.csv", kGood + "sales,voice,2026-12-01T09:30,lots,240,14\n");
  CHECK(ErrorOf("forecast:\n  file: " + csv.path + "\n") ==
        "forecast.file (line 2): " + csv.path +
            " line 3, column 4: (offered) must be a number >= 0, got 'lots'");
}

TEST_CASE("an unknown forecast key is refused") {
  CHECK(ErrorOf("forecast: {file: /x.csv, zone: UTC}\n").find("forecast.zone") !=
        std::string::npos);
}
