// GET /metrics without stalling ingest: the core thread renders the body a slice at a time
// (a few of RenderMetricsPart's parts, about kSliceBytes) and posts each slice to the main
// thread, which sends it as an HTTP chunk while the core thread goes back to its inputs for
// a batch before the next slice. So the longest time events wait for a scrape is one slice,
// not the whole body, and sending overlaps rendering. A slice is consistent in itself; slices
// are a batch of events apart (docs/architecture.md, "Scrape").
//
// Threads: Start on the main (io_context) thread; everything else runs on the core thread,
// which owns the figures kept here (the previous scrape's render time and longest pause) and
// the pool of slice buffers.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "floorwatch/http/http_server.h"
#include "floorwatch/render/metrics_text.h"
#include "floorwatch/runtime/core_loop.h"

namespace floorwatch {

class MetricsScrape {
 public:
  // A slice ends at the first part boundary past this size (~1-2 ms of rendering).
  static constexpr size_t kSliceBytes = 2 << 20;

  MetricsScrape(boost::asio::io_context& io, CoreLoop& loop) : io_(io), loop_(loop) {}

  // Main thread. `info` holds the main thread's figures (process, notifications, reloads);
  // the core thread adds its own. The body goes into `stream` until End or its close.
  void Start(DaemonInfo info, std::shared_ptr<HttpBodyStream> stream);

 private:
  struct Scrape {
    DaemonInfo info;
    std::shared_ptr<HttpBodyStream> stream;
    size_t next_part = 0;
    int64_t now_ms = 0;         // the scrape's time, taken by its first slice
    uint64_t received = 0;      // the core's received count at the previous slice
    double render_seconds = 0;  // core thread time, all slices
    double longest_slice_seconds = 0;
  };
  void Slice(const std::shared_ptr<Scrape>& scrape);  // core thread
  void AddCoreFigures(DaemonInfo& info);              // core thread
  // What parts first_part.. of a slice took at the last scrape, with room to grow.
  size_t ExpectedBytes(size_t first_part, size_t parts) const;
  std::string TakeBuffer(size_t bytes);  // core thread: a spare, or a new buffer

  boost::asio::io_context& io_;
  CoreLoop& loop_;
  double last_render_seconds_ = 0;         // core thread only
  double last_pause_seconds_ = 0;          // core thread only
  std::vector<std::string> spare_slices_;  // core thread only: buffers to reuse
  std::vector<size_t> part_bytes_;         // core thread only: each part's size last scrape
};

}  // namespace floorwatch
