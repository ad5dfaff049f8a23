// Private to the config layer: a YAML node that knows the key path leading to it (so every
// error names the key and line), and the section parsers split across its sources.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "floorwatch/config/duration.h"
#include "floorwatch/core/config.h"

namespace floorwatch::config_internal {

struct Invalid {
  std::string message;
};

// A node with the key path that led to it, so every error can name it.
class Node {
 public:
  Node(YAML::Node node, std::string path) : node_(std::move(node)), path_(std::move(path)) {}

  [[noreturn]] void Fail(const std::string& why) const {
    std::ostringstream out;
    out << (path_.empty() ? "config" : path_);
    if (node_.IsDefined() && node_.Mark().line >= 0)
      out << " (line " << node_.Mark().line + 1 << ")";
    out << ": " << why;
    throw Invalid{out.str()};
  }

  bool IsNull() const { return !node_ || node_.IsNull(); }
  const std::string& path() const { return path_; }
  Node Renamed(std::string path) const { return Node(node_, std::move(path)); }

  // A mapping whose keys must all be in `allowed`.
  void ExpectMap(std::initializer_list<const char*> allowed) const {
    if (IsNull()) return;
    if (!node_.IsMap()) Fail("must be a mapping");
    for (const auto& kv : node_) {
      const std::string key = kv.first.as<std::string>();
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* k) { return key == k; })) {
        Node(kv.first, Join(key)).Fail("unknown key");
      }
    }
  }

  Node operator[](const std::string& key) const {
    YAML::Node child = !IsNull() && node_.IsMap() ? node_[key] : YAML::Node();
    return Node(child, Join(key));
  }

  std::vector<Node> Items() const {
    std::vector<Node> items;
    if (IsNull()) return items;
    if (!node_.IsSequence()) Fail("must be a list");
    for (size_t i = 0; i < node_.size(); ++i) {
      items.emplace_back(node_[i], path_ + "[" + std::to_string(i) + "]");
    }
    return items;
  }

  std::vector<std::pair<std::string, Node>> Entries() const {
    std::vector<std::pair<std::string, Node>> entries;
    if (IsNull()) return entries;
    if (!node_.IsMap()) Fail("must be a mapping");
    for (const auto& kv : node_) {
      const std::string key = kv.first.as<std::string>();
      entries.emplace_back(key, Node(kv.second, Join(key)));
    }
    return entries;
  }

  std::string Str() const {
    if (!node_.IsScalar()) Fail("must be a string");
    return node_.Scalar();
  }

  double Number() const {
    if (!node_.IsScalar()) Fail("must be a number");
    try {
      return node_.as<double>();
    } catch (const YAML::Exception&) {
      Fail("must be a number, got '" + node_.Scalar() + "'");
    }
  }

  int64_t Integer() const {
    if (!node_.IsScalar()) Fail("must be an integer");
    try {
      return node_.as<int64_t>();
    } catch (const YAML::Exception&) {
      Fail("must be an integer, got '" + node_.Scalar() + "'");
    }
  }

  int64_t PositiveInteger() const {
    const int64_t v = Integer();
    if (v <= 0) Fail("must be a positive integer, got " + std::to_string(v));
    return v;
  }

  int64_t DurationMs() const {
    const std::string text = Str();
    auto ms = ParseDurationMs(text);
    if (!ms)
      Fail("must be a duration like 500ms, 30s, 5m, 1h or a number of seconds, got '" + text + "'");
    return *ms;
  }

  std::vector<std::string> StringList() const {
    std::vector<std::string> out;
    for (const Node& item : Items()) out.push_back(item.Str());
    return out;
  }

  std::map<std::string, std::string> StringMap() const {
    std::map<std::string, std::string> out;
    for (auto& [k, v] : Entries()) out[k] = v.Str();
    return out;
  }

  template <typename Enum>
  Enum OneOf(std::initializer_list<std::pair<const char*, Enum>> choices) const {
    const std::string text = Str();
    std::string names;
    for (const auto& [name, value] : choices) {
      if (text == name) return value;
      names += names.empty() ? name : std::string(" | ") + name;
    }
    Fail("must be one of " + names + ", got '" + text + "'");
  }

 private:
  std::string Join(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  YAML::Node node_;
  std::string path_;
};

bool IsLabelName(const std::string& name);
// Label names valid for Prometheus, and not the ones floorwatch sets itself.
void ValidateLabels(const Node& n, const std::map<std::string, std::string>& labels);
// `outcomes:`, and `teams:` with `unknown_teams:` (checked against limits.max_teams).
void ParseOutcomes(const Node& n, OutcomesConfig& outcomes);
// `forecast:`, and the file it names (relative to `base_dir`), read and validated whole.
// Needs the queues and defaults parsed first (for each queue's time zone).
void ParseForecast(const Node& n, const std::string& base_dir, Config& config);
void ParseTeams(const Node& root, Config& config);
// The settings blocks of defaults, queues and channels (config_settings.cpp). `windows`: the
// configured ones, which the staffing window must name.
ServiceLevelOverride ParseServiceLevel(const Node& n);
StaffingOverride ParseStaffing(const Node& n, const std::vector<WindowSpec>& windows);
void ParseDefaultStaffing(const Node& n, const std::vector<WindowSpec>& windows,
                          StaffingConfig& staffing);
AlertRule ParseAlert(const Node& item, const std::vector<WindowSpec>& windows);
void ParseNotify(const Node& n, NotifyConfig& notify);
// `state:` (config_state.cpp).
void ParseState(const Node& n, StateConfig& state);

}  // namespace floorwatch::config_internal
