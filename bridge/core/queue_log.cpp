#include "floorwatch/bridge/core/queue_log.h"

#include <utility>

namespace floorwatch::bridge {
namespace {

constexpr std::pair<std::string_view, Verb> kVerbs[] = {
    {"ENTERQUEUE", Verb::kEnterQueue},
    {"CONNECT", Verb::kConnect},
    {"COMPLETECALLER", Verb::kCompleteCaller},
    {"COMPLETEAGENT", Verb::kCompleteAgent},
    {"BLINDTRANSFER", Verb::kBlindTransfer},
    {"ATTENDEDTRANSFER", Verb::kAttendedTransfer},
    {"TRANSFER", Verb::kTransfer},
    {"ABANDON", Verb::kAbandon},
    {"EXITWITHKEY", Verb::kExitWithKey},
    {"EXITWITHTIMEOUT", Verb::kExitWithTimeout},
    {"EXITEMPTY", Verb::kExitEmpty},
    {"ADDMEMBER", Verb::kAddMember},
    {"REMOVEMEMBER", Verb::kRemoveMember},
    {"PAUSE", Verb::kPause},
    {"PAUSEALL", Verb::kPauseAll},
    {"UNPAUSE", Verb::kUnpause},
    {"UNPAUSEALL", Verb::kUnpauseAll},
    {"AGENTLOGIN", Verb::kAgentLogin},
    {"AGENTCALLBACKLOGIN", Verb::kAgentCallbackLogin},
    {"AGENTLOGOFF", Verb::kAgentLogoff},
    {"AGENTCALLBACKLOGOFF", Verb::kAgentCallbackLogoff},
};

// Cuts the next '|'-separated field off `rest`; false when there is none left.
bool NextField(std::string_view& rest, bool& more, std::string_view* field) {
  if (!more) return false;
  const size_t bar = rest.find('|');
  if (bar == std::string_view::npos) {
    *field = rest;
    more = false;
  } else {
    *field = rest.substr(0, bar);
    rest.remove_prefix(bar + 1);
  }
  return true;
}

bool ParseEpoch(std::string_view s, int64_t* ts_ms) {
  if (s.empty() || s.size() > 11) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *ts_ms = v * 1000;
  return true;
}

}  // namespace

Verb VerbFromName(std::string_view name) {
  for (const auto& [text, verb] : kVerbs) {
    if (text == name) return verb;
  }
  return Verb::kOther;
}

ParsedLine ParseQueueLogLine(std::string_view line) {
  ParsedLine p;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  QueueLogRecord& r = p.record;
  std::string_view rest = line, epoch;
  bool more = true;
  if (!NextField(rest, more, &epoch) || !NextField(rest, more, &r.callid) ||
      !NextField(rest, more, &r.queue) || !NextField(rest, more, &r.agent) ||
      !NextField(rest, more, &r.verb)) {
    p.error = LineError::kShortLine;
    return p;
  }
  if (!ParseEpoch(epoch, &r.ts_ms)) {
    p.error = LineError::kBadTimestamp;
    return p;
  }
  if (r.verb.empty()) {
    p.error = LineError::kNoVerb;
    return p;
  }
  r.kind = VerbFromName(r.verb);
  while (more && r.data_count + 1 < QueueLogRecord::kMaxData) {
    NextField(rest, more, &r.data[r.data_count++]);
  }
  if (more) r.data[r.data_count++] = rest;
  return p;
}

}  // namespace floorwatch::bridge
