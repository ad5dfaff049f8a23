#include "floorwatch/bridge/io/twilio_adapter.h"

#include "floorwatch/bridge/core/twilio_signature.h"
#include "floorwatch/bridge/io/mapper_state.h"
#include "floorwatch/bridge/io/secret_file.h"
#include "floorwatch/log/log.h"

namespace floorwatch::bridge {
namespace {

constexpr uint8_t kStateVersion = 1;
constexpr size_t kMaxBodyBytes = 64 << 10;  // a callback is a few KB (Task attributes included)

std::string_view SkipReason(TwilioOutcome outcome) {
  switch (outcome) {
    case TwilioOutcome::kUnmappedType:
      return "unmapped_type";
    case TwilioOutcome::kMissingField:
      return "missing_field";
    case TwilioOutcome::kUnknownTask:
      return "unknown_task";
    case TwilioOutcome::kOutOfOrder:
      return "out_of_order";
    case TwilioOutcome::kDuplicate:
      return "duplicate";
    case TwilioOutcome::kLimit:
      return "limit";
    case TwilioOutcome::kMapped:
      break;
  }
  return "";
}

HttpResponse Answer(unsigned status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

}  // namespace

TwilioAdapter::TwilioAdapter(const TwilioOptions& options) : options_(options) {
  CheckPublicUrl(options_.public_url, &path_);
}

void TwilioAdapter::SaveState(std::string& out) const {
  SaveMapperState(mapper_, kStateVersion, out);
}

bool TwilioAdapter::LoadState(std::string_view state, std::string* error) {
  return LoadMapperState(mapper_, kStateVersion, platform(), state, error);
}

bool TwilioAdapter::Redo(std::string_view redo) {
  TwilioEvent event;
  if (!DecodeForm(redo, &params_) || ParseTwilioEvent(params_, &event) != TwilioParse::kOk) {
    return false;
  }
  events_.clear();
  mapper_.Apply(event, events_);  // the events were journaled with the callback
  return true;
}

bool TwilioAdapter::Open(std::string* error) {
  if (std::string e = ReadSecretFile(options_.auth_token_file, &auth_token_); !e.empty()) {
    return *error = e, false;
  }
  try {
    intake_ = std::make_unique<HttpIntake>(options_.listen, kMaxBodyBytes,
                                           [this](const HttpRequest& r) { return Handle(r); });
  } catch (const std::exception& e) {
    return *error = e.what(), false;
  }
  LogInfo("twilio listening on " + intake_->address() + " (POST " + path_ + ", signed for " +
          options_.public_url + ")");
  return true;
}

void TwilioAdapter::HandleCallback(std::string_view body) {
  TwilioEvent event;
  switch (ParseTwilioEvent(params_, &event)) {
    case TwilioParse::kNoEventType:
      return sink_->Skip("missing_field", "", body, 0);
    case TwilioParse::kBadTimestamp:
      return sink_->Skip("bad_timestamp", event.event_type, body, 0);
    case TwilioParse::kOk:
      break;
  }
  events_.clear();
  const TwilioOutcome outcome = mapper_.Apply(event, events_);
  if (outcome != TwilioOutcome::kMapped) {
    return sink_->Skip(SkipReason(outcome), event.event_type, body, event.ts_ms);
  }
  sink_->Record(events_, body, event.ts_ms);
}

HttpResponse TwilioAdapter::Handle(const HttpRequest& request) {
  const std::string_view path = request.target.substr(0, request.target.find('?'));
  if (path != path_) {
    sink_->Skip("bad_request", "not_found", std::string(request.target), 0);
    return Answer(404, "{\"error\":\"not found\"}\n");
  }
  if (request.method != "POST") {
    sink_->Skip("bad_request", "method", std::string(request.method) + " " + path_, 0);
    return Answer(405, "{\"error\":\"POST only\"}\n");
  }
  if (!DecodeForm(request.body, &params_)) {
    sink_->Skip("bad_request", "not_form", request.body, 0);
    return Answer(400, "{\"error\":\"not an application/x-www-form-urlencoded body\"}\n");
  }
  const std::string_view signature =
      request.header ? request.header("X-Twilio-Signature") : std::string_view();
  if (!TwilioSignatureValid(auth_token_, options_.public_url, params_, signature)) {
    sink_->Skip("auth_failed", signature.empty() ? "missing_signature" : "bad_signature",
                signature.empty() ? "a callback without X-Twilio-Signature"
                                  : "a callback whose X-Twilio-Signature does not match",
                0);
    return Answer(403, "{\"error\":\"X-Twilio-Signature is missing or wrong\"}\n");
  }
  HandleCallback(request.body);
  return Answer(204, "");
}

bool TwilioAdapter::Poll(RecordSink& sink, int max_wait_ms) {
  sink_ = &sink;
  intake_->Poll(max_wait_ms);
  return true;
}

void TwilioAdapter::Figures(std::vector<Figure>& out) const {
  out.push_back({"floorwatch_bridge_http_requests_total", "counter",
                 "HTTP requests to the input endpoint, refused ones included.",
                 intake_ ? double(intake_->requests()) : 0.0});
  out.push_back({"floorwatch_bridge_input_open", "gauge", "1 while the HTTP endpoint is open.",
                 intake_ ? 1.0 : 0.0});
  out.push_back({"floorwatch_bridge_twilio_tasks", "gauge",
                 "Tasks remembered (for their stage and queue).", double(mapper_.tasks())});
  out.push_back({"floorwatch_bridge_twilio_workers", "gauge", "Workers remembered.",
                 double(mapper_.workers())});
}

}  // namespace floorwatch::bridge
