#include "floorwatch/core/event.h"

#include <doctest/doctest.h>

#include <string>

using namespace floorwatch;

TEST_CASE("every event type's name reads back as that type") {
  for (int i = 0; i < kEventTypeCount; ++i) {
    const EventType type = static_cast<EventType>(i);
    const auto read = EventTypeFromName(EventTypeName(type));
    REQUIRE(read.has_value());
    CHECK(*read == type);
  }
}

TEST_CASE("a name differing from a type's in any one byte is no type") {
  for (int i = 0; i < kEventTypeCount; ++i) {
    const std::string name(EventTypeName(static_cast<EventType>(i)));
    for (size_t k = 0; k < name.size(); ++k) {
      std::string other = name;
      other[k] = other[k] == 'x' ? 'y' : 'x';
      CHECK_FALSE(EventTypeFromName(other).has_value());
    }
    CHECK_FALSE(EventTypeFromName(name + "s").has_value());
    CHECK_FALSE(EventTypeFromName(name.substr(0, name.size() - 1)).has_value());
  }
  CHECK_FALSE(EventTypeFromName("").has_value());
}
