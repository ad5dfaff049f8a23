#include "floorwatch/bridge/core/agent_namer.h"

namespace floorwatch::bridge {
namespace {
constexpr size_t kMaxCached = 10'000;
}  // namespace

AgentNamer::AgentNamer(const std::string& pattern)
    : pattern_(pattern), regex_(std::regex(pattern, std::regex::ECMAScript)) {}

std::string AgentNamer::Validate(const std::string& pattern) {
  try {
    const std::regex re(pattern, std::regex::ECMAScript);
    if (re.mark_count() < 1) return "--agent-pattern needs a capture group, e.g. '(\\d+)'";
  } catch (const std::regex_error& e) {
    return std::string("--agent-pattern is not a valid regular expression: ") + e.what();
  }
  return {};
}

std::string AgentNamer::Name(std::string_view field) {
  if (!regex_) return std::string(field);
  const std::string key(field);
  if (const auto it = cache_.find(key); it != cache_.end()) return it->second;
  std::smatch m;
  std::string name = key;
  if (std::regex_search(key, m, *regex_) && m.size() > 1 && m[1].matched && m[1].length() > 0) {
    name = m[1].str();
  }
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_.emplace(key, name);
  return name;
}

}  // namespace floorwatch::bridge
