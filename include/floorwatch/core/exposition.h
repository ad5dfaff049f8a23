// Writers for what models show: the Prometheus text exposition (format 0.0.4) and JSON.
//
// Pure text building, no I/O. A model renders its own families through MetricWriter at
// scrape time (nothing is registered or kept between scrapes) and its part of a queue's
// JSON object through JsonObject. Single-threaded: a writer appends to one caller-owned
// string, on the thread that renders (the core thread).
//
// A /metrics body is a million lines at 6,000 queue/channels, all written on the core thread
// while events wait, so Sample is the hot path: it builds the line on the stack and appends it
// once (one capacity check, one copy), and takes the labels in two parts so a caller joins a
// queue/channel's pre-rendered labels and a window's or outcome's without a string of its own.
#pragma once

#include <string>
#include <string_view>

namespace floorwatch {

// Appends `value` as a Prometheus label value (escaping \, " and newline).
void AppendLabelValue(std::string& out, std::string_view value);
// Appends a sample value: integers exactly, NaN as NaN, infinities as +Inf / -Inf.
void AppendValue(std::string& out, double value);
// The same into `at`, which has room for kMaxValueChars; returns the end.
inline constexpr size_t kMaxValueChars = 32;
char* WriteValue(char* at, double value);
// Appends `value` as a JSON string literal (quotes included), escaping what JSON requires.
void AppendJsonString(std::string& out, std::string_view value);

class MetricWriter {
 public:
  explicit MetricWriter(std::string& out) : out_(out) {}

  // # HELP and # TYPE lines; every family's samples follow its Family call.
  void Family(std::string_view name, std::string_view type, std::string_view help);
  // `labels` is the pre-rendered inside of {...}, without braces; may be empty.
  void Sample(std::string_view name, std::string_view labels, double value) {
    Sample(name, labels, {}, value);
  }
  // The same with the labels in two pieces, written one after the other (`more` starts with
  // its comma, e.g. `,window="15m"`); `labels` may be empty only if `more` is.
  void Sample(std::string_view name, std::string_view labels, std::string_view more, double value);
  // `head` is a line up to the opening quote of its last label's value (name, '{', labels,
  // `,outcome="`), built once for the many lines that share it; writes head, `last_value`,
  // `"} `, the value and the newline. The window-contacts family (half the body) writes its
  // 24 outcomes per queue/channel and window this way, not joining three pieces per line.
  void SampleWithHead(std::string_view head, std::string_view last_value, double value);
  // A family of one unlabelled sample.
  void Single(std::string_view name, std::string_view type, std::string_view help, double value);

 private:
  std::string& out_;
};

// One JSON object being written: fields are appended with a trailing comma, which Close
// removes. NaN and infinities become null (JSON has no NaN).
class JsonObject {
 public:
  // Writes '{' (after `key":` when a key is given).
  JsonObject(std::string& out, std::string_view key = {});
  void Number(std::string_view key, double value);
  void String(std::string_view key, std::string_view value);
  // Writes `key":` and returns the buffer for a nested value; append ',' after it.
  std::string& Key(std::string_view key);
  void Close();  // '}' and the comma that separates it from what follows
  std::string& out() { return out_; }

 private:
  std::string& out_;
};

}  // namespace floorwatch
