// Agent ids from queue_log's agent field (ADAPTERS.md): the field itself, or the first
// capture group of --agent-pattern searched in it, so that `Local/1127@from-queue` (how
// members are added) and `Agent/1127` (how calls connect) both become `1127` with '(\d+)'.
// A field the pattern does not match keeps its own text.
//
// std::regex is slow, so each distinct field is matched once and remembered (a few hundred
// members in a real centre; the memory is cleared past 10,000 distinct fields). Pure;
// single-threaded (the cache).
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace floorwatch::bridge {

class AgentNamer {
 public:
  AgentNamer() = default;  // every field is its own id
  // Throws std::regex_error for an invalid pattern; see Validate.
  explicit AgentNamer(const std::string& pattern);

  // Empty when `pattern` is a valid ECMAScript regex with at least one capture group, else
  // why not (for --check).
  static std::string Validate(const std::string& pattern);

  std::string Name(std::string_view field);
  const std::string& pattern() const { return pattern_; }

 private:
  std::string pattern_;
  std::optional<std::regex> regex_;
  std::unordered_map<std::string, std::string> cache_;
};

}  // namespace floorwatch::bridge
