// The saved state of an adapter whose whole state is its mapper's (connect, twilio): a
// version byte, then the mapper's own Save. One place for the framing, so every adapter
// refuses a foreign or damaged state the same way. Bridge thread only, like the adapters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "floorwatch/core/binary_io.h"

namespace floorwatch::bridge {

template <class Mapper>
void SaveMapperState(const Mapper& mapper, uint8_t version, std::string& out) {
  BinaryWriter w(out);
  w.U8(version);
  mapper.Save(w);
}

// False, with `error` naming the platform, for a state of another adapter or version, or
// one the mapper cannot read whole.
template <class Mapper>
bool LoadMapperState(Mapper& mapper, uint8_t version, std::string_view platform,
                     std::string_view state, std::string* error) {
  BinaryReader r(state);
  if (r.U8() != version) {
    *error = "not a " + std::string(platform) + " adapter state";
    return false;
  }
  if (!mapper.Load(r) || r.remaining() != 0) {
    *error = "the " + std::string(platform) + " adapter state is damaged";
    return false;
  }
  return true;
}

}  // namespace floorwatch::bridge
