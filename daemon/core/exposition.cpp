#include "floorwatch/core/exposition.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace floorwatch {

void AppendLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

char* WriteValue(char* at, double value) {
  if (std::isnan(value)) return std::copy_n("NaN", 3, at);
  if (std::isinf(value)) return std::copy_n(value > 0 ? "+Inf" : "-Inf", 4, at);
  // Most samples are counts: the integer conversion is several times cheaper than the
  // shortest-round-trip double one, and prints the same digits.
  if (value == std::trunc(value) && std::fabs(value) < 1e15)
    return std::to_chars(at, at + kMaxValueChars, static_cast<int64_t>(value)).ptr;
  return std::to_chars(at, at + kMaxValueChars, value).ptr;
}

void AppendValue(std::string& out, double value) {
  char buf[kMaxValueChars];
  out.append(buf, WriteValue(buf, value));
}

void AppendJsonString(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void MetricWriter::Family(std::string_view name, std::string_view type, std::string_view help) {
  out_.append("# HELP ").append(name).append(" ").append(help);
  out_.append("\n# TYPE ").append(name).append(" ").append(type).append("\n");
}

void MetricWriter::Sample(std::string_view name, std::string_view labels, std::string_view more,
                          double value) {
  // name{labels} value\n
  const size_t length = name.size() + labels.size() + more.size() + 4 + kMaxValueChars;
  char stack[512];
  std::string heap;  // only for a line longer than any the daemon writes today
  char* const line = length <= sizeof stack ? stack : (heap.resize(length), heap.data());
  char* at = std::copy_n(name.data(), name.size(), line);
  if (!labels.empty()) {
    *at++ = '{';
    at = std::copy_n(labels.data(), labels.size(), at);
    at = std::copy_n(more.data(), more.size(), at);
    *at++ = '}';
  }
  *at++ = ' ';
  at = WriteValue(at, value);
  *at++ = '\n';
  out_.append(line, at);
}

void MetricWriter::SampleWithHead(std::string_view head, std::string_view last_value,
                                  double value) {
  const size_t length = head.size() + last_value.size() + 4 + kMaxValueChars;
  char stack[512];
  std::string heap;  // only for a line longer than any the daemon writes today
  char* const line = length <= sizeof stack ? stack : (heap.resize(length), heap.data());
  char* at = std::copy_n(head.data(), head.size(), line);
  at = std::copy_n(last_value.data(), last_value.size(), at);
  *at++ = '"';
  *at++ = '}';
  *at++ = ' ';
  at = WriteValue(at, value);
  *at++ = '\n';
  out_.append(line, at);
}

void MetricWriter::Single(std::string_view name, std::string_view type, std::string_view help,
                          double value) {
  Family(name, type, help);
  Sample(name, "", value);
}

JsonObject::JsonObject(std::string& out, std::string_view key) : out_(out) {
  if (!key.empty()) Key(key);
  out_ += '{';
}

std::string& JsonObject::Key(std::string_view key) {
  AppendJsonString(out_, key);
  out_ += ':';
  return out_;
}

void JsonObject::Number(std::string_view key, double value) {
  Key(key);
  if (std::isnan(value) || std::isinf(value)) {
    out_ += "null";
  } else {
    AppendValue(out_, value);
  }
  out_ += ',';
}

void JsonObject::String(std::string_view key, std::string_view value) {
  Key(key);
  AppendJsonString(out_, value);
  out_ += ',';
}

void JsonObject::Close() {
  if (out_.back() == ',') out_.pop_back();
  out_ += "},";
}

}  // namespace floorwatch
