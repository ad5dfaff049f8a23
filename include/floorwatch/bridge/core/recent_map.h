// Entries keyed by a platform's id (a Connect contactId, a Twilio TaskSid, an Asterisk callid),
// remembered in their order of first appearance and forgotten from the oldest: past `max_entries`,
// or once silent for `forget_after_ms` of record time (a transfer or a later record follows within
// minutes; an entry silent that long lost its end). The connect and twilio mappers keep
// their live contacts in one, the asterisk mapper its calls. Entry must have an `int64_t
// last_ts_ms`. Pure and single-threaded, like the mappers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>

namespace floorwatch::bridge {

template <class Entry>
class RecentMap {
 public:
  // The entry for `id`, its last record time raised to `ts_ms`; nullptr if not remembered.
  Entry* Find(const std::string& id, int64_t ts_ms) {
    const auto it = entries_.find(id);
    if (it == entries_.end()) return nullptr;
    it->second.last_ts_ms = std::max(it->second.last_ts_ms, ts_ms);
    return &it->second;
  }

  // A new entry for `id` seen at `ts_ms`, after forgetting what the limits say to; each
  // entry forgotten is passed to on_forget(Entry&) first.
  template <class OnForget>
  Entry& Add(const std::string& id, int64_t ts_ms, size_t max_entries, int64_t forget_after_ms,
             OnForget&& on_forget) {
    while (!order_.empty()) {
      const auto old = entries_.find(order_.front());
      if (old != entries_.end()) {
        if (entries_.size() < max_entries && old->second.last_ts_ms >= ts_ms - forget_after_ms) {
          break;
        }
        on_forget(old->second);
        entries_.erase(old);
      }
      order_.pop_front();
    }
    order_.push_back(id);
    Entry& entry = entries_[id];
    entry.last_ts_ms = ts_ms;
    return entry;
  }

  Entry& Add(const std::string& id, int64_t ts_ms, size_t max_entries, int64_t forget_after_ms) {
    return Add(id, ts_ms, max_entries, forget_after_ms, [](Entry&) {});
  }

  size_t size() const { return entries_.size(); }

  // fn(id, entry), oldest first: the order a saved state must restore.
  template <class Fn>
  void ForEachOldestFirst(Fn&& fn) const {
    for (const std::string& id : order_) {
      const auto it = entries_.find(id);
      if (it != entries_.end()) fn(id, it->second);
    }
  }

  // For a Load that builds a new map: false if `id` is already in it.
  bool Append(std::string id, Entry entry) {
    if (!entries_.emplace(id, std::move(entry)).second) return false;
    order_.push_back(std::move(id));
    return true;
  }

 private:
  std::unordered_map<std::string, Entry> entries_;
  std::deque<std::string> order_;  // ids, first appearance first
};

}  // namespace floorwatch::bridge
