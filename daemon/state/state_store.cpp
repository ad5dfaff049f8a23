#include "floorwatch/state/state_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include "floorwatch/core/binary_io.h"
#include "floorwatch/core/clock.h"
#include "floorwatch/core/snapshot.h"
#include "floorwatch/state/file_io.h"
#include "floorwatch/state/journal_format.h"

namespace floorwatch {
namespace {

bool ReadFile(const std::string& path, std::string* out) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  out->clear();
  struct stat st;
  if (fstat(fd, &st) == 0 && st.st_size > 0) out->reserve(static_cast<size_t>(st.st_size));
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

bool SyncDir(const std::string& dir) {
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = fsync(fd) == 0;
  close(fd);
  return ok;
}

// Journal generations present in `dir`, ascending.
std::vector<uint64_t> JournalGenerations(const std::string& dir) {
  std::vector<uint64_t> gens;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return gens;
  while (const dirent* entry = readdir(d)) {
    const std::string_view name = entry->d_name;
    if (name.size() < 13 || name.substr(0, 8) != "journal-" ||
        name.substr(name.size() - 4) != ".log") {
      continue;
    }
    const std::string digits(name.substr(8, name.size() - 12));
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit)) continue;
    gens.push_back(std::stoull(digits));
  }
  closedir(d);
  std::sort(gens.begin(), gens.end());
  return gens;
}

}  // namespace

StateStore::StateStore(std::string dir, FsyncPolicy fsync, int64_t fsync_interval_ms)
    : dir_(std::move(dir)), fsync_(fsync), fsync_interval_ms_(fsync_interval_ms) {}

StateStore::~StateStore() {
  Flush();
  writer_.reset();  // writes what is queued, syncs, closes
}

std::string StateStore::JournalPath(uint64_t generation) const {
  char name[40];
  std::snprintf(name, sizeof name, "/journal-%020llu.log",
                static_cast<unsigned long long>(generation));
  return dir_ + name;
}

bool StateStore::OpenJournal(uint64_t generation, std::string* error) {
  const std::string path = JournalPath(generation);
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) {
    *error = Errno("cannot create " + path);
    return false;
  }
  if (!WriteAll(fd, kJournalMagicV2)) {
    *error = Errno("cannot write " + path);
    close(fd);
    return false;
  }
  if (!writer_) writer_ = std::make_unique<JournalWriter>(fsync_, fsync_interval_ms_);
  writer_->SwitchTo(fd);  // after the frames queued for the previous generation
  generation_ = generation;
  return true;
}

void StateStore::Append(int64_t now_ms, std::string_view payload,
                        std::optional<RejectReason> malformed) {
  if (malformed) {
    frame_.Malformed(buffer_, now_ms, *malformed);
  } else {
    frame_.Payload(buffer_, now_ms, payload);
  }
  ++buffered_records_;
}

void StateStore::AppendTick(int64_t now_ms) { frame_.Tick(buffer_, now_ms); }

void StateStore::AppendReplayCounters(int64_t now_ms, const ReplayCounters& counters) {
  frame_.Counters(buffer_, now_ms, counters);
}

void StateStore::Flush() {
  if (frame_.Seal(buffer_) && writer_) writer_->Write(buffer_, buffered_records_);
  buffer_.clear();
  buffered_records_ = 0;
}

void StateStore::Drain() {
  Flush();
  if (writer_) writer_->Drain();
}

void StateStore::SetFsync(FsyncPolicy fsync, int64_t fsync_interval_ms) {
  fsync_ = fsync;
  fsync_interval_ms_ = fsync_interval_ms;
  if (writer_) writer_->SetPolicy(fsync, fsync_interval_ms);
}

StateStoreStats StateStore::stats() const {
  StateStoreStats out = stats_;
  if (writer_) {
    const JournalWriter::Stats w = writer_->stats();
    out.journal_records = w.records;
    out.journal_bytes = w.bytes;
    out.write_errors = w.errors;
  }
  return out;
}

bool StateStore::Snapshot(const Core& core, int64_t now_ms) {
  const auto started = std::chrono::steady_clock::now();
  Flush();
  std::string error;
  const uint64_t next = generation_ + 1;
  if (!OpenJournal(next, &error)) {
    ++stats_.snapshot_errors;
    LogError("snapshot skipped: " + error);
    return false;
  }
  SaveSnapshot(core, SnapshotMeta{next, now_ms}, snapshot_bytes_);
  const std::string tmp = dir_ + "/snapshot.tmp";
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  bool ok = fd >= 0 && WriteAll(fd, snapshot_bytes_) && fdatasync(fd) == 0;
  if (!ok) error = Errno("cannot write " + tmp);
  if (fd >= 0) close(fd);
  if (ok && rename(tmp.c_str(), (dir_ + "/snapshot").c_str()) != 0) {
    ok = false;
    error = Errno("cannot rename " + tmp);
  }
  if (!ok) {
    ++stats_.snapshot_errors;
    LogError("snapshot failed (the journal goes on): " + error);
    return false;
  }
  SyncDir(dir_);
  for (uint64_t gen : JournalGenerations(dir_)) {
    if (gen < next) unlink(JournalPath(gen).c_str());
  }
  ++stats_.snapshots;
  stats_.snapshot_bytes = snapshot_bytes_.size();
  stats_.last_snapshot_seconds = SystemClock().NowMs() / 1000.0;
  stats_.last_snapshot_duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return true;
}

bool StateStore::ReplayJournal(const std::string& path, Core& core, std::string* error) {
  std::string data;
  if (!ReadFile(path, &data)) {
    LogError(Errno("cannot read " + path + " (skipped)"));
    return true;
  }
  const JournalReadResult read = ApplyJournal(data, core);
  if (read.version < 0) {
    *error = path + ": " + read.error + " (move it away to start without it)";
    return false;
  }
  if (read.version == 0) {
    stats_.discarded_bytes += data.size();
    LogError(path + ": " + read.error + " (skipped)");
    return true;
  }
  stats_.restored_records += read.records;
  if (read.good_bytes < data.size()) {
    stats_.discarded_bytes += data.size() - read.good_bytes;
    LogWarn(path + ": torn or corrupt record at byte " + std::to_string(read.good_bytes) + "; " +
            std::to_string(read.records) + " records applied, " +
            std::to_string(data.size() - read.good_bytes) + " bytes discarded");
  }
  return true;
}

bool StateStore::Restore(Core& core, int64_t now_ms, std::string* error) {
  const auto started = std::chrono::steady_clock::now();
  if (mkdir(dir_.c_str(), 0750) != 0 && errno != EEXIST) {
    *error = Errno("state.dir " + dir_);
    return false;
  }
  if (access(dir_.c_str(), W_OK | X_OK) != 0) {
    *error = Errno("state.dir " + dir_ + " is not writable");
    return false;
  }
  SnapshotMeta meta;
  std::string bytes;
  const std::string snapshot = dir_ + "/snapshot";
  if (ReadFile(snapshot, &bytes)) {
    std::string why;
    std::vector<std::string> notes;
    const SnapshotLoad loaded = LoadSnapshot(bytes, core, &meta, &why, &notes);
    for (const std::string& note : notes) LogInfo(snapshot + ": " + note);
    if (loaded == SnapshotLoad::kIncompatible || loaded == SnapshotLoad::kLayoutError) {
      *error = snapshot + ": " + why + " (move it away to start without it)";
      return false;
    }
    if (loaded == SnapshotLoad::kDamaged) {
      const std::string aside = snapshot + ".bad";
      rename(snapshot.c_str(), aside.c_str());
      LogError(snapshot + ": " + why + "; moved to " + aside +
               ", restoring from the journals alone");
      ++stats_.damaged_snapshots;
      meta = SnapshotMeta{};
    }
  } else if (errno != ENOENT) {
    *error = Errno("cannot read " + snapshot);
    return false;
  }
  const std::vector<uint64_t> gens = JournalGenerations(dir_);
  for (uint64_t gen : gens) {
    if (gen >= meta.journal_generation && !ReplayJournal(JournalPath(gen), core, error)) {
      return false;
    }
  }
  generation_ = std::max(meta.journal_generation, gens.empty() ? 0 : gens.back());
  core.Tick(now_ms);
  stats_.restore_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (meta.journal_generation > 0 || !gens.empty()) {
    LogInfo("state restored from " + dir_ + ": " + std::to_string(stats_.restored_records) +
            " journal records after the snapshot, " +
            std::to_string(core.models().contacts.contacts().size()) + " contacts, " +
            std::to_string(core.models().agents.agents().size()) + " agents, in " +
            std::to_string(stats_.restore_seconds) + " s");
  }
  if (!Snapshot(core, now_ms)) {
    *error = "cannot write a snapshot in " + dir_;
    return false;
  }
  return true;
}

}  // namespace floorwatch
