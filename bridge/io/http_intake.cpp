#include "floorwatch/bridge/io/http_intake.h"

#include <chrono>

namespace floorwatch::bridge {

HttpIntake::HttpIntake(const std::string& listen, size_t max_body_bytes, Handler handler)
    : handler_(std::move(handler)) {
  HttpLimits limits;
  limits.max_body_bytes = max_body_bytes;
  server_ = std::make_unique<HttpServer>(
      io_, listen,
      [this](const HttpRequest& request, std::function<void(HttpResponse)> respond) {
        if (closing_) {  // the adapter is going: the sender will try again
          return respond(HttpResponse{503, "text/plain; charset=utf-8", "stopping\n"});
        }
        ++handled_;
        ++requests_;
        held_.emplace_back(std::move(respond), handler_(request));
      },
      limits);
}

HttpIntake::~HttpIntake() {
  closing_ = true;
  Poll(0);
  server_.reset();  // no new connections; the open ones finish their writes
  io_.restart();
  io_.run_for(std::chrono::milliseconds(200));  // lets the last answers go out
}

std::string HttpIntake::address() const { return server_->address(); }

size_t HttpIntake::Poll(int max_wait_ms) {
  for (auto& [respond, response] : held_) respond(std::move(response));
  held_.clear();
  handled_ = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(max_wait_ms);
  if (io_.stopped()) io_.restart();
  io_.poll();  // what is ready now, the writes of the answers above among it
  while (handled_ == 0 && std::chrono::steady_clock::now() < deadline) {
    if (io_.run_one_until(deadline) == 0 && io_.stopped()) io_.restart();
  }
  return handled_;
}

}  // namespace floorwatch::bridge
