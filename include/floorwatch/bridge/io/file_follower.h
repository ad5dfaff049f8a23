// Follows a growing text file by name, as `tail -F` does, handing out complete lines with
// the position just after each, so a caller that persists that position reads nothing twice
// and skips nothing after a restart.
//
// - Rotation by rename (logrotate, Asterisk's `logger rotate`): when FILE names another
//   file than the one open, the open one is read to its end first (lines written before
//   the rename are not lost), then FILE is opened from its start.
// - Truncation (copytruncate, `> FILE`): when the open file is shorter than what was read,
//   it is read again from its start. Lines written between a copy and the truncation are
//   lost to any follower; prefer rotation by rename.
// - A saved position names the file by device and inode: if FILE is another file by then
//   (rotated while the bridge was down), the saved one is looked for beside FILE (e.g.
//   queue_log.1), finished from the saved offset, then FILE is read from its start.
// - A line without its '\n' yet is held until it is complete; lines longer than max_line
//   are dropped whole (reported as too_long). With `eof_is_end_of_line` (--once) an
//   unterminated last line is handed out at the end of the file.
// - A missing FILE is waited for (idle), as tail -F does.
// - Wait() sleeps until the file or its directory changes (inotify), so a line is read as
//   soon as it is written; it also wakes after its time-out, so a file system without
//   inotify events (NFS) is still followed.
//
// Owned by the bridge thread; Read never blocks on anything but a local file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace floorwatch::bridge {

struct FilePosition {
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t offset = 0;  // just after the last line handed out
  bool valid() const { return inode != 0; }
  bool operator==(const FilePosition&) const = default;
};

struct FollowerStats {
  uint64_t rotations = 0;        // switches to a new file by name
  uint64_t truncations = 0;      // the file got shorter than what was read
  uint64_t saved_file_lost = 0;  // a saved position's file was gone: FILE read from start
  int64_t pending_bytes = 0;     // FILE's size minus the position (at the last poll)
  bool open = false;
};

struct FollowedLine {
  std::string_view text;  // without '\n' (empty for a too_long line)
  FilePosition end;       // the position after it
  bool too_long = false;
};

class FileFollower {
 public:
  using LineFn = std::function<void(const FollowedLine& line)>;

  explicit FileFollower(std::string path, size_t max_line = 64 * 1024);
  ~FileFollower();
  FileFollower(const FileFollower&) = delete;
  FileFollower& operator=(const FileFollower&) = delete;

  // Where to begin: `saved` when valid; else FILE's start, or with `from_end` just after
  // its last complete line.
  void Start(const FilePosition& saved, bool from_end);
  // Reads at most about `budget` bytes, calling `on_line` per line. Returns the bytes read
  // (0: nothing new, i.e. at the end of FILE with no rotation pending, or FILE missing).
  size_t Read(const LineFn& on_line, size_t budget, bool eof_is_end_of_line = false);

  // Waits at most `timeout_ms` for FILE or its directory to change (inotify; without it,
  // simply sleeps). A change after the last Read that found nothing is never missed: the
  // watches exist before that read.
  void Wait(int timeout_ms);

  FilePosition position() const;
  const FollowerStats& stats() const { return stats_; }
  const std::string& path() const { return path_; }

 private:
  bool OpenFile();  // FILE, or the saved position's file
  bool OpenAt(const std::string& path, uint64_t offset);
  void Close();
  void Split(std::string_view chunk, const LineFn& on_line);
  bool AtEndOfOpenFile(const LineFn& on_line, bool eof_is_end_of_line);  // true: switched
  void FlushPartial(const LineFn& on_line);  // hands the held partial line out as a line

  void Watch();  // the open file and FILE's directory

  std::string path_;
  size_t max_line_;
  int inotify_fd_ = -1;
  int file_watch_ = -1;
  int dir_watch_ = -1;
  int fd_ = -1;
  uint64_t device_ = 0;
  uint64_t inode_ = 0;
  uint64_t read_offset_ = 0;  // bytes of the open file read so far
  uint64_t line_start_ = 0;   // where the held partial line starts (= the position)
  std::string partial_;
  bool dropping_ = false;          // inside a line longer than max_line_
  bool rotation_pending_ = false;  // FILE was replaced: one last read of the old file first
  FilePosition saved_;
  bool from_end_ = false;
  FollowerStats stats_;
};

}  // namespace floorwatch::bridge
