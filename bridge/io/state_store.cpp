#include "floorwatch/bridge/io/state_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "floorwatch/bridge/core/state_codec.h"
#include "floorwatch/state/file_io.h"

namespace floorwatch::bridge {
namespace {

bool ReadWholeFile(const std::string& path, std::string* out) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  out->clear();
  char chunk[1 << 16];
  for (;;) {
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      return n == 0;
    }
    out->append(chunk, static_cast<size_t>(n));
  }
}

bool MakeDirs(const std::string& dir) {
  for (size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
    const std::string part = dir.substr(0, slash);
    if (mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) return false;
    if (slash == std::string::npos) return true;
  }
}

bool SyncDir(const std::string& dir) {
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = fsync(fd) == 0;
  close(fd);
  return ok;
}

std::vector<uint64_t> JournalGenerations(const std::string& dir) {
  std::vector<uint64_t> gens;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return gens;
  while (const dirent* entry = readdir(d)) {
    const std::string_view name = entry->d_name;
    if (name.size() <= 12 || name.substr(0, 8) != "journal-" ||
        name.substr(name.size() - 4) != ".log") {
      continue;
    }
    const std::string digits(name.substr(8, name.size() - 12));
    if (digits.find_first_not_of("0123456789") == std::string::npos) {
      gens.push_back(std::stoull(digits));
    }
  }
  closedir(d);
  std::sort(gens.begin(), gens.end());
  return gens;
}

}  // namespace

StateStore::StateStore(std::string dir, size_t replay_capacity)
    : dir_(std::move(dir)), replay_capacity_(replay_capacity) {}

StateStore::~StateStore() {
  if (journal_fd_ >= 0) close(journal_fd_);
}

std::string StateStore::JournalPath(uint64_t generation) const {
  return dir_ + "/journal-" + std::to_string(generation) + ".log";
}

void StateStore::ReportError(const std::string& what) {
  uint64_t suppressed = 0;
  const int64_t now_ms = static_cast<int64_t>(time(nullptr)) * 1000;
  if (!error_log_.Allow(now_ms, &suppressed)) return;
  LogError("state: " + what +
           (suppressed ? " (" + std::to_string(suppressed) + " more not logged)" : ""));
}

bool StateStore::OpenJournal(uint64_t generation, std::string* error) {
  const std::string path = JournalPath(generation);
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0 || !WriteAll(fd, kJournalMagic)) {
    *error = Errno(path);
    if (fd >= 0) close(fd);
    return false;
  }
  if (journal_fd_ >= 0) close(journal_fd_);
  journal_fd_ = fd;
  generations_.push_back(Generation{generation, 0});
  return true;
}

void StateStore::ReadJournals(uint64_t redo_from, Adapter& adapter, ReplayRing& ring,
                              uint64_t* last_seq) {
  std::string bytes;
  for (const uint64_t gen : JournalGenerations(dir_)) {
    const std::string path = JournalPath(gen);
    Generation g{gen, 0};
    if (!ReadWholeFile(path, &bytes)) {
      ReportError(Errno("cannot read " + path));
      continue;
    }
    const JournalScan scan =
        DecodeJournal(bytes, [&](std::string_view redo, std::span<const JournalEventView> events) {
          for (const JournalEventView& e : events) {
            ring.Add(e.seq, std::string(e.topic), std::string(e.payload));
            g.last_seq = e.seq;
            *last_seq = std::max(*last_seq, e.seq);
          }
          if (gen >= redo_from && !adapter.Redo(redo)) ReportError(path + ": a record not redone");
        });
    if (scan.good_bytes < bytes.size()) {
      LogWarn("state: " + path + ": " + std::to_string(bytes.size() - scan.good_bytes) +
              " bytes after " + std::to_string(scan.records) +
              " good records ignored (a write cut short by a kill, or damage)");
    }
    generations_.push_back(g);
  }
}

bool StateStore::Restore(Adapter& adapter, ReplayRing& ring, uint64_t* next_seq,
                         std::string* error) {
  if (!MakeDirs(dir_) || access(dir_.c_str(), W_OK) != 0) {
    return *error = Errno("state dir " + dir_), false;
  }
  SnapshotData snapshot;
  std::string bytes;
  const std::string path = dir_ + "/snapshot";
  if (ReadWholeFile(path, &bytes)) {
    if (!DecodeSnapshot(bytes, &snapshot)) {
      LogError("state: " + path + " is damaged; renamed snapshot.bad, redoing the journals alone");
      rename(path.c_str(), (path + ".bad").c_str());
      snapshot = SnapshotData{};
    } else if (!adapter.LoadState(snapshot.adapter_state, error)) {
      *error = path + ": " + *error;
      return false;
    }
  }
  uint64_t last_seq = 0;
  ReadJournals(snapshot.next_generation, adapter, ring, &last_seq);
  *next_seq = std::max(snapshot.next_seq, last_seq + 1);
  if (ring.size() == 0) ring = ReplayRing(ring.capacity(), *next_seq);
  LogInfo("state: restored from " + dir_ + ": next seq " + std::to_string(*next_seq) + ", " +
          std::to_string(ring.size()) + " events in the replay buffer");
  if (!Snapshot(adapter, *next_seq)) return *error = "cannot write a snapshot in " + dir_, false;
  return true;
}

void StateStore::Append(std::string_view redo, std::span<const BufferedEvent> events) {
  AppendJournalRecord(buffer_, redo, events);
  if (!events.empty() && !generations_.empty()) generations_.back().last_seq = events.back().seq;
}

bool StateStore::Flush() {
  if (buffer_.empty()) return true;
  const bool ok = journal_fd_ >= 0 && WriteAll(journal_fd_, buffer_);
  buffer_.clear();
  unsynced_ = true;
  if (!ok) {
    ++write_errors_;
    ReportError(Errno("journal write failed"));
  }
  return ok;
}

void StateStore::Sync() {
  if (!unsynced_ || journal_fd_ < 0) return;
  unsynced_ = false;
  if (fdatasync(journal_fd_) != 0) ReportError(Errno("journal fdatasync failed"));
}

bool StateStore::Snapshot(const Adapter& adapter, uint64_t next_seq) {
  Flush();
  const uint64_t generation = generations_.empty() ? 1 : generations_.back().number + 1;
  std::string error;
  if (!OpenJournal(generation, &error)) {
    ++snapshot_errors_;
    ReportError("cannot start a journal: " + error);
    return false;
  }
  SnapshotData s{next_seq, generation, {}};
  adapter.SaveState(s.adapter_state);
  const std::string bytes = EncodeSnapshot(s);
  const std::string tmp = dir_ + "/snapshot.tmp";
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool ok = fd >= 0 && WriteAll(fd, bytes) && fsync(fd) == 0;
  if (fd >= 0) close(fd);
  ok = ok && rename(tmp.c_str(), (dir_ + "/snapshot").c_str()) == 0 && SyncDir(dir_);
  if (!ok) {
    ++snapshot_errors_;
    ReportError(Errno("snapshot failed"));
    return false;
  }
  ++snapshots_;
  Prune(generation, next_seq);
  return true;
}

void StateStore::Prune(uint64_t before_generation, uint64_t next_seq) {
  std::erase_if(generations_, [&](const Generation& g) {
    const bool unneeded = g.number < before_generation &&
                          (g.last_seq == 0 || g.last_seq + replay_capacity_ < next_seq);
    if (unneeded) unlink(JournalPath(g.number).c_str());
    return unneeded;
  });
}

}  // namespace floorwatch::bridge
