// floorwatch-zmq-bench: the load side of bench/run.py.
//   publish ENDPOINT N [QUEUES] [SLOTS]  PUSH-connect and send N events as fast as possible
//   sink ENDPOINT N                      PULL-bind, receive N messages, print the rate
//   flood ENDPOINT N                     N distinct contact, queue and agent ids each
//   outcomes ENDPOINT CUSTOMERS CLOSED   CUSTOMERS distinct customers, CLOSED of them on
//                                        distinct contacts handled by teams and let go
// The publisher pre-renders its events so it measures transport and receiver, not snprintf.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "event_stream.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// A PUSH socket that delivers everything before the process exits (linger -1).
zmq::socket_t ConnectPush(zmq::context_t& ctx, const std::string& endpoint, int hwm) {
  zmq::socket_t push(ctx, zmq::socket_type::push);
  push.set(zmq::sockopt::sndhwm, hwm);
  push.set(zmq::sockopt::linger, -1);
  push.connect(endpoint);
  return push;
}

int Publish(const std::string& endpoint, long n, int queues, int slots) {
  // Pre-render: one contiguous buffer with offsets.
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  floorwatch::bench::EventStream stream(queues, slots, now_ms);
  std::string data;
  std::vector<std::pair<size_t, size_t>> events;
  events.reserve(n);
  data.reserve(static_cast<size_t>(n) * 150);
  char buf[512];
  for (long i = 0; i < n; ++i) {
    const size_t len = stream.Next(buf);
    events.emplace_back(data.size(), len);
    data.append(buf, len);
  }
  zmq::context_t ctx(1);
  zmq::socket_t push = ConnectPush(ctx, endpoint, 1'000'000);
  std::printf("{\"sending\":true}\n");
  std::fflush(stdout);
  const auto start = std::chrono::steady_clock::now();
  for (const auto& [offset, len] : events) push.send(zmq::const_buffer(data.data() + offset, len));
  const auto sent = std::chrono::steady_clock::now();
  std::printf("{\"published\":%ld,\"send_seconds\":%.3f,\"bytes\":%zu}\n", n, Seconds(start, sent),
              data.size());
  return 0;
}

// N distinct contacts queued over 200 queues (for the memory measurement).
int Queued(const std::string& endpoint, long n) {
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  zmq::context_t ctx(1);
  zmq::socket_t push = ConnectPush(ctx, endpoint, 100'000);
  char buf[512];
  for (long i = 0; i < n; ++i) {
    const int len = std::snprintf(
        buf, sizeof buf,
        R"({"type":"contact.queued","ts":%lld,"id":"q%ld","contact":"c-%09ld","queue":"queue-%04ld","customer":"cust-%ld"})",
        static_cast<long long>(now_ms - 600'000 + i % 600'000), i, i, i % 200, i);
    push.send(zmq::const_buffer(buf, static_cast<size_t>(len)));
  }
  std::printf("{\"queued\":%ld}\n", n);
  return 0;
}

// For each i < n: a new contact in one of 200 queues, a new contact in a new queue, and a
// new agent: n distinct contact, queue and agent ids each (the memory-bound test).
int Flood(const std::string& endpoint, long n) {
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  zmq::context_t ctx(1);
  zmq::socket_t push = ConnectPush(ctx, endpoint, 100'000);
  char buf[512];
  const auto send = [&](int len) { push.send(zmq::const_buffer(buf, static_cast<size_t>(len))); };
  for (long i = 0; i < n; ++i) {
    const long long ts = now_ms - 600'000 + i % 600'000;
    send(std::snprintf(
        buf, sizeof buf,
        R"({"type":"contact.queued","ts":%lld,"contact":"c-%09ld","queue":"queue-%04ld"})", ts, i,
        i % 200));
    send(std::snprintf(
        buf, sizeof buf,
        R"({"type":"contact.queued","ts":%lld,"contact":"x-%09ld","queue":"flood-%09ld"})", ts, i,
        i));
    send(std::snprintf(
        buf, sizeof buf,
        R"({"type":"agent.state","ts":%lld,"agent":"agent-%09ld","state":"available"})", ts, i));
  }
  std::printf("{\"flood\":%ld,\"events\":%ld}\n", n, 3 * n);
  return 0;
}

// The outcome memories' flood: 100 agents of 10 teams log in; then CUSTOMERS - CLOSED new
// contacts, each of a new customer, abandoned at once, on the ids c-000000000..c-000000999
// over and over (one memory entry each, touched again and again); then CLOSED distinct
// contacts c-%09ld, each of a new customer, answered by an agent, ended and wrapped. So:
// CUSTOMERS distinct customers and CLOSED distinct closed contacts (the first 1,000 already
// known), 100 + 2 x (CUSTOMERS - CLOSED) + 4 x CLOSED events, none of them refused.
int Outcomes(const std::string& endpoint, long customers, long closed) {
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  zmq::context_t ctx(1);
  zmq::socket_t push = ConnectPush(ctx, endpoint, 100'000);
  char buf[512];
  long events = 0;
  const auto send = [&](int len) {
    push.send(zmq::const_buffer(buf, static_cast<size_t>(len)));
    ++events;
  };
  for (long a = 0; a < 100; ++a) {
    send(std::snprintf(
        buf, sizeof buf,
        R"({"type":"agent.login","ts":%lld,"agent":"agent-%03ld","team":"team-%02ld","queues":["queue-%04ld"]})",
        static_cast<long long>(now_ms), a, a % 10, a));
  }
  for (long i = 0; i < customers; ++i) {
    const long long ts = now_ms - 600'000 + i % 600'000;
    const bool handled = i >= customers - closed;
    const long contact = handled ? i - (customers - closed) : i % 1000;
    send(std::snprintf(
        buf, sizeof buf,
        R"({"type":"contact.queued","ts":%lld,"contact":"c-%09ld","queue":"queue-%04ld","customer":"cust-%ld"})",
        ts, contact, contact % 200, i));
    if (!handled) {
      send(std::snprintf(buf, sizeof buf,
                         R"({"type":"contact.abandoned","ts":%lld,"contact":"c-%09ld"})", ts,
                         contact));
      continue;
    }
    send(std::snprintf(
        buf, sizeof buf,
        R"({"type":"contact.answered","ts":%lld,"contact":"c-%09ld","agent":"agent-%03ld"})", ts,
        contact, contact % 100));
    send(std::snprintf(buf, sizeof buf, R"({"type":"contact.ended","ts":%lld,"contact":"c-%09ld"})",
                       ts, contact));
    send(std::snprintf(buf, sizeof buf,
                       R"({"type":"contact.wrapped","ts":%lld,"contact":"c-%09ld"})", ts, contact));
  }
  std::printf("{\"customers\":%ld,\"closed\":%ld,\"events\":%ld}\n", customers, closed, events);
  return 0;
}

int Sink(const std::string& endpoint, long n) {
  zmq::context_t ctx(1);
  zmq::socket_t pull(ctx, zmq::socket_type::pull);
  pull.set(zmq::sockopt::rcvhwm, 1'000'000);
  pull.bind(endpoint);
  std::printf("{\"ready\":true}\n");
  std::fflush(stdout);
  zmq::message_t msg;
  std::chrono::steady_clock::time_point first;
  size_t bytes = 0;
  for (long i = 0; i < n; ++i) {
    (void)pull.recv(msg);
    if (i == 0) first = std::chrono::steady_clock::now();
    bytes += msg.size();
  }
  const auto last = std::chrono::steady_clock::now();
  std::printf("{\"received\":%ld,\"seconds\":%.4f,\"bytes\":%zu}\n", n, Seconds(first, last),
              bytes);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 4 && std::string(argv[1]) == "publish") {
    return Publish(argv[2], std::atol(argv[3]), argc > 4 ? std::atoi(argv[4]) : 200,
                   argc > 5 ? std::atoi(argv[5]) : 10000);
  }
  if (argc == 4 && std::string(argv[1]) == "flood") return Flood(argv[2], std::atol(argv[3]));
  if (argc == 4 && std::string(argv[1]) == "queued") return Queued(argv[2], std::atol(argv[3]));
  if (argc == 5 && std::string(argv[1]) == "outcomes") {
    return Outcomes(argv[2], std::atol(argv[3]), std::atol(argv[4]));
  }
  if (argc == 4 && std::string(argv[1]) == "sink") return Sink(argv[2], std::atol(argv[3]));
  std::fprintf(stderr,
               "usage: floorwatch-zmq-bench publish ENDPOINT N [QUEUES] [SLOTS] | queued ENDPOINT "
               "N | flood ENDPOINT N | outcomes ENDPOINT CUSTOMERS CLOSED | sink ENDPOINT N\n");
  return 2;
}
