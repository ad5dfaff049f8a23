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

namespace floorwatch {
namespace {

constexpr std::string_view kJournalMagic = "FWJRNL1\n";
constexpr uint8_t kPayloadRecord = 0;
constexpr uint8_t kMalformedRecord = 1;
constexpr uint8_t kTickRecord = 2;
constexpr uint8_t kReplayCountersRecord = 3;
constexpr uint32_t kReplayCountersLength = 1 + 8 + kReplayCountersBytes;
constexpr size_t kRecordHeader = 8;  // u32 length + u32 crc
constexpr size_t kMaxRecordBody = 1 + 8 + (64u << 20);

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

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

StateStore::StateStore(std::string dir) : dir_(std::move(dir)) {}

StateStore::~StateStore() {
  Flush();
  if (journal_fd_ >= 0) close(journal_fd_);
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
  if (!WriteAll(fd, kJournalMagic)) {
    *error = Errno("cannot write " + path);
    close(fd);
    return false;
  }
  if (journal_fd_ >= 0) {
    if (unsynced_) fdatasync(journal_fd_);
    close(journal_fd_);
  }
  journal_fd_ = fd;
  generation_ = generation;
  unsynced_ = true;
  return true;
}

void StateStore::Append(int64_t now_ms, std::string_view payload,
                        std::optional<RejectReason> malformed) {
  if (malformed) {
    const char reason = static_cast<char>(*malformed);
    AppendRecord(kMalformedRecord, now_ms, std::string_view(&reason, 1));
  } else {
    AppendRecord(kPayloadRecord, now_ms, payload);
  }
  ++buffered_records_;
}

void StateStore::AppendTick(int64_t now_ms) { AppendRecord(kTickRecord, now_ms, {}); }

void StateStore::AppendReplayCounters(int64_t now_ms, const ReplayCounters& counters) {
  std::string values;
  BinaryWriter w(values);
  PutReplayCounters(w, counters);
  AppendRecord(kReplayCountersRecord, now_ms, values);
}

void StateStore::AppendRecord(uint8_t kind, int64_t now_ms, std::string_view tail) {
  const size_t start = buffer_.size();
  buffer_.resize(start + kRecordHeader);
  BinaryWriter w(buffer_);
  w.U8(kind);
  w.I64(now_ms);
  buffer_.append(tail);
  const uint32_t length = static_cast<uint32_t>(buffer_.size() - start - kRecordHeader);
  const uint32_t crc = Crc32c(std::string_view(buffer_).substr(start + kRecordHeader));
  std::memcpy(&buffer_[start], &length, 4);
  std::memcpy(&buffer_[start + 4], &crc, 4);
}

void StateStore::Flush() {
  if (buffer_.empty() || journal_fd_ < 0) return;
  if (WriteAll(journal_fd_, buffer_)) {
    stats_.journal_bytes += buffer_.size();
    stats_.journal_records += buffered_records_;
    unsynced_ = true;
  } else {
    ReportWriteError("journal write failed (state since the last snapshot is not durable)");
  }
  buffer_.clear();
  buffered_records_ = 0;
}

void StateStore::Sync() {
  if (!unsynced_ || journal_fd_ < 0) return;
  unsynced_ = false;
  if (fdatasync(journal_fd_) != 0) ReportWriteError("journal sync failed");
}

void StateStore::ReportWriteError(const char* what) {
  const std::string message = Errno(what);  // before anything else can touch errno
  ++stats_.write_errors;
  uint64_t suppressed = 0;
  if (error_log_.Allow(SystemClock().NowMs(), &suppressed)) LogError(message);
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

void StateStore::ReplayJournal(const std::string& path, Core& core) {
  std::string data;
  if (!ReadFile(path, &data)) {
    LogError(Errno("cannot read " + path + " (skipped)"));
    return;
  }
  if (data.compare(0, kJournalMagic.size(), kJournalMagic) != 0) {
    stats_.discarded_bytes += data.size();
    LogError(path + ": not a floorwatch journal (skipped)");
    return;
  }
  size_t pos = kJournalMagic.size();
  uint64_t applied = 0;
  while (pos < data.size()) {
    BinaryReader header(std::string_view(data).substr(pos, kRecordHeader));
    const uint32_t length = header.U32();
    const uint32_t crc = header.U32();
    const bool fits = !header.failed() && length >= 9 && length <= kMaxRecordBody &&
                      length <= data.size() - pos - kRecordHeader;
    const std::string_view body =
        fits ? std::string_view(data).substr(pos + kRecordHeader, length) : std::string_view{};
    if (!fits || Crc32c(body) != crc) break;
    BinaryReader r(body);
    const uint8_t kind = r.U8();
    const int64_t now = r.I64();
    if (kind == kPayloadRecord) {
      core.OnPayload(body.substr(9), now);
    } else if (kind == kMalformedRecord && length == 10) {
      const uint8_t reason = r.U8();
      if (reason >= kRejectReasonCount) break;
      core.OnMalformedMessage(RejectReason(reason), now);
    } else if (kind == kTickRecord && length == 9) {
      core.Tick(now);
    } else if (kind == kReplayCountersRecord && length == kReplayCountersLength) {
      core.RestoreReplayCounters(GetReplayCounters(r));
    } else {
      break;
    }
    ++applied;
    pos += kRecordHeader + length;
  }
  stats_.restored_records += applied;
  if (pos < data.size()) {
    stats_.discarded_bytes += data.size() - pos;
    LogWarn(path + ": torn or corrupt record at byte " + std::to_string(pos) + "; " +
            std::to_string(applied) + " records applied, " + std::to_string(data.size() - pos) +
            " bytes discarded");
  }
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
    if (gen >= meta.journal_generation) ReplayJournal(JournalPath(gen), core);
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
