// The replies model's tests: a CoreFixture that speaks chat (contacts queued on the chat
// channel, messages from customer or agent) and reads the replies model's figures.
#pragma once

#include <string>

#include "floorwatch/core/exposition.h"
#include "support/core_fixture.h"

namespace floorwatch::testing {

class ChatFixture : public CoreFixture {
 public:
  explicit ChatFixture(const std::string& yaml = "") : CoreFixture(yaml) {}

  // `at` is ms after kT0, as in CoreFixture.
  ApplyResult Enter(const std::string& contact, const std::string& queue, int64_t at) {
    return Queued(contact, queue, at, R"(,"channel":"chat")");
  }
  ApplyResult Says(const std::string& contact, const std::string& from, int64_t at) {
    return On("message", contact, at, R"(,"from":")" + from + "\"");
  }

  const RepliesModel& replies() const { return core.models().replies; }
  int64_t Awaiting(const std::string& queue) { return replies().awaiting(QcIndex(queue, kChat)); }
  double Oldest(const std::string& queue) {
    return replies().OldestAwaitingSeconds(QcIndex(queue, kChat), clock.NowMs());
  }
  // The window with this label, after a Tick at the clock's time.
  ReplyTally Win(const std::string& queue, const std::string& label) {
    core.Tick(clock.NowMs());
    const auto& windows = core.config().windows;
    for (size_t i = 0; i < windows.size(); ++i) {
      if (windows[i].label == label) return replies().WindowTally(QcIndex(queue, kChat), i);
    }
    FAIL("no window " << label);
    return {};
  }
  // An alert measure of a chat queue as the alert engine reads it (`window` indexes
  // Config::windows).
  Reading MeasureOf(const std::string& measure, const std::string& queue, size_t window) {
    core.Tick(clock.NowMs());
    const Core::MeasureRef m = core.FindMeasure(measure);
    REQUIRE(m.model == &replies());
    return m.model->Measure(m.index, QcIndex(queue, kChat), window, clock.NowMs());
  }
  // The whole /metrics body now.
  std::string Metrics() {
    core.Tick(clock.NowMs());
    std::string out;
    MetricWriter writer(out);
    core.RenderMetrics(writer, clock.NowMs());
    return out;
  }
  // The replies model's own families now: what a refused event must leave unchanged.
  std::string RepliesFigures() {
    core.Tick(clock.NowMs());
    std::string out;
    MetricWriter writer(out);
    replies().RenderMetrics(writer, clock.NowMs());
    std::vector<OutcomeCount> outcomes;
    for (uint32_t i = 0; i < core.directory().size(); ++i) {
      for (size_t win = 0; win < core.config().windows.size(); ++win) {
        replies().WindowOutcomes(i, win, outcomes);
      }
    }
    for (const OutcomeCount& o : outcomes) out += std::to_string(o.value) + ' ';
    return out;
  }

  static constexpr Channel kChat = Channel::kChat;
};

}  // namespace floorwatch::testing
