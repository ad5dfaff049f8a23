// Minimal asynchronous HTTP/1.1 POST for alert delivery (Alertmanager, webhooks), on the
// caller's io_context (the notifier thread). Plain http:// only. One request per call, one
// connection per request; the timeout bounds the whole exchange, so a hung peer costs at
// most `timeout` and never blocks anything else.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace floorwatch {

struct HttpUrl {
  std::string host;
  std::string port;
  std::string target;  // path and query, at least "/"
};

// Parses "http://host[:port][/path]"; nullopt for anything else (https included).
std::optional<HttpUrl> ParseHttpUrl(const std::string& url);

// `done(ok, detail)`: ok is a 2xx answer; detail is the status or the error. Called on the
// io_context's thread, exactly once.
void HttpPost(boost::asio::io_context& io, const HttpUrl& url, std::string body,
              std::chrono::milliseconds timeout, std::function<void(bool, std::string)> done);

}  // namespace floorwatch
