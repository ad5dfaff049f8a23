#include "floorwatch/core/snapshot.h"

namespace floorwatch {
namespace {

constexpr std::string_view kMagic = "FWSNAP";
constexpr uint32_t kVersion = 2;
constexpr std::string_view kQueuesSection = "queues";

constexpr uint32_t kQueuesVersion = 2;

// Section "queues", version 2: u64 q + q x str queue id, in slot order (every queue, also one
// no contact has reached yet: an agent's membership or a refused transfer creates it), then
// u64 n + n x (str queue id, u8 channel), the queue/channels in index order. Version 1 had
// only the queue/channels.
void SaveQueues(const QueueDirectory& directory, BinaryWriter& w) {
  w.U64(directory.queues().size());
  directory.queues().ForEach([&](uint32_t, const Queue& q) { w.Str(q.id); });
  w.U64(directory.size());
  for (const QueueChannel& qc : directory.queue_channels()) {
    w.Str(directory.queues()[qc.queue].id);
    w.U8(static_cast<uint8_t>(qc.channel));
  }
}

// Creates the snapshot's queues and queue/channels in this core; returns snapshot index ->
// this index (kNoSlot: this config refuses the queue).
bool LoadQueues(const SnapshotSection& section, QueueDirectory& directory,
                std::vector<uint32_t>* map) {
  BinaryReader r(section.bytes);
  RejectReason why;
  if (section.version >= 2) {
    const uint64_t queues = r.Count(4);
    for (uint64_t i = 0; i < queues && !r.failed(); ++i) directory.FindOrCreateQueue(r.Str(), &why);
  }
  const uint64_t n = r.Count(5);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    const std::string_view queue = r.Str();
    const uint8_t channel = r.U8();
    if (channel >= kChannelCount || r.failed()) return false;
    const uint32_t q = directory.FindOrCreateQueue(queue, &why);
    map->push_back(q == kNoSlot ? kNoSlot : directory.QueueChannelOf(q, Channel(channel)));
  }
  return !r.failed() && r.remaining() == 0;
}

bool ReadSections(BinaryReader& r, std::vector<SnapshotSection>* sections) {
  const uint32_t n = r.U32();
  for (uint32_t i = 0; i < n && !r.failed(); ++i) {
    SnapshotSection s;
    s.name = std::string(r.Str());
    s.version = r.U32();
    s.bytes = std::string(r.Bytes(r.U64()));
    sections->push_back(std::move(s));
  }
  return !r.failed() && r.remaining() == 0;
}

const SnapshotSection* Find(const std::vector<SnapshotSection>& sections, std::string_view name) {
  for (const SnapshotSection& s : sections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// Nothing is touched unless every section is one this build can read.
bool Readable(const std::vector<SnapshotSection>& sections, Core& core, std::string* error) {
  const SnapshotSection* queues = Find(sections, kQueuesSection);
  if (queues != nullptr && queues->version > kQueuesVersion) {
    *error = "snapshot section queues has layout version " + std::to_string(queues->version) +
             ", this build reads up to " + std::to_string(kQueuesVersion);
    return false;
  }
  for (const Model* m : core.models().all()) {
    const SnapshotSection* s = Find(sections, m->name());
    if (s != nullptr && (s->version > m->version() || s->version < m->first_version())) {
      *error = "snapshot section " + s->name + " has layout version " + std::to_string(s->version) +
               ", this build reads " + std::to_string(m->first_version()) + " to " +
               std::to_string(m->version());
      return false;
    }
  }
  return true;
}

SnapshotLoad Apply(const std::vector<SnapshotSection>& sections, Core& core, std::string* error,
                   std::vector<std::string>* notes) {
  std::vector<uint32_t> map;
  const SnapshotSection* queues = Find(sections, kQueuesSection);
  if (queues != nullptr && !LoadQueues(*queues, core.mutable_directory(), &map)) {
    *error = "snapshot section queues does not match its layout";
    return SnapshotLoad::kLayoutError;
  }
  const LoadContext context{map};
  for (Model* m : core.mutable_models().all()) {
    const SnapshotSection* s = Find(sections, m->name());
    if (s == nullptr) {
      if (notes)
        notes->push_back("snapshot has no section " + std::string(m->name()) +
                         ": its figures start empty");
      continue;
    }
    BinaryReader r(s->bytes);
    if (!m->Load(r, s->version, context) || r.failed() || r.remaining() != 0) {
      *error = "snapshot section " + s->name + " does not match its layout";
      return SnapshotLoad::kLayoutError;
    }
  }
  for (const SnapshotSection& s : sections) {
    if (s.name != kQueuesSection && !core.FindModel(s.name) && notes) {
      notes->push_back("snapshot section " + s.name + " (version " + std::to_string(s.version) +
                       ") is not known to this build: skipped");
    }
  }
  return SnapshotLoad::kOk;
}

void PutSection(BinaryWriter& w, std::string_view name, uint32_t version,
                const std::string& bytes) {
  w.Str(name);
  w.U32(version);
  w.U64(bytes.size());
  w.Bytes(bytes);
}

}  // namespace

void SaveSnapshot(const Core& core, const SnapshotMeta& meta, std::string& out) {
  out.clear();
  out.append(kMagic);
  BinaryWriter w(out);
  w.U32(kVersion);
  w.U64(meta.journal_generation);
  w.I64(meta.written_ms);
  const auto models = core.models().all();
  w.U32(static_cast<uint32_t>(1 + models.size()));
  std::string section;
  BinaryWriter sw(section);
  SaveQueues(core.directory(), sw);
  PutSection(w, kQueuesSection, kQueuesVersion, section);
  for (const Model* m : models) {
    section.clear();
    m->Save(sw);
    PutSection(w, m->name(), m->version(), section);
  }
  w.U32(Crc32c(out));
}

SnapshotLoad LoadSnapshot(std::string_view bytes, Core& core, SnapshotMeta* meta,
                          std::string* error, std::vector<std::string>* notes) {
  if (bytes.size() < kMagic.size() + 8 || bytes.substr(0, kMagic.size()) != kMagic) {
    *error = "not a floorwatch snapshot";
    return SnapshotLoad::kDamaged;
  }
  const std::string_view body = bytes.substr(0, bytes.size() - 4);
  BinaryReader tail(bytes.substr(bytes.size() - 4));
  if (Crc32c(body) != tail.U32()) {
    *error = "snapshot checksum mismatch";
    return SnapshotLoad::kDamaged;
  }
  BinaryReader r(body.substr(kMagic.size()));
  const uint32_t version = r.U32();
  std::vector<SnapshotSection> sections;
  bool decoded = false;
  if (version == 1) {
    decoded = UpgradeSnapshotV1(r, meta, &sections);
  } else if (version == kVersion) {
    meta->journal_generation = r.U64();
    meta->written_ms = r.I64();
    decoded = ReadSections(r, &sections);
  } else {
    *error = "snapshot layout version " + std::to_string(version) + ", this build reads 1 to " +
             std::to_string(kVersion);
    return SnapshotLoad::kIncompatible;
  }
  if (!decoded) {
    *error = "snapshot body does not match its layout";
    return SnapshotLoad::kLayoutError;
  }
  if (!Readable(sections, core, error)) return SnapshotLoad::kIncompatible;
  core.Flush();
  return Apply(sections, core, error, notes);
}

}  // namespace floorwatch
