// Twilio TaskRouter event callbacks (twilio_record.h) -> protocol v1 events, as ADAPTERS.md
// maps them (docs/bridge.md has the table): the Task is the contact (TaskSid), the Worker
// the agent (WorkerName), with what the mapping needs to remember:
//   per task: its stage (waiting, connected, ended, over), queue, channel and worker;
//   per worker: logged in or not (Offline is logged out).
// A task entering a second TaskQueue while it waits (a workflow's next step) or after it was
// accepted is a contact.transferred. A callback that would move a task back in its life (an
// acceptance after the task was canceled, say) is refused as kOutOfOrder; one repeating the
// stage the task is in as kDuplicate; one about a task never seen entering a queue as
// kUnknownTask. None of them changes anything.
//
// Bounded like the other mappers (tasks in order of first appearance, forgotten past
// max_tasks or after a day without a callback; workers at most max_workers). Deterministic
// and pure: the journal's callbacks re-applied to the saved state (Save/Load) rebuild it.
// Single-threaded.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "floorwatch/bridge/core/out_event.h"
#include "floorwatch/bridge/core/recent_map.h"
#include "floorwatch/bridge/core/twilio_record.h"
#include "floorwatch/core/binary_io.h"

namespace floorwatch::bridge {

struct TwilioLimits {
  size_t max_tasks = 200'000;
  size_t max_workers = 100'000;
  int64_t forget_after_ms = 24 * 3600 * 1000;
};

enum class TwilioOutcome : uint8_t {
  kMapped,
  kUnmappedType,  // an EventType the table does not map (reservation.created, ...)
  kMissingField,  // no TaskSid, TaskQueueName or WorkerName where the type needs it
  kUnknownTask,   // about a task the bridge never saw enter a queue
  kOutOfOrder,
  kDuplicate,
  kLimit,  // one worker more than max_workers
};

class TwilioMapper {
 public:
  explicit TwilioMapper(TwilioLimits limits = {});

  TwilioOutcome Apply(const TwilioEvent& event, std::vector<OutEvent>& out);

  void Save(BinaryWriter& w) const;
  bool Load(BinaryReader& r);  // false (state unchanged) if `r` holds no saved state

  size_t tasks() const { return tasks_.size(); }
  size_t workers() const { return workers_.size(); }

 private:
  enum class Stage : uint8_t { kWaiting, kConnected, kEnded, kOver };
  struct Task {
    Stage stage = Stage::kWaiting;
    std::string queue;
    Channel channel = Channel::kVoice;
    std::string worker;  // once accepted
    int64_t last_ts_ms = 0;
  };
  using Events = std::vector<OutEvent>;

  TwilioOutcome Entered(const TwilioEvent& e, Events& out);
  TwilioOutcome Accepted(const TwilioEvent& e, Events& out);
  TwilioOutcome Canceled(const TwilioEvent& e, Events& out);
  TwilioOutcome Wrapup(const TwilioEvent& e, Events& out);
  TwilioOutcome Completed(const TwilioEvent& e, Events& out);
  TwilioOutcome Activity(const TwilioEvent& e, Events& out);
  Task* Find(const std::string& sid, int64_t ts_ms);
  Task& Add(const std::string& sid, int64_t ts_ms);
  OutEvent TaskEvent(EventType type, const std::string& sid, const Task& task, int64_t ts_ms) const;

  TwilioLimits limits_;
  RecentMap<Task> tasks_;
  std::map<std::string, bool> workers_;  // WorkerName -> logged in
};

}  // namespace floorwatch::bridge
