// queue_log lines -> typed records (bridge/core/queue_log.cpp).
#include <doctest/doctest.h>

#include <string>

#include "floorwatch/bridge/core/queue_log.h"

using namespace floorwatch::bridge;

TEST_CASE("a CONNECT line gives its time in ms, ids, verb and data fields") {
  const ParsedLine p =
      ParseQueueLogLine("1543602753|1543602660.197|IT|Agent/1127|CONNECT|76|1543602746.232|6");
  REQUIRE(p.error == LineError::kNone);
  const QueueLogRecord& r = p.record;
  CHECK(r.ts_ms == 1543602753000);
  CHECK(r.callid == "1543602660.197");
  CHECK(r.queue == "IT");
  CHECK(r.agent == "Agent/1127");
  CHECK(r.kind == Verb::kConnect);
  CHECK(r.data_count == 3);
  CHECK(r.Data(0) == "76");
  CHECK(r.Data(2) == "6");
  CHECK(r.Data(3).empty());
}

TEST_CASE("empty data fields are kept in place: ENTERQUEUE's caller id is data2") {
  const ParsedLine p = ParseQueueLogLine("1543602677|1543602660.197|IT|NONE|ENTERQUEUE||cust-1|1");
  REQUIRE(p.error == LineError::kNone);
  CHECK(p.record.kind == Verb::kEnterQueue);
  CHECK(p.record.Data(0).empty());
  CHECK(p.record.Data(1) == "cust-1");
}

TEST_CASE("a line with exactly the five fixed fields has no data") {
  const ParsedLine p = ParseQueueLogLine("1|NONE|NONE|NONE|QUEUESTART");
  REQUIRE(p.error == LineError::kNone);
  CHECK(p.record.data_count == 0);
  CHECK(p.record.kind == Verb::kOther);
  CHECK(p.record.verb == "QUEUESTART");
}

TEST_CASE("a carriage return before the newline is not part of the last field") {
  const ParsedLine p = ParseQueueLogLine("5|c|q|NONE|ABANDON|1|1|40\r");
  REQUIRE(p.error == LineError::kNone);
  CHECK(p.record.Data(2) == "40");
}

TEST_CASE("fewer than five fields is a short line") {
  CHECK(ParseQueueLogLine("").error == LineError::kShortLine);
  CHECK(ParseQueueLogLine("1543602753|1543602660.197|IT|Agent/1127").error ==
        LineError::kShortLine);
  CHECK(ParseQueueLogLine("garbage without bars").error == LineError::kShortLine);
}

TEST_CASE("an epoch that is not whole seconds is a bad timestamp") {
  CHECK(ParseQueueLogLine("x1543602753|c|q|a|CONNECT|1").error == LineError::kBadTimestamp);
  CHECK(ParseQueueLogLine("1543602753.5|c|q|a|CONNECT|1").error == LineError::kBadTimestamp);
  CHECK(ParseQueueLogLine("-5|c|q|a|CONNECT|1").error == LineError::kBadTimestamp);
  CHECK(ParseQueueLogLine("|c|q|a|CONNECT|1").error == LineError::kBadTimestamp);
  CHECK(ParseQueueLogLine("123456789012|c|q|a|CONNECT|1").error == LineError::kBadTimestamp);
}

TEST_CASE("an empty verb is refused") {
  CHECK(ParseQueueLogLine("1|c|q|a||x").error == LineError::kNoVerb);
}

TEST_CASE("verbs are matched exactly; others, custom ones included, are kOther") {
  CHECK(VerbFromName("ATTENDEDTRANSFER") == Verb::kAttendedTransfer);
  CHECK(VerbFromName("AGENTCALLBACKLOGOFF") == Verb::kAgentCallbackLogoff);
  CHECK(VerbFromName("PAUSEALL") == Verb::kPauseAll);
  CHECK(VerbFromName("connect") == Verb::kOther);
  CHECK(VerbFromName("RINGNOANSWER") == Verb::kOther);
  CHECK(VerbFromName("OUTDIAL") == Verb::kOther);
}

TEST_CASE("past sixteen data fields the last one holds the rest of the line") {
  std::string line = "1|c|q|a|CUSTOM";
  for (int i = 0; i < 20; ++i) line += "|" + std::to_string(i);
  const ParsedLine p = ParseQueueLogLine(line);
  REQUIRE(p.error == LineError::kNone);
  CHECK(p.record.data_count == QueueLogRecord::kMaxData);
  CHECK(p.record.Data(14) == "14");
  CHECK(p.record.Data(15) == "15|16|17|18|19");
}
