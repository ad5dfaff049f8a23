// The encoding under the journal and snapshots.
#include "floorwatch/core/binary_io.h"

#include <doctest/doctest.h>

#include <string>

using namespace floorwatch;

TEST_CASE("CRC-32C matches the standard check value") {
  CHECK(Crc32c("123456789") == 0xE3069283u);
  CHECK(Crc32cPortable("123456789") == 0xE3069283u);
  CHECK(Crc32c("") == 0u);
}

TEST_CASE("the fast CRC-32C agrees with the table at every length and alignment") {
  std::string data;
  for (int i = 0; i < 300; ++i) data.push_back(static_cast<char>(i * 131 + 7));
  for (size_t offset = 0; offset < 8; ++offset) {
    for (size_t len = 0; len + offset <= data.size(); len += 13) {
      const std::string_view piece = std::string_view(data).substr(offset, len);
      CHECK(Crc32c(piece) == Crc32cPortable(piece));
    }
  }
}

TEST_CASE("a CRC can be continued over pieces") {
  CHECK(Crc32c("6789", Crc32c("12345")) == Crc32c("123456789"));
}

TEST_CASE("written values read back in order") {
  std::string out;
  BinaryWriter w(out);
  w.U8(7);
  w.U32(0xdeadbeef);
  w.I64(-5);
  w.F64(0.25);
  w.Str("queue");
  BinaryReader r(out);
  CHECK(r.U8() == 7);
  CHECK(r.U32() == 0xdeadbeef);
  CHECK(r.I64() == -5);
  CHECK(r.F64() == 0.25);
  CHECK(r.Str() == "queue");
  CHECK(r.remaining() == 0);
  CHECK_FALSE(r.failed());
}

TEST_CASE("reading past the end fails and yields zeros, never out-of-bounds reads") {
  std::string out;
  BinaryWriter(out).U32(1000);  // a string length with no string behind it
  BinaryReader r(out);
  CHECK(r.Str().empty());
  CHECK(r.failed());
  CHECK(r.U64() == 0);
}

TEST_CASE("a count larger than the input could hold fails instead of allocating") {
  std::string out;
  BinaryWriter(out).U64(1ULL << 40);
  BinaryReader r(out);
  CHECK(r.Count(8) == 0);
  CHECK(r.failed());
}
