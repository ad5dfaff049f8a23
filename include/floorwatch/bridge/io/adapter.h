// The seam between one platform's input and the bridge's shared part (io/runner.h).
//
// An Adapter reads its platform's input (a queue_log file for Asterisk; HTTP requests for
// Amazon Connect and Twilio) and maps each input record to protocol v1 events with a pure
// mapper of its own. It hands every record to the RecordSink; the runner sequences the
// events (source, seq), journals them with the record's redo bytes before anything is
// published (io/state_store.h), hands them to the publisher and snapshots the adapter's
// state. So an adapter never sees seqs, sockets or files of the state directory; it only
// has to be able to save its state, load it, and redo one record from its redo bytes (the
// same state change, without output): restart = LoadState(snapshot), Redo(each journaled
// record after it), then Open and Poll on.
//
// Threads: every call comes from the bridge thread (the runner's), which owns the adapter.
// An adapter that serves HTTP runs its io_context inside Poll (io/http_intake.h). The runner
// commits (journals, then posts to the publisher) everything a Poll handed over before it
// calls Poll again, so an adapter may answer its sender at the next Poll: by then the records
// are safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "floorwatch/bridge/core/bridge_stats.h"
#include "floorwatch/bridge/core/out_event.h"

namespace floorwatch::bridge {

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // One input record that the adapter applied (its state may have changed): its events, in
  // order (maybe none), the bytes that redo it, and its own time (ms, 0 if it has none).
  // The runner may move the events out.
  virtual void Record(std::vector<OutEvent>& events, std::string_view redo, int64_t ts_ms) = 0;
  // One input record skipped as bad or unmapped: nothing published, state unchanged. Counted
  // by (reason, kind) and logged, rate-limited, with `detail` (e.g. the line).
  virtual void Skip(std::string_view reason, std::string_view kind, std::string_view detail,
                    int64_t ts_ms) = 0;
};

class Adapter {
 public:
  virtual ~Adapter() = default;
  virtual std::string_view platform() const = 0;  // "asterisk": the default source's prefix

  virtual void SaveState(std::string& out) const = 0;
  // False with `error` if `state` is not one this adapter saved (start-up stops).
  virtual bool LoadState(std::string_view state, std::string* error) = 0;
  // Re-applies one journaled record; false if `redo` is not one (logged, skipped).
  virtual bool Redo(std::string_view redo) = 0;

  // Opens the input once the state is restored; false with `error` stops start-up.
  virtual bool Open(std::string* error) = 0;
  // Handles the input there is now, waiting at most `max_wait_ms` for some. False when the
  // input is finished (--once at the end of the file): the runner then stops.
  virtual bool Poll(RecordSink& sink, int max_wait_ms) = 0;
  // Figures about its input for /metrics (file rotations, bytes not read yet, ...).
  virtual void Figures(std::vector<Figure>& out) const = 0;
};

}  // namespace floorwatch::bridge
