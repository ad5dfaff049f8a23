// Reading snapshots of layout version 1 (written before snapshots had sections): the one
// fixed body is split into today's sections, each at its section version 1, whose layouts
// were chosen to be the old body's parts. So the models read old state through their
// ordinary Load, and this file is all that knows the old layout.
//
// Version 1 body: u64 journal generation, i64 written ms, u64 n + n x i64 rolling window
// seconds, u64 k + k x f64 histogram bounds; stats (u64 received, applied, duplicate, u32 +
// u64s rejected, u32 + u64s ignored, u64 contacts expired, u64 input auth denied, i64 lag,
// 5 x u64 replay counters, i64 last expiry); queue/channels (u64 n, each: str queue, u8
// channel, then what "service_level" keeps per queue/channel); contacts, agents and sources
// blocks as "contacts", "agents" and "sources" keep them; the recent ids.
#include "floorwatch/core/snapshot.h"

namespace floorwatch {
namespace {

constexpr size_t kTallyBytesV1 = 10 * 8;

// Reads past one block with `skip`, returning its bytes as they are.
template <typename Skip>
std::string_view Block(BinaryReader& r, Skip skip) {
  const size_t from = r.position();
  skip();
  return r.failed() ? std::string_view{} : r.Between(from, r.position());
}

void SkipWindows(BinaryReader& r) {
  r.Bytes(r.Count(8 + kTallyBytesV1) * (8 + kTallyBytesV1));
  r.Bytes(r.Count(24 + kTallyBytesV1) * (24 + kTallyBytesV1));
  r.Bytes(8 + kTallyBytesV1);
}

void SkipTraffic(BinaryReader& r) {
  r.Bytes(kTallyBytesV1 + 8);
  r.Bytes(r.Count(8) * 8);
  r.Bytes(8);
  SkipWindows(r);
}

void SkipContacts(BinaryReader& r) {
  const uint64_t n = r.Count(4 + 8 * 4 + 4 * 2 + 2 + 8);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    r.Str();
    r.Bytes(8 * 4 + 4 * 2 + 2);
    r.Bytes(r.Count(20) * 20);
  }
}

void SkipAgents(BinaryReader& r) {
  const uint64_t n = r.Count(4 + 1 + 8 + 4 + 4 + 8);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    r.Str();
    r.Bytes(1 + 8);
    r.Str();
    r.Str();
    const uint64_t queues = r.Count(4);
    for (uint64_t k = 0; k < queues && !r.failed(); ++k) r.Str();
  }
}

void SkipSources(BinaryReader& r) {
  const uint64_t n = r.Count(4 + 16);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    r.Str();
    r.Bytes(16);
  }
}

// The stats block, split between "intake", "contacts" and "sources".
void SplitStats(BinaryReader& r, BinaryWriter& intake, BinaryWriter& contacts,
                BinaryWriter& sources) {
  intake.Bytes(r.Bytes(3 * 8));           // received, applied, duplicate
  for (int list = 0; list < 2; ++list) {  // rejected, ignored: u32 n + n x u64
    const uint32_t n = r.U32();
    intake.U32(n);
    intake.Bytes(r.Bytes(size_t{8} * n));
  }
  const uint64_t contacts_expired = r.U64();
  intake.Bytes(r.Bytes(8 + 8));   // input auth denied, last lag
  sources.Bytes(r.Bytes(5 * 8));  // the replay counters open the "sources" section
  contacts.I64(r.I64());          // last expiry
  contacts.U64(contacts_expired);
}

}  // namespace

bool UpgradeSnapshotV1(BinaryReader& r, SnapshotMeta* meta,
                       std::vector<SnapshotSection>* sections) {
  meta->journal_generation = r.U64();
  meta->written_ms = r.I64();
  std::string queues, service_level, contacts, agents, sources, intake;
  BinaryWriter q(queues), sl(service_level), c(contacts), a(agents), s(sources), in(intake);
  sl.Bytes(Block(r, [&] { r.Bytes(r.Count(8) * 8); }));  // rolling window seconds
  sl.Bytes(Block(r, [&] { r.Bytes(r.Count(8) * 8); }));  // histogram bounds
  SplitStats(r, in, c, s);
  const uint64_t n = r.Count(4 + 1 + kTallyBytesV1);
  q.U64(n);
  sl.U64(n);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    q.Str(r.Str());
    q.U8(r.U8());
    sl.Bytes(Block(r, [&] { SkipTraffic(r); }));
  }
  c.Bytes(Block(r, [&] { SkipContacts(r); }));
  a.Bytes(Block(r, [&] { SkipAgents(r); }));
  s.Bytes(Block(r, [&] { SkipSources(r); }));
  in.Bytes(Block(r, [&] { r.Bytes(r.Count(64) * 64); }));  // recent ids
  if (r.failed() || r.remaining() != 0) return false;
  for (auto& [name, bytes] : {std::pair{"queues", &queues},
                              {"sources", &sources},
                              {"intake", &intake},
                              {"contacts", &contacts},
                              {"service_level", &service_level},
                              {"agents", &agents}}) {
    sections->push_back(SnapshotSection{name, 1, std::move(*bytes)});
  }
  return true;
}

}  // namespace floorwatch
