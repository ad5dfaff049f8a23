// A small HTTP/1.1 server on Boost.Beast for /metrics, /healthz, /readyz and /api/v1/*,
// plain or over TLS (OpenSSL).
// Single-threaded: every handler and completion runs on the io_context's thread. Bounded:
// request header and body size, a read timeout (slow clients are cut off) and a cap on
// concurrent connections (extra ones are closed at once).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

namespace floorwatch {

// A response body sent in pieces as they are produced (HTTP/1.1 chunked transfer encoding),
// so that sending overlaps producing: /metrics is rendered part by part on the core thread
// while the pieces already rendered go out. Write and End on the io_context thread only (a
// producer on another thread posts them there); closed() from any thread. Pieces wait here
// until the connection takes them, so a slow client holds at most the whole body.
class HttpBodyStream {
 public:
  void Write(std::string piece);
  void End();
  // The connection is gone (or failed): nothing more will be sent, the producer may stop.
  bool closed() const { return closed_.load(std::memory_order_relaxed); }

  // If set, receives each piece (with its capacity) once written. io_context thread.
  std::function<void(std::string)> recycle;

  // The session's side (http_server.cpp).
  std::deque<std::string> pending;
  bool ended = false;
  std::function<void()> wake;  // set while a session sends this body; cleared at its end
  void Close() {
    closed_.store(true, std::memory_order_relaxed);
    wake = nullptr;
  }

 private:
  std::atomic<bool> closed_{false};
};

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // If set, receives the body (with its capacity) once it has been written or the write
  // failed, so a large buffer can be reused instead of freed. Called on the io thread.
  std::function<void(std::string)> recycle;
  std::string www_authenticate;  // sent as WWW-Authenticate when not empty (401 answers)
  // If set, the body comes from here instead of `body` (chunked, no Content-Length).
  std::shared_ptr<HttpBodyStream> stream;
};

struct HttpRequest {
  std::string_view method;
  std::string_view target;
  std::string_view authorization;  // the Authorization header, empty if absent
  std::string_view body;           // the request body (empty for a GET), up to max_body_bytes
  // The value of another request header (name in any case), empty if absent. Null in a
  // request a test builds by hand.
  std::function<std::string_view(std::string_view name)> header;
};

// Called for each request; must eventually call `respond` exactly once, on the io_context
// thread (a handler may keep `respond` and answer later). The request's views are valid
// only during the call.
using HttpHandler =
    std::function<void(const HttpRequest& request, std::function<void(HttpResponse)> respond)>;

struct HttpLimits {
  size_t max_header_bytes = 8192;
  size_t max_body_bytes = 8192;
  int read_timeout_seconds = 10;
  int max_connections = 256;
};

class HttpServer {
 public:
  // Binds host:port ("127.0.0.1:0" picks a free port). Throws std::runtime_error with the
  // reason if it cannot bind.
  HttpServer(boost::asio::io_context& io, const std::string& listen, HttpHandler handler,
             HttpLimits limits = {});
  ~HttpServer();
  uint16_t port() const;
  std::string address() const;
  // Serve new connections over TLS with this context (null: plain HTTP). Connections
  // already open keep what they started with. io_context thread.
  void SetTls(std::shared_ptr<boost::asio::ssl::context> tls);

  struct Impl;  // public only so the session type in the .cpp can name it

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace floorwatch
