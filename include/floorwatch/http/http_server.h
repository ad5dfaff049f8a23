// A small HTTP/1.1 server on Boost.Beast for /metrics, /healthz, /readyz and /api/v1/*,
// plain or over TLS (OpenSSL).
// Single-threaded: every handler and completion runs on the io_context's thread. Bounded:
// request header and body size, a read timeout (slow clients are cut off) and a cap on
// concurrent connections (extra ones are closed at once).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace floorwatch {

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // If set, receives the body (with its capacity) once it has been written or the write
  // failed, so a large buffer can be reused instead of freed. Called on the io thread.
  std::function<void(std::string)> recycle;
  std::string www_authenticate;  // sent as WWW-Authenticate when not empty (401 answers)
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
