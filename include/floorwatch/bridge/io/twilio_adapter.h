// The twilio adapter (ADAPTERS.md "twilio"; docs/bridge.md): TaskRouter event callbacks
// POSTed (application/x-www-form-urlencoded) to the path of --public-url, the workspace's
// Event Callback URL. Each request's X-Twilio-Signature is checked against --public-url and
// the auth token (core/twilio_signature.h) before anything of it is used; the callback is
// decoded and parsed (core/twilio_record.h) and mapped (core/twilio_mapper.h).
//
// Answers: 204 once the callback is committed (io/http_intake.h; TaskRouter asks for a 204
// within 15 s); 403 for a missing or wrong signature and 400 for a body that is not a form
// (nothing of either is published); 404 for another path, 405 for another method.
// Skip reasons: auth_failed (kind missing_signature / bad_signature), bad_request (not_form,
// not_found, method), missing_field, bad_timestamp, unmapped_type (kind = the EventType),
// unknown_task, out_of_order, duplicate, limit.
//
// Its state is the mapper's; a callback that changed it is journaled with its body as redo
// bytes. Bridge thread only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "floorwatch/bridge/core/options.h"
#include "floorwatch/bridge/core/twilio_mapper.h"
#include "floorwatch/bridge/io/adapter.h"
#include "floorwatch/bridge/io/http_intake.h"

namespace floorwatch::bridge {

class TwilioAdapter : public Adapter {
 public:
  explicit TwilioAdapter(const TwilioOptions& options);

  std::string_view platform() const override { return "twilio"; }
  void SaveState(std::string& out) const override;
  bool LoadState(std::string_view state, std::string* error) override;
  bool Redo(std::string_view redo) override;
  bool Open(std::string* error) override;
  bool Poll(RecordSink& sink, int max_wait_ms) override;
  void Figures(std::vector<Figure>& out) const override;

 private:
  HttpResponse Handle(const HttpRequest& request);
  void HandleCallback(std::string_view body);

  TwilioOptions options_;
  std::string path_;  // of --public-url
  std::string auth_token_;
  TwilioMapper mapper_;
  RecordSink* sink_ = nullptr;  // during Poll
  FormParams params_;
  std::vector<OutEvent> events_;
  std::unique_ptr<HttpIntake> intake_;  // last: its handler uses the members above
};

}  // namespace floorwatch::bridge
