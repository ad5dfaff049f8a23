#include "floorwatch/runtime/metrics_scrape.h"

#include <boost/asio/post.hpp>
#include <chrono>
#include <map>

namespace floorwatch {
namespace {

// Firing alerts per (alertname, severity) for every severity a rule can raise. Core thread.
std::vector<std::tuple<std::string, std::string, int64_t>> FiringCounts(CoreLoop& loop) {
  std::map<std::pair<std::string, std::string>, int64_t> counts;
  for (const AlertRule& rule : loop.core().config().alerts) {
    counts[{rule.name, rule.severity}];
    for (const EscalationStep& step : rule.escalate) counts[{rule.name, step.severity}];
  }
  for (const ActiveAlert& a : loop.alerts().Active(loop.core())) {
    if (a.firing) ++counts[{a.alertname, a.severity}];
  }
  std::vector<std::tuple<std::string, std::string, int64_t>> out;
  for (const auto& [key, n] : counts) out.emplace_back(key.first, key.second, n);
  return out;
}

}  // namespace

void MetricsScrape::Start(DaemonInfo info, std::shared_ptr<HttpBodyStream> stream) {
  // Slices come back once sent: the next scrape renders into memory already paged in, not
  // into fresh pages (a fresh 32 MB body once cost ~8,000 page faults, half the render).
  stream->recycle = [this](std::string slice) {
    loop_.Post([this, slice = std::move(slice)](CoreLoop&) mutable {
      if (spare_slices_.size() < 64) spare_slices_.push_back(std::move(slice));
    });
  };
  auto scrape = std::make_shared<Scrape>(Scrape{std::move(info), std::move(stream)});
  loop_.Post([this, scrape](CoreLoop&) { Slice(scrape); });
}

void MetricsScrape::AddCoreFigures(DaemonInfo& info) {
  info.last_render_seconds = last_render_seconds_;
  info.last_render_pause_seconds = last_pause_seconds_;
  info.alerts_firing = FiringCounts(loop_);
  info.state = loop_.state_stats();
}

size_t MetricsScrape::ExpectedBytes(size_t first_part, size_t parts) const {
  size_t bytes = 0;
  for (size_t p = first_part; p < parts && bytes < kSliceBytes; ++p)
    bytes += p < part_bytes_.size() ? part_bytes_[p] : 0;
  return bytes + bytes / 8 + 4096;  // a part grows between scrapes as queues and agents come
}

// The smallest spare that holds `bytes`, else one reserved to it once. A slice that grows by
// doubling copies itself about twice, and fresh pages fault one by one: with buffers of the
// wrong size, slices took 2-3x the core time of one whole-body render (bench/, 2026-12-01).
std::string MetricsScrape::TakeBuffer(size_t bytes) {
  size_t best = spare_slices_.size();
  for (size_t i = 0; i < spare_slices_.size(); ++i) {
    const size_t capacity = spare_slices_[i].capacity();
    if (capacity >= bytes &&
        (best == spare_slices_.size() || capacity < spare_slices_[best].capacity()))
      best = i;
  }
  if (best == spare_slices_.size() && !spare_slices_.empty()) best = 0;  // to grow once
  std::string buffer;
  if (best < spare_slices_.size()) {
    buffer = std::move(spare_slices_[best]);
    spare_slices_[best] = std::move(spare_slices_.back());
    spare_slices_.pop_back();
    buffer.clear();
  }
  buffer.reserve(bytes);
  return buffer;
}

void MetricsScrape::Slice(const std::shared_ptr<Scrape>& scrape) {
  if (scrape->stream->closed()) return;  // the client went away: stop rendering for it
  const auto start = std::chrono::steady_clock::now();
  Core& core = loop_.core();
  // One scrape time for every slice, and a Tick only when events came in since the last
  // slice: a Tick or a new `now` makes the staffing and prediction models rebuild their caches
  // (one unpaired run with a Tick per slice: 304 ms of render per scrape, 161-175 ms without).
  if (scrape->next_part == 0) scrape->now_ms = loop_.clock().NowMs();
  const int64_t now = scrape->now_ms;
  const uint64_t received = core.stats().received;
  if (scrape->next_part == 0 || received != scrape->received) core.Tick(now);
  scrape->received = received;
  if (scrape->next_part == 0) AddCoreFigures(scrape->info);
  std::string slice = TakeBuffer(ExpectedBytes(scrape->next_part, MetricsParts(core)));
  while (scrape->next_part < MetricsParts(core) && slice.size() < kSliceBytes) {
    const size_t before = slice.size();
    RenderMetricsPart(core, scrape->info, scrape->next_part, now, slice);
    if (part_bytes_.size() <= scrape->next_part) part_bytes_.resize(scrape->next_part + 1);
    part_bytes_[scrape->next_part++] = slice.size() - before;
  }
  const bool done = scrape->next_part >= MetricsParts(core);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  scrape->render_seconds += seconds;
  scrape->longest_slice_seconds = std::max(scrape->longest_slice_seconds, seconds);
  if (done) {
    last_render_seconds_ = scrape->render_seconds;
    last_pause_seconds_ = scrape->longest_slice_seconds;
  }
  boost::asio::post(io_, [stream = scrape->stream, slice = std::move(slice), done]() mutable {
    stream->Write(std::move(slice));
    if (done) stream->End();
  });
  // To the back of the task list: the core loop polls its inputs and applies a batch first.
  if (!done) loop_.Post([this, scrape](CoreLoop&) { Slice(scrape); });
}

}  // namespace floorwatch
