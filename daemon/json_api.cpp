#include "floorwatch/json_api.h"

#include <charconv>
#include <cmath>

#include "floorwatch/figures.h"
#include "floorwatch/metrics_text.h"

namespace floorwatch {
namespace {

void Number(std::string& out, double v) {
  if (std::isnan(v) || std::isinf(v)) {
    out += "null";
  } else {
    AppendValue(out, v);
  }
}

void Field(std::string& out, std::string_view key, double v) {
  AppendJsonString(out, key);
  out += ':';
  Number(out, v);
  out += ',';
}

void CloseObject(std::string& out) {
  if (out.back() == ',') out.pop_back();
  out += '}';
}

void RenderTally(std::string& out, const Tally& t, SlFormula formula) {
  const WindowFigures f = ComputeFigures(t, formula);
  out += '{';
  Field(out, "offered", double(t.offered));
  Field(out, "answered", double(t.answered));
  Field(out, "answered_in_sl", double(t.answered_in_sl));
  Field(out, "abandoned", double(t.abandoned));
  Field(out, "short_abandoned", double(t.short_abandoned));
  Field(out, "handled", double(t.handled));
  Field(out, "service_level_ratio", f.service_level_ratio);
  Field(out, "abandon_ratio", f.abandon_ratio);
  Field(out, "asa_seconds", f.asa_seconds);
  Field(out, "aht_seconds", f.aht_seconds);
  CloseObject(out);
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view value) {
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
          static constexpr char kHex[] = "0123456789abcdef";
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

void RenderQueuesJson(const Core& core, int64_t now_ms, std::string& out) {
  out.clear();  // keeps the capacity of a reused buffer
  const auto& windows = core.config().windows;
  const Core::AgentCounts agents = core.AgentsByQueue();
  out += "{\"time\":";
  AppendValue(out, double(now_ms) / 1000.0);
  out += ",\"queues\":[";
  const auto& qcs = core.queue_channels();
  for (uint32_t i = 0; i < qcs.size(); ++i) {
    const QueueChannel& qc = qcs[i];
    const Queue& q = core.queues()[qc.queue];
    out += "{\"queue\":";
    AppendJsonString(out, q.id);
    out += ",\"channel\":";
    AppendJsonString(out, ChannelName(qc.channel));
    out += ",\"labels\":{";
    for (const auto& [k, v] : q.labels) {
      AppendJsonString(out, k);
      out += ':';
      AppendJsonString(out, v);
      out += ',';
    }
    CloseObject(out);
    out += ',';
    Field(out, "waiting_contacts", double(qc.waiting));
    Field(out, "oldest_wait_seconds", core.OldestWaitSeconds(i, now_ms));
    Field(out, "active_contacts", double(qc.active));
    Field(out, "service_level_threshold_seconds", qc.settings.sl_threshold_seconds);
    Field(out, "service_level_target", qc.settings.sl_target);
    out += "\"service_level_formula\":";
    AppendJsonString(out, FormulaName(qc.settings.formula));
    out += ",\"agents\":{";
    for (int s = 0; s < kAgentStateCount; ++s)
      Field(out, kAgentStateNames[s], double(agents[qc.queue][s]));
    CloseObject(out);
    out += ",\"totals\":{";
    Field(out, "offered", double(qc.totals.offered));
    Field(out, "answered", double(qc.totals.answered));
    Field(out, "answered_in_sl", double(qc.totals.answered_in_sl));
    Field(out, "abandoned", double(qc.totals.abandoned));
    Field(out, "short_abandoned", double(qc.totals.short_abandoned));
    Field(out, "transferred_out", double(qc.transferred_out));
    Field(out, "handled", double(qc.totals.handled));
    Field(out, "talk_seconds", double(qc.totals.talk_ms) / 1000.0);
    Field(out, "acw_seconds", double(qc.totals.acw_ms) / 1000.0);
    Field(out, "wait_seconds", double(qc.totals.wait_ms) / 1000.0);
    CloseObject(out);
    out += ",\"windows\":{";
    for (size_t w = 0; w < windows.size(); ++w) {
      AppendJsonString(out, windows[w].label);
      out += ':';
      RenderTally(out, core.WindowTally(qc, w), qc.settings.formula);
      out += ',';
    }
    CloseObject(out);
    out += "},";
  }
  if (out.back() == ',') out.pop_back();
  out += "]}";
}

}  // namespace floorwatch
