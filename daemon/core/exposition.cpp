#include "floorwatch/core/exposition.h"

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

void AppendValue(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    std::to_chars_result r;
    if (value == std::trunc(value) && std::fabs(value) < 1e15) {
      r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(value));
    } else {
      r = std::to_chars(buf, buf + sizeof buf, value);
    }
    out.append(buf, r.ptr);
  }
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

void MetricWriter::Sample(std::string_view name, std::string_view labels, double value) {
  out_ += name;
  if (!labels.empty()) out_.append("{").append(labels).append("}");
  out_ += ' ';
  AppendValue(out_, value);
  out_ += '\n';
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
