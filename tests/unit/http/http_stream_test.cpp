// A body streamed through HttpBodyStream: chunked on the wire, pieces in order, the
// connection kept for the next request; a HEAD gets the header alone.
#include <doctest/doctest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "floorwatch/http/http_server.h"

using namespace floorwatch;
namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// Serves every request with a body streamed in three pieces, the last posted only after the
// header went out (as the core thread's slices arrive).
struct StreamingServer {
  StreamingServer()
      : server(io, "127.0.0.1:0", [this](const HttpRequest&, std::function<void(HttpResponse)> r) {
          HttpResponse response{200, "text/plain"};
          auto stream = std::make_shared<HttpBodyStream>();
          response.stream = stream;
          stream->recycle = [this](std::string piece) { recycled.push_back(std::move(piece)); };
          stream->Write("first\n");
          r(std::move(response));
          asio::post(io, [stream] {
            stream->Write(std::string(100'000, 'x'));
            stream->Write("\nlast\n");
            stream->End();
          });
        }) {}
  asio::io_context io;
  HttpServer server;
  std::vector<std::string> recycled;
};

}  // namespace

TEST_CASE("a streamed body arrives chunked, whole and in order, and the connection stays open") {
  StreamingServer s;
  std::thread client_thread;
  std::vector<std::string> bodies;
  std::string transfer_encoding;
  client_thread = std::thread([&] {
    asio::io_context cio;
    asio::ip::tcp::socket socket(cio);
    socket.connect({asio::ip::make_address("127.0.0.1"), s.server.port()});
    boost::beast::flat_buffer buffer;
    for (int i = 0; i < 2; ++i) {
      http::request<http::empty_body> req{http::verb::get, "/metrics", 11};
      http::write(socket, req);
      http::response<http::string_body> res;
      http::read(socket, buffer, res);
      transfer_encoding = std::string(res[http::field::transfer_encoding]);
      bodies.push_back(res.body());
    }
    s.io.stop();
  });
  s.io.run();
  client_thread.join();
  REQUIRE(bodies.size() == 2);
  CHECK(transfer_encoding == "chunked");
  CHECK(bodies[0] == "first\n" + std::string(100'000, 'x') + "\nlast\n");
  CHECK(bodies[1] == bodies[0]);
  CHECK(s.recycled.size() >= 5);  // each piece handed back once written (the last may race)
}

TEST_CASE("a HEAD of a streamed body gets the header and no body") {
  StreamingServer s;
  std::string raw;
  std::thread client_thread([&] {
    asio::io_context cio;
    asio::ip::tcp::socket socket(cio);
    socket.connect({asio::ip::make_address("127.0.0.1"), s.server.port()});
    const std::string req = "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
    asio::write(socket, asio::buffer(req));
    asio::read_until(socket, asio::dynamic_buffer(raw), "\r\n\r\n");
    // A GET on the same connection must come next, so no body bytes were sent for the HEAD.
    const std::string get = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
    asio::write(socket, asio::buffer(get));
    asio::read_until(socket, asio::dynamic_buffer(raw), "last\n");
    s.io.stop();
  });
  s.io.run();
  client_thread.join();
  const size_t second = raw.find("HTTP/1.1 200", 1);
  REQUIRE(second != std::string::npos);
  CHECK(raw.substr(0, second).find("first") == std::string::npos);
  CHECK(raw.substr(0, second).ends_with("\r\n\r\n"));
}

namespace {

// Sends the header and a first piece, then the producer goes silent and never ends (as a
// scrape whose core-thread task is dropped when the daemon stops).
struct StalledServer {
  StalledServer()
      : server(io, "127.0.0.1:0", [this](const HttpRequest&, std::function<void(HttpResponse)> r) {
          HttpResponse response{200, "text/plain"};
          auto stream = std::make_shared<HttpBodyStream>();
          response.stream = stream;
          stream->Write("first\n");
          body = stream;
          r(std::move(response));
        }) {}
  asio::io_context io;
  HttpServer server;
  std::weak_ptr<HttpBodyStream> body;
};

}  // namespace

TEST_CASE("a session waiting on a silent producer is freed with its io_context, body and all") {
  std::weak_ptr<HttpBodyStream> body;
  std::string raw;
  {
    StalledServer s;
    std::thread client_thread([&] {
      asio::io_context cio;
      asio::ip::tcp::socket socket(cio);
      socket.connect({asio::ip::make_address("127.0.0.1"), s.server.port()});
      const std::string get = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
      asio::write(socket, asio::buffer(get));
      asio::read_until(socket, asio::dynamic_buffer(raw), "first\n");
      // The session now waits for a piece that never comes; the daemon stops.
      asio::post(s.io, [&s] { s.io.stop(); });
    });
    s.io.run();
    client_thread.join();
    body = s.body;
    REQUIRE_FALSE(body.expired());  // the waiting session still holds it
  }
  CHECK(raw.find("first\n") != std::string::npos);
  CHECK(body.expired());  // a strong wake would keep session and body alive in a cycle
}
