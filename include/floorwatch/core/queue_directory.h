// The queues and queue/channels the core knows, with the settings resolved for each from
// the config. Every model keys its per-queue state by the slots handed out here: a queue
// slot (SlotMap index) and a queue/channel index (dense, in creation order). Neither is
// ever removed, so both stay valid for the life of the core; a model that keeps
// per-queue/channel state grows it when told of a new one (Model::OnQueueChannelAdded).
//
// Owned by the Core; models read it and ask it to create queues as events name them.
// Core thread only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "floorwatch/core/config.h"
#include "floorwatch/core/event.h"
#include "floorwatch/core/exposition.h"
#include "floorwatch/core/reject_reason.h"
#include "floorwatch/core/slot_map.h"
#include "floorwatch/core/timezone.h"

namespace floorwatch {

inline constexpr uint32_t kNoSlot = UINT32_MAX;

inline constexpr size_t kNoWindow = SIZE_MAX;

// Service-level and staffing settings resolved for one queue and channel (defaults < queue <
// channel).
struct ChannelSettings {
  double sl_threshold_seconds = 20;
  double sl_target = 0.8;
  SlFormula formula = SlFormula::kAnsweredPlusAbandoned;
  double short_abandon_seconds = 5;
  int64_t sl_threshold_ms = 20'000;
  int64_t short_abandon_ms = 5000;
  // The staffing window as an index of Config::windows (kNoWindow: no rolling window is
  // configured) and its length, the occupancy cap and the contacts one agent works at once.
  size_t staffing_window = kNoWindow;
  double staffing_window_seconds = 0;
  double max_occupancy = 0.85;
  int64_t concurrency = 1;
};

struct Queue {
  std::string id;
  bool configured = false;
  std::map<std::string, std::string> labels;
  std::unique_ptr<TimeZone> zone;
  std::array<uint32_t, kChannelCount> channels;  // queue/channel index, or kNoSlot
  Queue() { channels.fill(kNoSlot); }
};

struct QueueChannel {
  uint32_t queue = kNoSlot;
  Channel channel = Channel::kVoice;
  ChannelSettings settings;
};

class QueueDirectory {
 public:
  // Called with each new queue/channel index, after it exists.
  using AddedHandler = std::function<void(uint32_t queue_channel)>;

  explicit QueueDirectory(const Config& config) : config_(config) {}
  void set_added_handler(AddedHandler handler) { added_ = std::move(handler); }

  // After the config changed: configured queues exist with their channels (or voice), and
  // every queue's labels, zone and settings are taken from the new config.
  void Reconfigure();

  // The queue's slot, created on demand. kNoSlot with *why set when refused
  // (unknown_queues: reject, or limits.max_queues).
  uint32_t FindOrCreateQueue(std::string_view id, RejectReason* why);
  uint32_t FindQueue(std::string_view id) const { return queues_.Find(id); }
  // The queue/channel index, created on demand (the queue must exist).
  uint32_t QueueChannelOf(uint32_t queue, Channel channel);
  // kNoSlot when that queue has not seen that channel.
  uint32_t Find(std::string_view queue, Channel channel) const;

  const SlotMap<Queue>& queues() const { return queues_; }
  const std::vector<QueueChannel>& queue_channels() const { return queue_channels_; }
  const QueueChannel& operator[](uint32_t queue_channel) const {
    return queue_channels_[queue_channel];
  }
  const Queue& QueueOf(uint32_t queue_channel) const {
    return queues_[queue_channels_[queue_channel].queue];
  }
  size_t size() const { return queue_channels_.size(); }

  // A gauge family `name{queue, channel, window}`: value(queue_channel, window) for every
  // queue/channel and every configured window (the ratios and means models derive from
  // their windows).
  template <typename Value>
  void RenderPerWindow(MetricWriter& w, std::string_view name, std::string_view help,
                       Value value) const {
    std::vector<std::string> windows;  // `,window="15m"` etc.
    for (const WindowSpec& spec : config_.windows) {
      std::string l = ",window=\"";
      AppendLabelValue(l, spec.label);
      windows.push_back(l + '"');
    }
    w.Family(name, "gauge", help);
    for (uint32_t i = 0; i < queue_channels_.size(); ++i) {
      for (size_t win = 0; win < windows.size(); ++win) {
        w.Sample(name, labels_[i], windows[win], value(i, win));
      }
    }
  }
  // Pre-rendered Prometheus labels, made once when the queue/channel or queue appears:
  // `queue="q",channel="c"` per queue/channel index and `queue="q"` per queue slot.
  const std::vector<std::string>& labels() const { return labels_; }
  const std::string& queue_label(uint32_t queue) const { return queue_labels_[queue]; }
  const Config& config() const { return config_; }

 private:
  const QueueConfig* ConfiguredQueue(std::string_view id) const;  // nullptr: not configured
  void ApplyQueueSettings(uint32_t queue);
  ChannelSettings SettingsFor(const QueueConfig* qconf, Channel channel) const;
  void ApplyStaffing(const QueueConfig* qconf, Channel channel, ChannelSettings& s) const;

  const Config& config_;
  SlotMap<Queue> queues_;
  std::vector<QueueChannel> queue_channels_;
  std::vector<std::string> labels_;
  std::vector<std::string> queue_labels_;
  AddedHandler added_;
};

}  // namespace floorwatch
