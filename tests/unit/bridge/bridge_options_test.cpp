// The command line (bridge/core/options.cpp).
#include <doctest/doctest.h>

#include "floorwatch/bridge/core/options.h"

using namespace floorwatch::bridge;

namespace {
std::string ErrorOf(std::vector<std::string> args) {
  Options o;
  std::string error;
  CHECK_FALSE(ParseOptions(args, &o, &error));
  return error;
}
}  // namespace

TEST_CASE("the asterisk command line with every option") {
  Options o;
  std::string error;
  REQUIRE(ParseOptions({"asterisk",
                        "--queue-log",
                        "/var/log/asterisk/queue_log",
                        "--from",
                        "end",
                        "--once",
                        "--agent-pattern",
                        "(\\d+)",
                        "--publish",
                        "tcp://*:5570",
                        "--push=tcp://fw:5571",
                        "--push",
                        "tcp://fw2:5571",
                        "--replay",
                        "tcp://*:5572",
                        "--source",
                        "pbx1",
                        "--state-dir",
                        "/var/lib/b",
                        "--metrics",
                        "127.0.0.1:9465",
                        "--replay-buffer",
                        "5000",
                        "--check"},
                       &o, &error));
  CHECK(o.platform == "asterisk");
  CHECK(o.asterisk.queue_log == "/var/log/asterisk/queue_log");
  CHECK(o.asterisk.from_end);
  CHECK(o.asterisk.once);
  CHECK(o.asterisk.has_agent_pattern);
  CHECK(o.asterisk.agent_pattern == "(\\d+)");
  CHECK(o.common.publish == std::vector<std::string>{"tcp://*:5570"});
  CHECK(o.common.push == std::vector<std::string>{"tcp://fw:5571", "tcp://fw2:5571"});
  CHECK(o.common.replay == "tcp://*:5572");
  CHECK(o.common.source == "pbx1");
  CHECK(o.common.state_dir == "/var/lib/b");
  CHECK(o.common.metrics == "127.0.0.1:9465");
  CHECK(o.common.replay_buffer == 5000);
  CHECK(o.common.check);
}

TEST_CASE("defaults: from start, follow, no pattern, a 100,000-event replay buffer") {
  Options o;
  std::string error;
  REQUIRE(ParseOptions({"asterisk", "--queue-log", "q", "--push", "tcp://h:1"}, &o, &error));
  CHECK_FALSE(o.asterisk.from_end);
  CHECK_FALSE(o.asterisk.once);
  CHECK_FALSE(o.asterisk.has_agent_pattern);
  CHECK(o.asterisk.speed == 0);
  CHECK(o.common.replay_buffer == 100'000);
  CHECK(o.common.source.empty());
}

TEST_CASE("usage errors name what is wrong") {
  CHECK(ErrorOf({}) == "name a platform first");
  CHECK(ErrorOf({"--queue-log", "q"}) == "name a platform first");
  CHECK(ErrorOf({"avaya"}).find("unknown platform") != std::string::npos);
  CHECK(ErrorOf({"asterisk", "--queue-log", "q"}).find("--publish or --push") != std::string::npos);
  CHECK(ErrorOf({"asterisk", "--push", "tcp://h:1"}).find("--queue-log") != std::string::npos);
  CHECK(ErrorOf({"asterisk", "--bogus"}) == "unknown option '--bogus'");
  CHECK(ErrorOf({"asterisk", "--queue-log"}) == "--queue-log needs a value");
  CHECK(ErrorOf({"asterisk", "--once=yes"}) == "--once takes no value");
  CHECK(ErrorOf({"asterisk", "--from", "middle"}).find("start or end") != std::string::npos);
  CHECK(ErrorOf({"asterisk", "--speed", "0"}).find("--speed") != std::string::npos);
  CHECK(ErrorOf({"asterisk", "--speed", "fast"}).find("--speed") != std::string::npos);
  CHECK(ErrorOf({"asterisk", "--replay-buffer", "0"}).find("--replay-buffer") != std::string::npos);
}

TEST_CASE("--speed does not combine with --state-dir") {
  CHECK(ErrorOf({"asterisk", "--queue-log", "q", "--push", "tcp://h:1", "--speed", "60",
                 "--state-dir", "/tmp/x"})
            .find("does not combine") != std::string::npos);
}

TEST_CASE("endpoints: tcp with a port (or * when binding), ipc with a path") {
  CHECK(CheckEndpoint("tcp://127.0.0.1:5570", false).empty());
  CHECK(CheckEndpoint("tcp://*:5570", true).empty());
  CHECK(CheckEndpoint("tcp://127.0.0.1:*", true).empty());
  CHECK(CheckEndpoint("ipc:///run/floorwatch/bridge.sock", true).empty());
  CHECK_FALSE(CheckEndpoint("tcp://127.0.0.1:*", false).empty());
  CHECK_FALSE(CheckEndpoint("tcp://127.0.0.1", false).empty());
  CHECK_FALSE(CheckEndpoint("tcp://127.0.0.1:70000", true).empty());
  CHECK_FALSE(CheckEndpoint("tcp://:5570", true).empty());
  CHECK_FALSE(CheckEndpoint("udp://h:1", true).empty());
  CHECK_FALSE(CheckEndpoint("ipc://", true).empty());
}

TEST_CASE("--metrics is HOST:PORT, port 0 allowed") {
  CHECK(CheckHostPort("127.0.0.1:9465").empty());
  CHECK(CheckHostPort("[::1]:0").empty());
  CHECK_FALSE(CheckHostPort("9465").empty());
  CHECK_FALSE(CheckHostPort("host:").empty());
  CHECK_FALSE(CheckHostPort("host:http").empty());
}

TEST_CASE("the connect command line") {
  Options o;
  std::string error;
  REQUIRE(ParseOptions({"connect", "--listen", "127.0.0.1:8080", "--api-key-file", "/etc/k",
                        "--stdin", "--push", "tcp://fw:5570"},
                       &o, &error));
  CHECK(o.platform == "connect");
  CHECK(o.connect.listen == "127.0.0.1:8080");
  CHECK(o.connect.api_key_file == "/etc/k");
  CHECK(o.connect.stdin_lines);
  REQUIRE(ParseOptions({"connect", "--stdin", "--push", "tcp://fw:5570"}, &o, &error));
  CHECK(o.connect.listen.empty());
}

TEST_CASE("connect needs --listen with its key, or --stdin") {
  CHECK(ErrorOf({"connect", "--push", "tcp://h:1"}).find("--stdin") != std::string::npos);
  CHECK(ErrorOf({"connect", "--listen", "h:1", "--push", "tcp://h:1"}).find("--api-key-file") !=
        std::string::npos);
  CHECK(ErrorOf({"connect", "--queue-log", "q"}) == "unknown option '--queue-log'");
}

TEST_CASE("the twilio command line needs its three options") {
  Options o;
  std::string error;
  REQUIRE(ParseOptions(
      {"twilio", "--listen", "0.0.0.0:8443", "--auth-token-file", "/etc/t", "--public-url",
       "https://cc.example.com/twilio/events", "--push", "tcp://fw:5570"},
      &o, &error));
  CHECK(o.twilio.public_url == "https://cc.example.com/twilio/events");
  CHECK(ErrorOf({"twilio", "--listen", "h:1", "--auth-token-file", "t", "--push", "tcp://h:1"})
            .find("--public-url") != std::string::npos);
}

TEST_CASE("a public URL is http(s)://HOST[:PORT]/PATH[?QUERY]; its path is served") {
  std::string path;
  CHECK(CheckPublicUrl("https://cc.example.com/twilio/events?x=1", &path).empty());
  CHECK(path == "/twilio/events");
  CHECK(CheckPublicUrl("http://127.0.0.1:8080", &path).empty());
  CHECK(path == "/");
  CHECK(CheckPublicUrl("https://[::1]:8443/e", &path).empty());
  CHECK(path == "/e");
  CHECK_FALSE(CheckPublicUrl("ftp://h/e").empty());
  CHECK_FALSE(CheckPublicUrl("https:///e").empty());
  CHECK_FALSE(CheckPublicUrl("https://h:0/e").empty());
  CHECK_FALSE(CheckPublicUrl("https://h/e#frag").empty());
  CHECK_FALSE(CheckPublicUrl("https://user@h/e").empty());
  CHECK_FALSE(CheckPublicUrl("cc.example.com/e").empty());
}
