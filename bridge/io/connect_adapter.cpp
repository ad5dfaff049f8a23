#include "floorwatch/bridge/io/connect_adapter.h"

#include <algorithm>

#include "floorwatch/bridge/io/mapper_state.h"
#include "floorwatch/bridge/io/secret_file.h"
#include "floorwatch/log/log.h"

namespace floorwatch::bridge {
namespace {

constexpr uint8_t kStateVersion = 1;
constexpr size_t kMaxBodyBytes = 1 << 20;  // EventBridge events are at most 256 KB
constexpr size_t kReadBudget = 1 << 20;    // --stdin bytes per Poll: the runner commits between
constexpr int kBothInputsSliceMs = 20;     // how often --stdin is looked at while serving HTTP

std::string_view SkipReason(ConnectOutcome outcome) {
  switch (outcome) {
    case ConnectOutcome::kUnmappedType:
      return "unmapped_type";
    case ConnectOutcome::kNotQueued:
      return "not_queued";
    case ConnectOutcome::kMissingField:
      return "missing_field";
    case ConnectOutcome::kOutOfOrder:
      return "out_of_order";
    case ConnectOutcome::kDuplicate:
      return "duplicate";
    case ConnectOutcome::kLimit:
      return "limit";
    case ConnectOutcome::kMapped:
      break;
  }
  return "";
}

std::string_view TypeOf(const ConnectRecord& r) {
  return r.kind == ConnectKind::kAgent ? std::string_view(r.agent.event_type)
                                       : std::string_view(r.contact.event_type);
}

int64_t TimeOf(const ConnectRecord& r) {
  return r.kind == ConnectKind::kAgent ? r.agent.ts_ms : r.contact.ts_ms;
}

HttpResponse Answer(unsigned status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

std::string ErrorBody(std::string_view error) {
  std::string body = "{\"error\":";
  AppendJsonText(body, error);
  return body + "}\n";
}

}  // namespace

ConnectAdapter::ConnectAdapter(const ConnectOptions& options, int stdin_fd)
    : options_(options), stdin_fd_(stdin_fd) {}

void ConnectAdapter::SaveState(std::string& out) const {
  SaveMapperState(mapper_, kStateVersion, out);
}

bool ConnectAdapter::LoadState(std::string_view state, std::string* error) {
  return LoadMapperState(mapper_, kStateVersion, platform(), state, error);
}

bool ConnectAdapter::Redo(std::string_view redo) {
  ConnectRecord record;
  std::string error;
  if (!parser_.ParseOne(redo, record, &error)) return false;
  events_.clear();
  mapper_.Apply(record, events_);  // the events were journaled with the record
  return true;
}

bool ConnectAdapter::Open(std::string* error) {
  if (!options_.listen.empty()) {
    if (std::string e = ReadSecretFile(options_.api_key_file, &api_key_); !e.empty()) {
      return *error = e, false;
    }
    try {
      intake_ = std::make_unique<HttpIntake>(options_.listen, kMaxBodyBytes,
                                             [this](const HttpRequest& r) { return Handle(r); });
    } catch (const std::exception& e) {
      return *error = e.what(), false;
    }
    LogInfo("connect listening on " + intake_->address() + " (POST /events)");
  }
  if (options_.stdin_lines) {
    stdin_ = std::make_unique<LineReader>(stdin_fd_);
    LogInfo("connect reading JSON lines from standard input");
  }
  return true;
}

bool ConnectAdapter::HandleRecord(const ConnectRecord& r) {
  if (r.kind == ConnectKind::kUnknown) {
    sink_->Skip("unknown_kind", r.kind_name, r.json, 0);
    return false;
  }
  if (r.kind == ConnectKind::kInvalid) {
    sink_->Skip("missing_field", r.kind_name, r.error + ": " + r.json, 0);
    return false;
  }
  events_.clear();
  const ConnectOutcome outcome = mapper_.Apply(r, events_);
  if (outcome != ConnectOutcome::kMapped) {
    sink_->Skip(SkipReason(outcome), TypeOf(r), r.json, TimeOf(r));
    return false;
  }
  sink_->Record(events_, r.json, TimeOf(r));
  return true;
}

HttpResponse ConnectAdapter::Handle(const HttpRequest& request) {
  const std::string_view path = request.target.substr(0, request.target.find('?'));
  if (path != "/events") {
    sink_->Skip("bad_request", "not_found", std::string(request.target), 0);
    return Answer(404, ErrorBody("not found: POST /events"));
  }
  if (request.method != "POST") {
    sink_->Skip("bad_request", "method", std::string(request.method) + " /events", 0);
    return Answer(405, ErrorBody("POST only"));
  }
  const std::string_view key = request.header ? request.header("X-Api-Key") : "";
  if (key.empty() || !SecretEquals(key, api_key_)) {
    sink_->Skip("auth_failed", key.empty() ? "missing_key" : "wrong_key",
                key.empty() ? "a request without X-Api-Key" : "a request with a wrong X-Api-Key",
                0);
    return Answer(401, ErrorBody("the X-Api-Key header is missing or wrong"));
  }
  records_.clear();
  std::string error;
  if (!parser_.ParseBody(request.body, records_, &error)) {
    sink_->Skip("bad_request", "not_json", error, 0);
    return Answer(400, ErrorBody(error));
  }
  size_t skipped = 0;
  for (const ConnectRecord& r : records_) skipped += HandleRecord(r) ? 0 : 1;
  return Answer(200, "{\"records\":" + std::to_string(records_.size()) +
                         ",\"skipped\":" + std::to_string(skipped) + "}\n");
}

void ConnectAdapter::HandleLine(std::string_view line, bool too_long) {
  if (too_long) return sink_->Skip("too_long", "", "(a --stdin line over 1 MiB)", 0);
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;  // a blank line
  ConnectRecord record;
  std::string error;
  if (!parser_.ParseOne(line, record, &error)) return sink_->Skip("bad_json", "", line, 0);
  HandleRecord(record);
}

bool ConnectAdapter::Poll(RecordSink& sink, int max_wait_ms) {
  sink_ = &sink;
  size_t lines = 0;
  if (stdin_) {
    lines = stdin_->Read([this](std::string_view l, bool too_long) { HandleLine(l, too_long); },
                         kReadBudget);
    if (stdin_->at_end() && !stdin_end_logged_) {
      stdin_end_logged_ = true;
      LogInfo(intake_ ? "connect: standard input ended; HTTP goes on"
                      : "connect: standard input ended");
    }
  }
  const bool stdin_open = stdin_ && !stdin_->at_end();
  if (!intake_) {
    if (lines == 0 && stdin_open) stdin_->Wait(max_wait_ms);
    return lines > 0 || stdin_open;  // --stdin alone stops at the end of its input
  }
  intake_->Poll(lines > 0    ? 0
                : stdin_open ? std::min(max_wait_ms, kBothInputsSliceMs)
                             : max_wait_ms);
  return true;
}

void ConnectAdapter::Figures(std::vector<Figure>& out) const {
  out.push_back({"floorwatch_bridge_http_requests_total", "counter",
                 "HTTP requests to the input endpoint, refused ones included.",
                 intake_ ? double(intake_->requests()) : 0.0});
  out.push_back({"floorwatch_bridge_input_open", "gauge",
                 "1 while an input is open (the HTTP endpoint, or --stdin before its end).",
                 intake_ || (stdin_ && !stdin_->at_end()) ? 1.0 : 0.0});
  out.push_back({"floorwatch_bridge_connect_contacts", "gauge",
                 "Contacts remembered (for their stage and transfers).",
                 double(mapper_.contacts())});
  out.push_back({"floorwatch_bridge_connect_agents", "gauge", "Agents remembered.",
                 double(mapper_.agents())});
}

}  // namespace floorwatch::bridge
