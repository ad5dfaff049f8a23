// The journal and snapshot bytes (bridge/core/state_codec.cpp).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "floorwatch/bridge/core/state_codec.h"

using namespace floorwatch::bridge;

namespace {

struct Decoded {
  std::vector<std::string> redos;
  std::vector<uint64_t> seqs;
  std::vector<std::string> payloads;
};

Decoded Decode(std::string_view file, JournalScan* scan = nullptr) {
  Decoded d;
  const JournalScan s = DecodeJournal(file, [&](std::string_view redo, auto events) {
    d.redos.emplace_back(redo);
    for (const JournalEventView& e : events) {
      d.seqs.push_back(e.seq);
      d.payloads.emplace_back(e.payload);
    }
  });
  if (scan) *scan = s;
  return d;
}

std::string Journal() {
  std::string file(kJournalMagic);
  const std::vector<BufferedEvent> two = {{1, "contact.IT", "{\"a\":1}"}, {2, "agent.7", "{}"}};
  AppendJournalRecord(file, "redo-1", two);
  AppendJournalRecord(file, "redo-2", {});
  const std::vector<BufferedEvent> one = {{3, "contact.IT", "{\"b\":2}"}};
  AppendJournalRecord(file, "redo-3", one);
  return file;
}

}  // namespace

TEST_CASE("journal records read back in order with their redo bytes and events") {
  JournalScan scan;
  const Decoded d = Decode(Journal(), &scan);
  CHECK(scan.magic_ok);
  CHECK(scan.records == 3);
  CHECK(d.redos == std::vector<std::string>{"redo-1", "redo-2", "redo-3"});
  CHECK(d.seqs == std::vector<uint64_t>{1, 2, 3});
  CHECK(d.payloads[2] == "{\"b\":2}");
}

TEST_CASE("a record cut anywhere ends the journal before it; the good ones stay") {
  const std::string file = Journal();
  const size_t whole = Decode(file).redos.size();
  for (size_t cut = kJournalMagic.size(); cut < file.size(); ++cut) {
    JournalScan scan;
    const Decoded d = Decode(std::string_view(file).substr(0, cut), &scan);
    CHECK(d.redos.size() < whole);
    CHECK(scan.good_bytes <= cut);
  }
}

TEST_CASE("a flipped byte is caught by the CRC and ends the journal there") {
  std::string file = Journal();
  file[file.size() - 3] ^= 0x40;
  const Decoded d = Decode(file);
  CHECK(d.redos.size() == 2);
}

TEST_CASE("a file without the magic is no journal") {
  JournalScan scan;
  CHECK(Decode("not a journal", &scan).redos.empty());
  CHECK_FALSE(scan.magic_ok);
}

TEST_CASE("a snapshot reads back whole; any cut or flip refuses it") {
  const SnapshotData s{12345, 7, std::string("adapter\0state", 13)};
  const std::string bytes = EncodeSnapshot(s);
  SnapshotData back;
  REQUIRE(DecodeSnapshot(bytes, &back));
  CHECK(back.next_seq == 12345);
  CHECK(back.next_generation == 7);
  CHECK(back.adapter_state == s.adapter_state);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    CHECK_FALSE(DecodeSnapshot(std::string_view(bytes).substr(0, cut), &back));
  }
  std::string flipped = bytes;
  flipped[flipped.size() - 1] ^= 1;
  CHECK_FALSE(DecodeSnapshot(flipped, &back));
}
