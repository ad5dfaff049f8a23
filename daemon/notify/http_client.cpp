#include "floorwatch/notify/http_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>

namespace floorwatch {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::optional<HttpUrl> ParseHttpUrl(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return std::nullopt;
  const std::string rest = url.substr(scheme.size());
  const size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  HttpUrl u;
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.empty()) return std::nullopt;
  if (authority.front() == '[') {  // [v6]:port
    const size_t close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    u.host = authority.substr(1, close - 1);
    u.port = close + 2 <= authority.size() ? authority.substr(close + 2) : "80";
  } else {
    const size_t colon = authority.rfind(':');
    u.host = authority.substr(0, colon);
    u.port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  }
  if (u.host.empty() || u.port.empty()) return std::nullopt;
  return u;
}

namespace {

struct Exchange : std::enable_shared_from_this<Exchange> {
  Exchange(asio::io_context& io, std::function<void(bool, std::string)> d)
      : resolver(io), stream(io), done(std::move(d)) {}

  void Finish(bool ok, std::string detail) {
    if (!done) return;
    auto d = std::move(done);
    done = nullptr;
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    d(ok, std::move(detail));
  }

  tcp::resolver resolver;
  beast::tcp_stream stream;
  http::request<http::string_body> request;
  http::response<http::string_body> response;
  beast::flat_buffer buffer;
  std::function<void(bool, std::string)> done;
};

}  // namespace

void HttpPost(asio::io_context& io, const HttpUrl& url, std::string body,
              std::chrono::milliseconds timeout, std::function<void(bool, std::string)> done) {
  auto x = std::make_shared<Exchange>(io, std::move(done));
  x->request = http::request<http::string_body>(http::verb::post, url.target, 11);
  x->request.set(http::field::host, url.host + ":" + url.port);
  x->request.set(http::field::user_agent, "floorwatchd");
  x->request.set(http::field::content_type, "application/json");
  x->request.body() = std::move(body);
  x->request.prepare_payload();
  x->stream.expires_after(timeout);
  x->resolver.async_resolve(
      url.host, url.port, [x](beast::error_code ec, tcp::resolver::results_type results) {
        if (ec) return x->Finish(false, "resolve: " + ec.message());
        x->stream.async_connect(results, [x](beast::error_code ec, const tcp::endpoint&) {
          if (ec) return x->Finish(false, "connect: " + ec.message());
          http::async_write(x->stream, x->request, [x](beast::error_code ec, size_t) {
            if (ec) return x->Finish(false, "write: " + ec.message());
            http::async_read(x->stream, x->buffer, x->response, [x](beast::error_code ec, size_t) {
              if (ec) return x->Finish(false, "read: " + ec.message());
              const unsigned status = x->response.result_int();
              x->Finish(status >= 200 && status < 300, "HTTP " + std::to_string(status));
            });
          });
        });
      });
}

}  // namespace floorwatch
