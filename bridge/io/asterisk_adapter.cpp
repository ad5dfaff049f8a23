#include "floorwatch/bridge/io/asterisk_adapter.h"

#include <unistd.h>

#include <algorithm>

#include "floorwatch/core/binary_io.h"
#include "floorwatch/log/log.h"

namespace floorwatch::bridge {
namespace {

constexpr uint8_t kStateVersion = 1;
constexpr size_t kReadBudget = 1 << 20;  // bytes per Poll: the runner commits between polls
constexpr int kIdlePollMs = 100;  // a quiet file is looked at again this often, changed or not

std::string_view LineErrorReason(LineError e) {
  switch (e) {
    case LineError::kShortLine:
      return "short_line";
    case LineError::kBadTimestamp:
      return "bad_timestamp";
    case LineError::kNoVerb:
      return "no_verb";
    case LineError::kNone:
      break;
  }
  return "malformed";
}

void PutPosition(BinaryWriter& w, const FilePosition& p) {
  w.U64(p.device);
  w.U64(p.inode);
  w.U64(p.offset);
}

FilePosition GetPosition(BinaryReader& r) {
  FilePosition p;
  p.device = r.U64();
  p.inode = r.U64();
  p.offset = r.U64();
  return p;
}

AgentNamer MakeNamer(const AsteriskOptions& o) {
  return o.has_agent_pattern ? AgentNamer(o.agent_pattern) : AgentNamer();
}

}  // namespace

AsteriskAdapter::AsteriskAdapter(const AsteriskOptions& options)
    : options_(options), mapper_(MakeNamer(options)), follower_(options.queue_log) {}

void AsteriskAdapter::SaveState(std::string& out) const {
  BinaryWriter w(out);
  w.U8(kStateVersion);
  PutPosition(w, position_);
  mapper_.Save(w);
}

bool AsteriskAdapter::LoadState(std::string_view state, std::string* error) {
  BinaryReader r(state);
  if (r.U8() != kStateVersion) return *error = "not an asterisk adapter state", false;
  const FilePosition position = GetPosition(r);
  if (!mapper_.Load(r) || r.remaining() != 0) {
    return *error = "the asterisk adapter state is damaged", false;
  }
  position_ = position;
  return true;
}

bool AsteriskAdapter::Redo(std::string_view redo) {
  BinaryReader r(redo);
  const FilePosition position = GetPosition(r);
  const std::string_view line = r.Str();
  if (r.failed() || r.remaining() != 0) return false;
  const ParsedLine p = ParseQueueLogLine(line);
  if (p.error == LineError::kNone) {
    events_.clear();
    mapper_.Apply(p.record, events_);  // the events were journaled with the record
  }
  position_ = position;
  return true;
}

bool AsteriskAdapter::Open(std::string* error) {
  follower_.Start(position_, options_.from_end);
  if (access(options_.queue_log.c_str(), R_OK) != 0) {
    if (options_.once) return *error = "cannot read " + options_.queue_log, false;
    LogWarn("asterisk: " + options_.queue_log + " is not readable yet; waiting for it");
  }
  return true;
}

void AsteriskAdapter::HandleLine(const FollowedLine& line, RecordSink& sink) {
  position_ = line.end;
  if (line.too_long) return sink.Skip("too_long", "", "(a line over 64 KiB)", 0);
  const ParsedLine p = ParseQueueLogLine(line.text);
  if (p.error != LineError::kNone) {
    return sink.Skip(LineErrorReason(p.error), "", line.text, 0);
  }
  const QueueLogRecord& record = p.record;
  events_.clear();
  switch (mapper_.Apply(record, events_)) {
    case MapOutcome::kUnmapped:
      return sink.Skip("unmapped_verb", record.verb, line.text, record.ts_ms);
    case MapOutcome::kMissingField:
      return sink.Skip("missing_field", record.verb, line.text, record.ts_ms);
    case MapOutcome::kLimit:
      return sink.Skip("limit", record.verb, line.text, record.ts_ms);
    case MapOutcome::kMapped:
      break;
  }
  redo_.clear();
  BinaryWriter w(redo_);
  PutPosition(w, line.end);
  w.Str(line.text);
  sink.Record(events_, redo_, record.ts_ms);
}

bool AsteriskAdapter::Poll(RecordSink& sink, int max_wait_ms) {
  const size_t n = follower_.Read([&](const FollowedLine& l) { HandleLine(l, sink); }, kReadBudget,
                                  options_.once);
  LogFollowerChanges();
  if (n > 0) return true;
  if (options_.once) return false;  // at the end of the file
  follower_.Wait(std::min(max_wait_ms, kIdlePollMs));
  return true;
}

void AsteriskAdapter::LogFollowerChanges() {
  const FollowerStats& s = follower_.stats();
  const std::string& file = options_.queue_log;
  if (s.rotations != logged_.rotations)
    LogInfo("asterisk: " + file + " rotated; reading the new file");
  if (s.truncations != logged_.truncations) {
    LogWarn("asterisk: " + file + " was truncated; reading it again from its start");
  }
  if (s.saved_file_lost != logged_.saved_file_lost) {
    LogWarn("asterisk: the file of the saved position is gone (not beside " + file + "); reading " +
            file + " from its start");
  }
  logged_ = s;
}

void AsteriskAdapter::Figures(std::vector<Figure>& out) const {
  const FollowerStats& s = follower_.stats();
  out.push_back({"floorwatch_bridge_input_open", "gauge",
                 "1 while the input (queue_log) is open, 0 while it is waited for.",
                 s.open ? 1.0 : 0.0});
  out.push_back({"floorwatch_bridge_input_pending_bytes", "gauge",
                 "Bytes of the queue_log after the position (written, not read yet).",
                 double(s.pending_bytes)});
  out.push_back({"floorwatch_bridge_input_rotations_total", "counter",
                 "Rotations followed (the file renamed and replaced).", double(s.rotations)});
  out.push_back({"floorwatch_bridge_input_truncations_total", "counter",
                 "Truncations followed (the file read again from its start).",
                 double(s.truncations)});
  out.push_back({"floorwatch_bridge_input_saved_file_lost_total", "counter",
                 "Starts whose saved position's file was gone (FILE read from its start).",
                 double(s.saved_file_lost)});
  out.push_back({"floorwatch_bridge_asterisk_calls", "gauge",
                 "Calls remembered (for their queue entries and state).", double(mapper_.calls())});
  out.push_back({"floorwatch_bridge_asterisk_agents", "gauge", "Agents remembered.",
                 double(mapper_.agents())});
}

}  // namespace floorwatch::bridge
