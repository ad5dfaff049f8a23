// The HTTP adapters' intake (bridge/io/http_intake.cpp): a handler sees the body and the
// headers, and its answer is sent only at the next Poll (after the runner's commit).
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "floorwatch/bridge/io/http_intake.h"

using namespace floorwatch;
using namespace floorwatch::bridge;

namespace {

int Connect(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  return fd;
}

// What the server sent within `ms` (empty if nothing).
std::string Received(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, ms) <= 0) return {};
  char buf[4096];
  const ssize_t n = recv(fd, buf, sizeof buf, 0);
  return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

}  // namespace

TEST_CASE("the handler sees the body and headers; the answer waits for the next Poll") {
  std::string body, key;
  HttpIntake intake("127.0.0.1:0", 1024, [&](const HttpRequest& r) {
    body.assign(r.body);
    key.assign(r.header("x-api-key"));  // any case
    HttpResponse response;
    response.body = "taken\n";
    return response;
  });
  const uint16_t port =
      uint16_t(std::stoi(intake.address().substr(intake.address().rfind(':') + 1)));
  const int fd = Connect(port);
  const std::string request =
      "POST /events HTTP/1.1\r\nHost: x\r\nX-Api-Key: k-1\r\nContent-Length: 7\r\n\r\n{\"a\":1}";
  REQUIRE(send(fd, request.data(), request.size(), 0) == ssize_t(request.size()));
  CHECK(intake.Poll(2000) == 1);
  CHECK(body == "{\"a\":1}");
  CHECK(key == "k-1");
  CHECK(Received(fd, 100).empty());  // not answered before the commit
  intake.Poll(50);
  const std::string answer = Received(fd, 1000);
  CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(answer.find("taken") != std::string::npos);
  CHECK(intake.requests() == 1);
  close(fd);
}
