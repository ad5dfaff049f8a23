// The HTTP side of the connect and twilio adapters: the daemon's HTTP server
// (floorwatch/http/http_server.h) on an io_context that the adapter runs inside its Poll, on
// the bridge thread (adapter.h), so a handler may hand records straight to the RecordSink.
//
// A request is answered only after the runner has committed what the handler handed over
// (journaled with --state-dir, and posted to the publisher): the handler returns the
// response, the intake keeps it, and the next Poll (which the runner calls only after a
// commit) sends it. So a 2xx means the records are safe; a sender that gets no answer (the
// bridge was killed) sends again, and the mappers take a repeat as a duplicate. Poll
// returns as soon as a request was handled, so one request's wait is one commit.
//
// Bridge thread only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "floorwatch/http/http_server.h"

namespace floorwatch::bridge {

class HttpIntake {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest& request)>;

  // Binds `listen` (port 0: a free one); throws std::runtime_error if it cannot.
  HttpIntake(const std::string& listen, size_t max_body_bytes, Handler handler);
  // Sends the answers still held (the runner committed before the adapter goes), briefly.
  ~HttpIntake();
  HttpIntake(const HttpIntake&) = delete;
  HttpIntake& operator=(const HttpIntake&) = delete;

  std::string address() const;
  // Sends the answers of the requests handled before, then serves for at most `max_wait_ms`,
  // returning early once a request was handled. Returns how many were handled.
  size_t Poll(int max_wait_ms);
  uint64_t requests() const { return requests_; }

 private:
  boost::asio::io_context io_;
  std::unique_ptr<HttpServer> server_;
  Handler handler_;
  std::vector<std::pair<std::function<void(HttpResponse)>, HttpResponse>> held_;
  size_t handled_ = 0;  // in this Poll
  bool closing_ = false;
  uint64_t requests_ = 0;
};

}  // namespace floorwatch::bridge
