#include "floorwatch/bridge/io/file_follower.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

namespace floorwatch::bridge {
namespace {

constexpr size_t kChunk = 64 * 1024;

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// A regular file beside `path` with this device and inode (a rotated-away queue_log).
std::string FindByInode(const std::string& path, uint64_t device, uint64_t inode) {
  const std::string dir = DirectoryOf(path);
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return {};
  std::string found;
  while (const dirent* entry = readdir(d)) {
    const std::string candidate = dir + "/" + entry->d_name;
    struct stat st;
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        static_cast<uint64_t>(st.st_dev) == device && static_cast<uint64_t>(st.st_ino) == inode) {
      found = candidate;
      break;
    }
  }
  closedir(d);
  return found;
}

// The offset just after the last '\n' of the open file (0 if it has none).
uint64_t LastLineEnd(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return 0;
  char buf[4096];
  for (uint64_t end = static_cast<uint64_t>(st.st_size); end > 0;) {
    const uint64_t begin = end > sizeof buf ? end - sizeof buf : 0;
    const ssize_t n = pread(fd, buf, end - begin, static_cast<off_t>(begin));
    if (n <= 0) return 0;
    for (ssize_t i = n - 1; i >= 0; --i) {
      if (buf[i] == '\n') return begin + static_cast<uint64_t>(i) + 1;
    }
    end = begin;
  }
  return 0;
}

}  // namespace

FileFollower::FileFollower(std::string path, size_t max_line)
    : path_(std::move(path)), max_line_(max_line) {
  inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ >= 0) {
    dir_watch_ = inotify_add_watch(inotify_fd_, DirectoryOf(path_).c_str(),
                                   IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE);
  }
}

FileFollower::~FileFollower() {
  Close();
  if (inotify_fd_ >= 0) close(inotify_fd_);
}

void FileFollower::Watch() {
  if (inotify_fd_ < 0) return;
  if (file_watch_ >= 0) inotify_rm_watch(inotify_fd_, file_watch_);
  // By path, but the watch stays with the file (its inode) when it is renamed away.
  file_watch_ = inotify_add_watch(inotify_fd_, path_.c_str(),
                                  IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF);
}

void FileFollower::Wait(int timeout_ms) {
  if (inotify_fd_ < 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
    return;
  }
  if (file_watch_ < 0 && fd_ >= 0) Watch();
  pollfd p{inotify_fd_, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) return;
  alignas(inotify_event) char buf[4096];
  while (read(inotify_fd_, buf, sizeof buf) > 0) {
  }  // what changed does not matter: the next Read looks
}

void FileFollower::Start(const FilePosition& saved, bool from_end) {
  Close();
  saved_ = saved;
  from_end_ = from_end;
}

FilePosition FileFollower::position() const {
  if (fd_ < 0 && saved_.valid()) return saved_;
  return FilePosition{device_, inode_, line_start_};
}

void FileFollower::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  stats_.open = false;
}

bool FileFollower::OpenAt(const std::string& path, uint64_t offset) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return false;
  }
  Close();
  fd_ = fd;
  device_ = static_cast<uint64_t>(st.st_dev);
  inode_ = static_cast<uint64_t>(st.st_ino);
  if (offset > static_cast<uint64_t>(st.st_size)) {  // shorter than where we were: truncated
    ++stats_.truncations;
    offset = 0;
  }
  read_offset_ = line_start_ = offset;
  partial_.clear();
  dropping_ = false;
  rotation_pending_ = false;
  stats_.open = true;
  if (path == path_) Watch();
  return true;
}

bool FileFollower::OpenFile() {
  if (saved_.valid()) {
    const FilePosition saved = saved_;
    struct stat st;
    if (stat(path_.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_dev) == saved.device &&
        static_cast<uint64_t>(st.st_ino) == saved.inode) {
      if (!OpenAt(path_, saved.offset)) return false;
    } else if (const std::string old = FindByInode(path_, saved.device, saved.inode);
               !old.empty() && OpenAt(old, saved.offset)) {
      // the rotated-away file: finished first, then FILE (AtEndOfOpenFile)
    } else {
      if (!OpenAt(path_, 0)) return false;  // FILE missing: wait, still holding the saved one
      ++stats_.saved_file_lost;
    }
    saved_ = {};
    return true;
  }
  const int fd = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const uint64_t start = from_end_ ? LastLineEnd(fd) : 0;
  close(fd);
  if (!OpenAt(path_, start)) return false;
  from_end_ = false;  // a file that replaces it later is read from its start
  return true;
}

void FileFollower::Split(std::string_view chunk, const LineFn& on_line) {
  const uint64_t chunk_start = read_offset_ - chunk.size();
  size_t start = 0;
  for (;;) {
    const size_t nl = chunk.find('\n', start);
    if (nl == std::string_view::npos) {
      if (!dropping_) partial_.append(chunk.substr(start));
      if (partial_.size() > max_line_) {
        dropping_ = true;
        partial_.clear();
      }
      return;
    }
    const std::string_view piece = chunk.substr(start, nl - start);
    line_start_ = chunk_start + nl + 1;
    const FilePosition end{device_, inode_, line_start_};
    if (dropping_ || partial_.size() + piece.size() > max_line_) {
      on_line(FollowedLine{{}, end, true});
    } else if (partial_.empty()) {
      on_line(FollowedLine{piece, end, false});
    } else {
      partial_.append(piece);
      on_line(FollowedLine{partial_, end, false});
    }
    partial_.clear();
    dropping_ = false;
    start = nl + 1;
  }
}

void FileFollower::FlushPartial(const LineFn& on_line) {
  if (partial_.empty() && !dropping_) return;
  line_start_ = read_offset_;
  const FilePosition end{device_, inode_, line_start_};
  on_line(
      FollowedLine{dropping_ ? std::string_view{} : std::string_view(partial_), end, dropping_});
  partial_.clear();
  dropping_ = false;
}

bool FileFollower::AtEndOfOpenFile(const LineFn& on_line, bool eof_is_end_of_line) {
  struct stat open_st;
  if (fstat(fd_, &open_st) == 0 && static_cast<uint64_t>(open_st.st_size) < read_offset_) {
    ++stats_.truncations;
    read_offset_ = line_start_ = 0;
    partial_.clear();
    dropping_ = false;
    return true;
  }
  struct stat path_st;
  if (stat(path_.c_str(), &path_st) == 0 && (static_cast<uint64_t>(path_st.st_dev) != device_ ||
                                             static_cast<uint64_t>(path_st.st_ino) != inode_)) {
    // FILE is another file now. The writer moved to it after its last write to the old one,
    // but that write may have come after our last read: read the old one to its end once more.
    if (!rotation_pending_) return rotation_pending_ = true;
    rotation_pending_ = false;
    FlushPartial(on_line);  // the old file's unfinished last line will never be finished
    if (!OpenAt(path_, 0)) return false;
    ++stats_.rotations;
    return true;
  }
  if (eof_is_end_of_line) FlushPartial(on_line);
  return false;
}

size_t FileFollower::Read(const LineFn& on_line, size_t budget, bool eof_is_end_of_line) {
  if (fd_ < 0 && !OpenFile()) return 0;
  char buf[kChunk];
  size_t total = 0;
  while (total < budget) {
    const ssize_t n = pread(fd_, buf, sizeof buf, static_cast<off_t>(read_offset_));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0 && AtEndOfOpenFile(on_line, eof_is_end_of_line)) continue;
      break;
    }
    read_offset_ += static_cast<uint64_t>(n);
    total += static_cast<size_t>(n);
    Split(std::string_view(buf, static_cast<size_t>(n)), on_line);
  }
  struct stat st;
  if (fd_ >= 0 && fstat(fd_, &st) == 0) {
    stats_.pending_bytes = static_cast<int64_t>(st.st_size) - static_cast<int64_t>(line_start_);
  }
  return total;
}

}  // namespace floorwatch::bridge
