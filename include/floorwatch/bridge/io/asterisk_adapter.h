// The asterisk adapter: follows app_queue's queue_log (io/file_follower.h), parses each line
// (core/queue_log.h) and maps it (core/asterisk_mapper.h).
//
// Its state (SaveState) is the file position just after the last line it handled, and the
// mapper's state. A line that changes the mapper's state is handed to the sink with redo
// bytes = {u64 device, u64 inode, u64 offset after it, str the line}; a skipped line is not
// journaled (after a restart it is read and skipped again, publishing nothing either time).
//
// Skip reasons: short_line, bad_timestamp, no_verb (core/queue_log.h), missing_field (a
// mapped verb without the callid, queue or agent it needs), too_long (over 64 KiB),
// unmapped_verb (kind = the verb), limit (an agent past the mapper's bound).
//
// Bridge thread only.
#pragma once

#include <string>
#include <vector>

#include "floorwatch/bridge/core/asterisk_mapper.h"
#include "floorwatch/bridge/core/options.h"
#include "floorwatch/bridge/io/adapter.h"
#include "floorwatch/bridge/io/file_follower.h"

namespace floorwatch::bridge {

class AsteriskAdapter : public Adapter {
 public:
  // Throws std::regex_error for a bad --agent-pattern (io/check.h refuses it first).
  explicit AsteriskAdapter(const AsteriskOptions& options);

  std::string_view platform() const override { return "asterisk"; }
  void SaveState(std::string& out) const override;
  bool LoadState(std::string_view state, std::string* error) override;
  bool Redo(std::string_view redo) override;
  bool Open(std::string* error) override;
  bool Poll(RecordSink& sink, int max_wait_ms) override;
  void Figures(std::vector<Figure>& out) const override;

 private:
  void HandleLine(const FollowedLine& line, RecordSink& sink);
  void LogFollowerChanges();  // rotations, truncations, a lost saved file

  AsteriskOptions options_;
  AsteriskMapper mapper_;
  FileFollower follower_;
  FilePosition position_;  // after the last line handled (restored, then the follower's)
  FollowerStats logged_;   // what has been logged of the follower's figures
  std::vector<OutEvent> events_;
  std::string redo_;
};

}  // namespace floorwatch::bridge
