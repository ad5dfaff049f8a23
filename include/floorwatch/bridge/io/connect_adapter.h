// The connect adapter (ADAPTERS.md "connect"; docs/bridge.md): Amazon Connect contact
// events and agent event stream records, POSTed to /events (an EventBridge API destination
// sends them with the key in X-Api-Key) and/or read as JSON lines from standard input
// (--stdin, e.g. from a Kinesis consumer), parsed (core/connect_record.h) and mapped
// (core/connect_mapper.h).
//
// Answers: 200 with {"records":N,"skipped":M} once the records are committed
// (io/http_intake.h); 401 without the right X-Api-Key, 400 for a body that is not JSON
// (nothing of either is published); 404 for another path, 405 for another method.
// Skip reasons: auth_failed (kind missing_key / wrong_key), bad_request (not_json,
// not_found, method), bad_json (a --stdin line), too_long (a --stdin line over 1 MiB),
// unknown_kind (kind = the detail-type or EventType), missing_field, unmapped_type
// (kind = the eventType), not_queued, out_of_order, duplicate, limit.
//
// Its state is the mapper's; a record that changed it is journaled with its JSON text as
// redo bytes. There is no input position: a request is answered after its records are
// journaled, so a sender (EventBridge retries) sends again what was not answered; lines of
// --stdin that were read but not journaled at a kill -9 are lost.
//
// Bridge thread only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "floorwatch/bridge/core/connect_mapper.h"
#include "floorwatch/bridge/core/options.h"
#include "floorwatch/bridge/io/adapter.h"
#include "floorwatch/bridge/io/http_intake.h"
#include "floorwatch/bridge/io/line_reader.h"

namespace floorwatch::bridge {

class ConnectAdapter : public Adapter {
 public:
  explicit ConnectAdapter(const ConnectOptions& options, int stdin_fd = 0);

  std::string_view platform() const override { return "connect"; }
  void SaveState(std::string& out) const override;
  bool LoadState(std::string_view state, std::string* error) override;
  bool Redo(std::string_view redo) override;
  bool Open(std::string* error) override;
  bool Poll(RecordSink& sink, int max_wait_ms) override;
  void Figures(std::vector<Figure>& out) const override;

 private:
  HttpResponse Handle(const HttpRequest& request);
  // One record: published (Record) or skipped (Skip); false if skipped.
  bool HandleRecord(const ConnectRecord& record);
  void HandleLine(std::string_view line, bool too_long);

  ConnectOptions options_;
  int stdin_fd_;
  std::string api_key_;
  ConnectParser parser_;
  ConnectMapper mapper_;
  std::unique_ptr<LineReader> stdin_;
  RecordSink* sink_ = nullptr;  // during Poll
  std::vector<ConnectRecord> records_;
  std::vector<OutEvent> events_;
  bool stdin_end_logged_ = false;
  std::unique_ptr<HttpIntake> intake_;  // last: its handler uses the members above
};

}  // namespace floorwatch::bridge
