// The `state:` keys: state.fsync (batch | interval | never) and its interval.
#include <doctest/doctest.h>

#include "floorwatch/config/config_loader.h"
#include "support/config_text.h"

using namespace floorwatch;
using namespace floorwatch::testing;

TEST_CASE("state.fsync defaults to interval, once a second") {
  const Config c = Good("");
  CHECK(c.state.fsync == FsyncPolicy::kInterval);
  CHECK(c.state.fsync_interval_ms == 1000);
}

TEST_CASE("state.fsync takes batch, interval and never") {
  CHECK(Good("state: {fsync: batch}").state.fsync == FsyncPolicy::kBatch);
  CHECK(Good("state: {fsync: interval}").state.fsync == FsyncPolicy::kInterval);
  CHECK(Good("state: {fsync: never}").state.fsync == FsyncPolicy::kNever);
}

TEST_CASE("state.fsync_interval takes a duration") {
  const Config c = Good("state: {fsync: interval, fsync_interval: 250ms}");
  CHECK(c.state.fsync_interval_ms == 250);
  CHECK(Good("state: {fsync_interval: 2}").state.fsync_interval_ms == 2000);
}

TEST_CASE("an unknown state.fsync value is refused with the key, the choices and the line") {
  const std::string error = ErrorOf("http: {listen: \"127.0.0.1:0\"}\nstate: {fsync: always}");
  CHECK(error.find("state.fsync") != std::string::npos);
  CHECK(error.find("batch, interval or never") != std::string::npos);
  CHECK(error.find("line 2") != std::string::npos);
}

TEST_CASE("state.fsync_interval with another fsync setting is refused, not ignored") {
  CHECK(ErrorOf("state: {fsync: batch, fsync_interval: 1s}").find("state.fsync_interval") !=
        std::string::npos);
  CHECK(ErrorOf("state: {fsync: never, fsync_interval: 1s}").find("only with fsync: interval") !=
        std::string::npos);
}

TEST_CASE("a state.fsync_interval out of 10ms - 60s is refused, not clamped") {
  CHECK(ErrorOf("state: {fsync_interval: 5ms}").find("state.fsync_interval") != std::string::npos);
  CHECK(ErrorOf("state: {fsync_interval: 2m}").find("between 10ms and 60s") != std::string::npos);
}
