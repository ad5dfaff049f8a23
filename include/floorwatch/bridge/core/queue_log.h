// One line of Asterisk app_queue's queue_log -> a typed record.
//
// Line format (asterisk/asterisk apps/app_queue.c: every ast_queue_log() call writes it
// through main/logger.c): `epoch|callid|queue|agent|VERB|data1|data2|...`, epoch in whole
// seconds. What each verb's data fields hold, from app_queue.c (function that logs it):
//   ENTERQUEUE        url|callerid|position[|callername]   queue_exec
//   CONNECT           holdtime|bridged uniqueid|ringtime   try_calling
//   COMPLETECALLER, COMPLETEAGENT  holdtime|calltime|origposition   handle_hangup
//   BLINDTRANSFER     extension|context|holdtime|calltime|origposition  handle_blind_transfer
//   ATTENDEDTRANSFER  BRIDGE|id or APP|app or LINK|chan1|chan2, then holdtime|calltime|
//                     origposition (so: read from the end)  log_attended_transfer
//   TRANSFER          extension|context|holdtime|calltime|origposition (Asterisk <= 11,
//                     queue_transfer_fixup and try_calling)
//   ABANDON, EXITEMPTY, EXITWITHTIMEOUT  position|origposition|waittime  queue_exec
//   EXITWITHKEY       key|position|origposition|waittime  queue_exec
//   ADDMEMBER         PAUSED or empty (aqm_exec, manager_add_queue_member, CLI, realtime)
//   REMOVEMEMBER      empty (rqm_exec, manager_remove_queue_member, CLI, realtime)
//   PAUSE, UNPAUSE    reason (set_queue_member_pause); PAUSEALL, UNPAUSEALL: reason, queue
//                     NONE (set_member_paused)
//   AGENTLOGIN        channel; AGENTLOGOFF channel|logintime  (queue_agent_cb; chan_agent
//                     in Asterisk <= 11, which also wrote AGENTCALLBACKLOGIN/LOGOFF)
// Wait and talk are taken from the line timestamps, not from these fields (ADAPTERS.md).
//
// Pure, no allocation: the record's views point into the line given to ParseQueueLogLine.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace floorwatch::bridge {

enum class Verb : uint8_t {
  kEnterQueue,
  kConnect,
  kCompleteCaller,
  kCompleteAgent,
  kBlindTransfer,
  kAttendedTransfer,
  kTransfer,
  kAbandon,
  kExitWithKey,
  kExitWithTimeout,
  kExitEmpty,
  kAddMember,
  kRemoveMember,
  kPause,
  kPauseAll,
  kUnpause,
  kUnpauseAll,
  kAgentLogin,
  kAgentCallbackLogin,
  kAgentLogoff,
  kAgentCallbackLogoff,
  kOther,  // RINGNOANSWER, QUEUESTART, CONFIGRELOAD, a dialler's or a site's own verbs, ...
};

Verb VerbFromName(std::string_view name);

struct QueueLogRecord {
  static constexpr size_t kMaxData = 16;  // the 16th holds the rest of the line, '|' and all

  int64_t ts_ms = 0;
  std::string_view callid;
  std::string_view queue;
  std::string_view agent;
  std::string_view verb;  // as written
  Verb kind = Verb::kOther;
  std::array<std::string_view, kMaxData> data{};
  size_t data_count = 0;

  // data1 is Data(0); a field the line does not have is empty.
  std::string_view Data(size_t i) const { return i < data_count ? data[i] : std::string_view{}; }
};

// Why a line is not a record.
enum class LineError : uint8_t {
  kNone,
  kShortLine,     // fewer than the five fields epoch|callid|queue|agent|VERB
  kBadTimestamp,  // the epoch is not a whole number of seconds (at most 11 digits)
  kNoVerb,        // the VERB field is empty
};

struct ParsedLine {
  LineError error = LineError::kNone;
  QueueLogRecord record;
};

// `line` without its '\n' (a trailing '\r' is dropped too).
ParsedLine ParseQueueLogLine(std::string_view line);

}  // namespace floorwatch::bridge
