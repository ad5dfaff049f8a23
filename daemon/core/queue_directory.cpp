#include "floorwatch/core/queue_directory.h"

#include <cmath>

#include "floorwatch/core/exposition.h"
#include "floorwatch/core/queue_match.h"

namespace floorwatch {
namespace {

int64_t SecondsToMs(double s) { return static_cast<int64_t>(std::llround(s * 1000.0)); }

}  // namespace

void QueueDirectory::Reconfigure() {
  // Configured queues exist from the start with their configured channels (or voice).
  for (const QueueConfig& qconf : config_.queues) {
    if (IsQueuePattern(qconf.id)) continue;  // its queues appear with their first event
    RejectReason why;
    const uint32_t q = FindOrCreateQueue(qconf.id, &why);
    if (q == kNoSlot) continue;  // cannot happen: the loader checks max_queues
    if (qconf.channels.empty()) {
      QueueChannelOf(q, Channel::kVoice);
    } else {
      for (const auto& [channel, unused] : qconf.channels) QueueChannelOf(q, channel);
    }
  }
  queues_.ForEach([&](uint32_t slot, const Queue&) { ApplyQueueSettings(slot); });
}

ChannelSettings QueueDirectory::SettingsFor(const QueueConfig* qconf, Channel channel) const {
  const QueueDefaults& d = config_.defaults;
  ChannelSettings s;
  s.sl_threshold_seconds = d.service_level.threshold_seconds;
  s.sl_target = d.service_level.target;
  s.formula = d.service_level.formula;
  s.short_abandon_seconds = d.short_abandon_seconds;
  const auto apply = [&s](const ServiceLevelOverride& o) {
    if (o.threshold_seconds) s.sl_threshold_seconds = *o.threshold_seconds;
    if (o.target) s.sl_target = *o.target;
    if (o.formula) s.formula = *o.formula;
  };
  if (qconf != nullptr) {
    apply(qconf->service_level);
    if (qconf->short_abandon_seconds) s.short_abandon_seconds = *qconf->short_abandon_seconds;
    auto it = qconf->channels.find(channel);
    if (it != qconf->channels.end()) {
      apply(it->second.service_level);
      if (it->second.short_abandon_seconds)
        s.short_abandon_seconds = *it->second.short_abandon_seconds;
    }
  }
  s.sl_threshold_ms = SecondsToMs(s.sl_threshold_seconds);
  s.short_abandon_ms = SecondsToMs(s.short_abandon_seconds);
  ApplyStaffing(qconf, channel, s);
  return s;
}

void QueueDirectory::ApplyStaffing(const QueueConfig* qconf, Channel channel,
                                   ChannelSettings& s) const {
  const StaffingConfig& d = config_.defaults.staffing;
  int64_t window_ms = d.window_ms;
  s.max_occupancy = d.max_occupancy;
  s.concurrency = d.concurrency;
  const auto apply = [&](const StaffingOverride& o) {
    if (o.window_ms) window_ms = *o.window_ms;
    if (o.max_occupancy) s.max_occupancy = *o.max_occupancy;
    if (o.concurrency) s.concurrency = *o.concurrency;
  };
  if (qconf != nullptr) {
    apply(qconf->staffing);
    auto it = qconf->channels.find(channel);
    if (it != qconf->channels.end()) apply(it->second.staffing);
  }
  // The loader checked that the window is a configured rolling one (or that there is none).
  s.staffing_window = kNoWindow;
  for (size_t w = 0; w < config_.windows.size(); ++w) {
    const WindowSpec& spec = config_.windows[w];
    if (!spec.today && spec.duration_ms == window_ms) s.staffing_window = w;
  }
  s.staffing_window_seconds = static_cast<double>(window_ms) / 1000.0;
}

const QueueConfig* QueueDirectory::ConfiguredQueue(std::string_view id) const {
  return FindQueueConfig(config_.queues, id);
}

void QueueDirectory::ApplyQueueSettings(uint32_t slot) {
  Queue& q = queues_[slot];
  const QueueConfig* qconf = ConfiguredQueue(q.id);
  q.configured = qconf != nullptr;
  q.labels = qconf ? qconf->labels : std::map<std::string, std::string>{};
  const std::string& tz = qconf && qconf->timezone ? *qconf->timezone : config_.defaults.timezone;
  if (!q.zone || q.zone->name() != tz) q.zone = std::make_unique<TimeZone>(tz);
  for (int c = 0; c < kChannelCount; ++c) {
    if (q.channels[c] != kNoSlot) {
      queue_channels_[q.channels[c]].settings = SettingsFor(qconf, static_cast<Channel>(c));
    }
  }
}

uint32_t QueueDirectory::FindOrCreateQueue(std::string_view id, RejectReason* why) {
  uint32_t q = queues_.Find(id);
  if (q != kNoSlot) return q;
  if (ConfiguredQueue(id) == nullptr && config_.unknown_queues == UnknownQueues::kReject) {
    *why = RejectReason::kUnknownQueue;
    return kNoSlot;
  }
  if (static_cast<int64_t>(queues_.size()) >= config_.limits.max_queues) {
    *why = RejectReason::kLimit;
    return kNoSlot;
  }
  q = queues_.Insert(id);
  if (queue_labels_.size() <= q) queue_labels_.resize(q + 1);
  queue_labels_[q].assign("queue=\"");
  AppendLabelValue(queue_labels_[q], id);
  queue_labels_[q] += '"';
  ApplyQueueSettings(q);
  return q;
}

uint32_t QueueDirectory::QueueChannelOf(uint32_t queue, Channel channel) {
  uint32_t index = queues_[queue].channels[static_cast<int>(channel)];
  if (index != kNoSlot) return index;
  index = static_cast<uint32_t>(queue_channels_.size());
  queues_[queue].channels[static_cast<int>(channel)] = index;
  queue_channels_.push_back(
      QueueChannel{queue, channel, SettingsFor(ConfiguredQueue(queues_[queue].id), channel)});
  labels_.push_back(queue_labels_[queue] + ",channel=\"" + std::string(ChannelName(channel)) + '"');
  if (added_) added_(index);
  return index;
}

uint32_t QueueDirectory::Find(std::string_view queue, Channel channel) const {
  const uint32_t q = queues_.Find(queue);
  return q == kNoSlot ? kNoSlot : queues_[q].channels[static_cast<int>(channel)];
}

}  // namespace floorwatch
