#include "floorwatch/bridge/core/twilio_mapper.h"

#include <algorithm>

namespace floorwatch::bridge {
namespace {

constexpr uint8_t kVersion = 1;

OutEvent AgentEvent(EventType type, const std::string& agent, int64_t ts_ms) {
  OutEvent e;
  e.type = type;
  e.ts_ms = ts_ms;
  e.agent = agent;
  return e;
}

}  // namespace

TwilioMapper::TwilioMapper(TwilioLimits limits) : limits_(limits) {}

TwilioOutcome TwilioMapper::Apply(const TwilioEvent& e, std::vector<OutEvent>& out) {
  const std::string_view type = e.event_type;
  if (type == "task-queue.entered") return Entered(e, out);
  if (type == "reservation.accepted") return Accepted(e, out);
  if (type == "task.canceled") return Canceled(e, out);
  if (type == "task.wrapup") return Wrapup(e, out);
  if (type == "task.completed") return Completed(e, out);
  if (type == "worker.activity.update") return Activity(e, out);
  return TwilioOutcome::kUnmappedType;
}

TwilioMapper::Task* TwilioMapper::Find(const std::string& sid, int64_t ts_ms) {
  return tasks_.Find(sid, ts_ms);
}

TwilioMapper::Task& TwilioMapper::Add(const std::string& sid, int64_t ts_ms) {
  return tasks_.Add(sid, ts_ms, limits_.max_tasks, limits_.forget_after_ms);
}

OutEvent TwilioMapper::TaskEvent(EventType type, const std::string& sid, const Task& task,
                                 int64_t ts_ms) const {
  OutEvent e;
  e.type = type;
  e.ts_ms = ts_ms;
  e.contact = sid;
  e.queue = task.queue;
  e.channel = task.channel;
  return e;
}

TwilioOutcome TwilioMapper::Entered(const TwilioEvent& e, Events& out) {
  if (e.task.empty() || e.queue.empty()) return TwilioOutcome::kMissingField;
  Task* task = Find(e.task, e.ts_ms);
  if (task == nullptr) {
    Task& added = Add(e.task, e.ts_ms);
    added.queue = e.queue;
    added.channel = e.channel;
    out.push_back(TaskEvent(EventType::kContactQueued, e.task, added, e.ts_ms));
    return TwilioOutcome::kMapped;
  }
  if (task->stage == Stage::kEnded || task->stage == Stage::kOver) {
    return TwilioOutcome::kOutOfOrder;
  }
  if (task->queue == e.queue) {
    return task->stage == Stage::kWaiting ? TwilioOutcome::kDuplicate : TwilioOutcome::kOutOfOrder;
  }
  task->queue = e.queue;  // the workflow moved it on, or a worker transferred it
  task->stage = Stage::kWaiting;
  out.push_back(TaskEvent(EventType::kContactTransferred, e.task, *task, e.ts_ms));
  return TwilioOutcome::kMapped;
}

TwilioOutcome TwilioMapper::Accepted(const TwilioEvent& e, Events& out) {
  if (e.task.empty() || e.worker.empty()) return TwilioOutcome::kMissingField;
  Task* task = Find(e.task, e.ts_ms);
  if (task == nullptr) return TwilioOutcome::kUnknownTask;
  if (task->stage == Stage::kConnected) return TwilioOutcome::kDuplicate;
  if (task->stage != Stage::kWaiting) return TwilioOutcome::kOutOfOrder;
  task->stage = Stage::kConnected;
  task->worker = e.worker;
  OutEvent a = TaskEvent(EventType::kContactAnswered, e.task, *task, e.ts_ms);
  a.agent = e.worker;
  out.push_back(std::move(a));
  return TwilioOutcome::kMapped;
}

TwilioOutcome TwilioMapper::Canceled(const TwilioEvent& e, Events& out) {
  if (e.task.empty()) return TwilioOutcome::kMissingField;
  Task* task = Find(e.task, e.ts_ms);
  if (task == nullptr) return TwilioOutcome::kUnknownTask;
  switch (task->stage) {
    case Stage::kWaiting:  // never accepted: the customer gave up (or the task timed out)
      out.push_back(TaskEvent(EventType::kContactAbandoned, e.task, *task, e.ts_ms));
      break;
    case Stage::kConnected:  // canceled while a worker had it: the conversation ended
      out.push_back(TaskEvent(EventType::kContactEnded, e.task, *task, e.ts_ms));
      break;
    case Stage::kEnded:
    case Stage::kOver:
      return TwilioOutcome::kDuplicate;
  }
  task->stage = Stage::kOver;
  return TwilioOutcome::kMapped;
}

TwilioOutcome TwilioMapper::Wrapup(const TwilioEvent& e, Events& out) {
  if (e.task.empty()) return TwilioOutcome::kMissingField;
  Task* task = Find(e.task, e.ts_ms);
  if (task == nullptr) return TwilioOutcome::kUnknownTask;
  if (task->stage == Stage::kEnded) return TwilioOutcome::kDuplicate;
  if (task->stage != Stage::kConnected) return TwilioOutcome::kOutOfOrder;
  task->stage = Stage::kEnded;
  out.push_back(TaskEvent(EventType::kContactEnded, e.task, *task, e.ts_ms));
  return TwilioOutcome::kMapped;
}

TwilioOutcome TwilioMapper::Completed(const TwilioEvent& e, Events& out) {
  if (e.task.empty()) return TwilioOutcome::kMissingField;
  Task* task = Find(e.task, e.ts_ms);
  if (task == nullptr) return TwilioOutcome::kUnknownTask;
  if (task->stage == Stage::kOver) return TwilioOutcome::kDuplicate;
  if (task->stage == Stage::kWaiting) return TwilioOutcome::kOutOfOrder;
  if (task->stage == Stage::kConnected) {  // completed without a wrap-up step
    out.push_back(TaskEvent(EventType::kContactEnded, e.task, *task, e.ts_ms));
  }
  OutEvent w = TaskEvent(EventType::kContactWrapped, e.task, *task, e.ts_ms);
  w.agent = task->worker;
  out.push_back(std::move(w));
  task->stage = Stage::kOver;
  return TwilioOutcome::kMapped;
}

TwilioOutcome TwilioMapper::Activity(const TwilioEvent& e, Events& out) {
  if (e.worker.empty() || e.activity.empty()) return TwilioOutcome::kMissingField;
  auto it = workers_.find(e.worker);
  if (it == workers_.end()) {
    if (workers_.size() >= limits_.max_workers) return TwilioOutcome::kLimit;
    it = workers_.emplace(e.worker, false).first;
  }
  bool& logged_in = it->second;
  if (e.activity == "Offline") {
    logged_in = false;
    out.push_back(AgentEvent(EventType::kAgentLogout, e.worker, e.ts_ms));
    return TwilioOutcome::kMapped;
  }
  if (!logged_in) out.push_back(AgentEvent(EventType::kAgentLogin, e.worker, e.ts_ms));
  logged_in = true;
  OutEvent s = AgentEvent(EventType::kAgentState, e.worker, e.ts_ms);
  if (e.activity == "Available") {
    s.state = AgentState::kAvailable;
  } else {
    s.state = AgentState::kNotReady;
    s.reason = e.activity;
  }
  out.push_back(std::move(s));
  return TwilioOutcome::kMapped;
}

// Version 1: u8 1, u64 n, n x {str TaskSid, u8 stage, str queue, u8 channel, str worker,
// i64 last callback ts}, u64 m, m x {str WorkerName, u8 logged in}.
void TwilioMapper::Save(BinaryWriter& w) const {
  w.U8(kVersion);
  w.U64(tasks_.size());
  tasks_.ForEachOldestFirst([&](const std::string& sid, const Task& t) {
    w.Str(sid);
    w.U8(static_cast<uint8_t>(t.stage));
    w.Str(t.queue);
    w.U8(static_cast<uint8_t>(t.channel));
    w.Str(t.worker);
    w.I64(t.last_ts_ms);
  });
  w.U64(workers_.size());
  for (const auto& [name, logged_in] : workers_) {
    w.Str(name);
    w.U8(logged_in);
  }
}

bool TwilioMapper::Load(BinaryReader& r) {
  if (r.U8() != kVersion) return false;
  RecentMap<Task> tasks;
  const uint64_t n = r.Count(4 + 1 + 4 + 1 + 4 + 8);
  for (uint64_t i = 0; i < n && !r.failed(); ++i) {
    std::string sid(r.Str());
    Task t;
    const uint8_t stage = r.U8();
    if (stage > static_cast<uint8_t>(Stage::kOver)) r.Fail();
    t.stage = static_cast<Stage>(stage);
    t.queue.assign(r.Str());
    const uint8_t channel = r.U8();
    if (channel >= kChannelCount) r.Fail();
    t.channel = static_cast<Channel>(channel);
    t.worker.assign(r.Str());
    t.last_ts_ms = r.I64();
    if (!tasks.Append(std::move(sid), std::move(t))) r.Fail();  // each TaskSid once
  }
  std::map<std::string, bool> workers;
  const uint64_t m = r.Count(4 + 1);
  for (uint64_t i = 0; i < m && !r.failed(); ++i) {
    std::string name(r.Str());
    workers[std::move(name)] = r.U8() != 0;
  }
  if (r.failed()) return false;
  tasks_ = std::move(tasks);
  workers_ = std::move(workers);
  return true;
}

}  // namespace floorwatch::bridge
