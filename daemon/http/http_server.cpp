#include "floorwatch/http/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include "floorwatch/log/log.h"

namespace floorwatch {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(asio::io_context& io, HttpHandler h, HttpLimits l)
      : acceptor(io), handler(std::move(h)), limits(l) {}

  void Accept();

  tcp::acceptor acceptor;
  std::shared_ptr<asio::ssl::context> tls;  // null: plain HTTP; swapped on reload
  HttpHandler handler;
  HttpLimits limits;
  int connections = 0;
};

namespace {

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One connection. Stream is beast::tcp_stream (plain) or TlsStream.
template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  template <typename... Args>
  Session(std::shared_ptr<HttpServer::Impl> server, Args&&... stream_args)
      : stream_(std::forward<Args>(stream_args)...),
        server_(std::move(server)),
        piece_wait_(stream_.get_executor()) {
    ++server_->connections;
  }
  ~Session() { --server_->connections; }

  void Start() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      // The handshake counts against the same deadline as the request: no slow TLS clients.
      Lowest().expires_after(std::chrono::seconds(server_->limits.read_timeout_seconds));
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->Close();
                                self->Read();
                              });
    } else {
      Read();
    }
  }

  void Read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_->limits.max_header_bytes));
    parser_->body_limit(server_->limits.max_body_bytes);
    Lowest().expires_after(std::chrono::seconds(server_->limits.read_timeout_seconds));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

 private:
  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream) return Close();
    if (ec) {
      if (ec == http::error::header_limit || ec == http::error::body_limit) {
        return Send(HttpResponse{413, "text/plain; charset=utf-8", "request too large\n"}, false);
      }
      return Close();  // timeout, reset or garbage: drop the connection
    }
    const auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    head_ = req.method() == http::verb::head;
    Lowest()
        .expires_never();  // rendering may wait on the core thread; it is not the client's fault
    const auto auth = req.find(http::field::authorization);
    const HttpRequest request{
        std::string_view(req.method_string().data(), req.method_string().size()),
        std::string_view(req.target().data(), req.target().size()),
        auth == req.end() ? std::string_view()
                          : std::string_view(auth->value().data(), auth->value().size()),
        req.body(), [&req](std::string_view name) {
          const auto it = req.find(beast::string_view(name.data(), name.size()));
          return it == req.end() ? std::string_view()
                                 : std::string_view(it->value().data(), it->value().size());
        }};
    server_->handler(request, [self = this->shared_from_this()](HttpResponse r) {
      self->Send(std::move(r), self->keep_alive_);
    });
  }

  void Send(HttpResponse r, bool keep_alive) {
    if (r.stream) return SendStream(std::move(r), keep_alive);
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), 11);
    res->set(http::field::server, "floorwatchd");
    res->set(http::field::content_type, r.content_type);
    res->set(http::field::cache_control, "no-store");
    if (!r.www_authenticate.empty()) res->set(http::field::www_authenticate, r.www_authenticate);
    res->keep_alive(keep_alive);
    const size_t length = r.body.size();
    res->body() = std::move(r.body);
    if (head_) res->body().clear();  // keeps the capacity for recycling
    res->content_length(length);
    Lowest().expires_after(std::chrono::seconds(30));
    http::async_write(stream_, *res,
                      [self = this->shared_from_this(), res, keep_alive,
                       recycle = std::move(r.recycle)](beast::error_code ec, size_t) {
                        if (recycle) recycle(std::move(res->body()));
                        if (ec || !keep_alive) return self->Close();
                        self->Read();
                      });
  }

  // The header now, then each piece as a chunk as it arrives, then the last chunk.
  void SendStream(HttpResponse r, bool keep_alive) {
    auto res =
        std::make_shared<http::response<http::empty_body>>(static_cast<http::status>(r.status), 11);
    res->set(http::field::server, "floorwatchd");
    res->set(http::field::content_type, r.content_type);
    res->set(http::field::cache_control, "no-store");
    res->keep_alive(keep_alive);
    res->chunked(true);
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*res);
    body_ = std::move(r.stream);
    Lowest().expires_after(std::chrono::seconds(30));
    http::async_write_header(stream_, *serializer,
                             [self = this->shared_from_this(), res, serializer, keep_alive](
                                 beast::error_code ec, size_t) {
                               if (ec || self->head_)
                                 return self->EndStream(ec, keep_alive);  // HEAD: no body
                               // Weak: while the session waits for pieces, the wait below
                               // holds it, as a read or write does, so that a stopped
                               // io_context frees it (a strong wake was a cycle: session ->
                               // body -> wake -> session, leaked at shutdown).
                               self->body_->wake = [weak = self->weak_from_this()] {
                                 if (auto s = weak.lock()) s->piece_wait_.cancel();
                               };
                               self->Pump(keep_alive);
                             });
  }

  void Pump(bool keep_alive) {
    if (writing_ || waiting_ || !body_) return;
    if (body_->pending.empty()) {
      if (!body_->ended) return WaitForPiece(keep_alive);
      writing_ = true;
      return asio::async_write(
          stream_, http::make_chunk_last(),
          [self = this->shared_from_this(), keep_alive](beast::error_code ec, size_t) {
            self->writing_ = false;
            self->EndStream(ec, keep_alive);
          });
    }
    auto piece = std::make_shared<std::string>(std::move(body_->pending.front()));
    body_->pending.pop_front();
    writing_ = true;
    Lowest().expires_after(std::chrono::seconds(30));
    asio::async_write(
        stream_, http::make_chunk(asio::buffer(*piece)),
        [self = this->shared_from_this(), piece, keep_alive](beast::error_code ec, size_t) {
          self->writing_ = false;
          if (self->body_ && self->body_->recycle) self->body_->recycle(std::move(*piece));
          if (ec) return self->EndStream(ec, keep_alive);
          self->Pump(keep_alive);
        });
  }

  // Until Write or End cancels the wait; a producer silent for kPieceTimeout ends the
  // connection (the client sees a body cut short, not a hang).
  void WaitForPiece(bool keep_alive) {
    waiting_ = true;
    piece_wait_.expires_after(kPieceTimeout);
    piece_wait_.async_wait([self = this->shared_from_this(), keep_alive](beast::error_code) {
      self->waiting_ = false;
      if (!self->body_) return;
      if (self->body_->pending.empty() && !self->body_->ended)
        return self->EndStream(asio::error::timed_out, keep_alive);
      self->Pump(keep_alive);
    });
  }

  void EndStream(beast::error_code ec, bool keep_alive) {
    body_->Close();
    body_.reset();
    if (ec || !keep_alive) return Close();
    Read();
  }

  void Close() {
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<HttpServer::Impl> server_;
  bool keep_alive_ = false;
  bool head_ = false;
  std::shared_ptr<HttpBodyStream> body_;  // the streamed body being sent, if any
  bool writing_ = false;                  // a chunk of it is being written
  bool waiting_ = false;                  // waiting on piece_wait_ for the producer
  asio::steady_timer piece_wait_;
  static constexpr std::chrono::seconds kPieceTimeout{30};
};

}  // namespace

void HttpBodyStream::Write(std::string piece) {
  if (closed()) return;
  pending.push_back(std::move(piece));
  if (wake) wake();
}

void HttpBodyStream::End() {
  ended = true;
  if (wake) wake();
}

void HttpServer::Impl::Accept() {
  acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      if (self->connections >= self->limits.max_connections) {
        beast::error_code ignored;
        socket.close(ignored);  // over the cap: refuse rather than queue
      } else if (auto tls = self->tls) {
        std::make_shared<Session<TlsStream>>(self, std::move(socket), *tls)->Start();
      } else {
        std::make_shared<Session<beast::tcp_stream>>(self, std::move(socket))->Start();
      }
    }
    self->Accept();
  });
}

HttpServer::HttpServer(asio::io_context& io, const std::string& listen, HttpHandler handler,
                       HttpLimits limits)
    : impl_(std::make_shared<Impl>(io, std::move(handler), limits)) {
  const auto colon = listen.rfind(':');
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const auto port = static_cast<uint16_t>(std::stoi(listen.substr(colon + 1)));
  beast::error_code ec;
  tcp::resolver resolver(io);
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty())
    throw std::runtime_error("http.listen " + listen + ": " + ec.message());
  const tcp::endpoint ep = results.begin()->endpoint();
  impl_->acceptor.open(ep.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(ep, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("http.listen " + listen + ": " + ec.message());
  impl_->Accept();
}

HttpServer::~HttpServer() {
  beast::error_code ec;
  impl_->acceptor.close(ec);
}

void HttpServer::SetTls(std::shared_ptr<asio::ssl::context> tls) { impl_->tls = std::move(tls); }

uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string HttpServer::address() const {
  const auto ep = impl_->acceptor.local_endpoint();
  const std::string host = ep.address().to_string();
  return (ep.address().is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(ep.port());
}

}  // namespace floorwatch
