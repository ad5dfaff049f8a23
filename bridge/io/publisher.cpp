#include "floorwatch/bridge/io/publisher.h"

#include <cstring>
#include <optional>
#include <stdexcept>

#include "floorwatch/log/log.h"

namespace floorwatch::bridge {
namespace {

constexpr int kOutputHwm = 1'000'000;  // events queued per output while a peer is slow or away
constexpr int kPairHwm = 10'000;       // posts in flight between the two threads
constexpr auto kPollInterval = std::chrono::milliseconds(100);

zmq::pollitem_t Item(zmq::socket_t& s, short events) {
  return zmq::pollitem_t{s.handle(), 0, events, 0};
}

}  // namespace

Publisher::Publisher(const PublisherConfig& config, ReplayRing ring)
    : config_(config), ring_(std::move(ring)) {
  const std::string pair = "inproc://bridge-publisher";
  std::string endpoint;
  try {
    for (const std::string& e : config_.publish) {
      endpoint = e;
      zmq::socket_t& s = outputs_.emplace_back(context_, zmq::socket_type::pub);
      s.set(zmq::sockopt::sndhwm, kOutputHwm);
      s.set(zmq::sockopt::linger, config_.linger_ms);
      s.bind(e);
      publish_endpoints_.push_back(s.get(zmq::sockopt::last_endpoint));
    }
    for (const std::string& e : config_.push) {
      endpoint = e;
      zmq::socket_t& s = outputs_.emplace_back(context_, zmq::socket_type::push);
      s.set(zmq::sockopt::sndhwm, kOutputHwm);
      s.set(zmq::sockopt::linger, config_.linger_ms);
      s.connect(e);
    }
    if (!config_.replay.empty()) {
      endpoint = config_.replay;
      router_ = zmq::socket_t(context_, zmq::socket_type::router);
      router_.set(zmq::sockopt::sndhwm, 0);  // a replay is never dropped half-way
      router_.set(zmq::sockopt::linger, 0);
      router_.bind(config_.replay);
      replay_endpoint_ = router_.get(zmq::sockopt::last_endpoint);
    }
    endpoint = pair;
    pair_in_ = zmq::socket_t(context_, zmq::socket_type::pair);
    pair_in_.set(zmq::sockopt::rcvhwm, kPairHwm);
    pair_in_.bind(pair);
    pair_out_ = zmq::socket_t(context_, zmq::socket_type::pair);
    pair_out_.set(zmq::sockopt::sndhwm, kPairHwm);
    pair_out_.set(zmq::sockopt::sndtimeo, static_cast<int>(kPollInterval.count()));
    pair_out_.connect(pair);
  } catch (const zmq::error_t& e) {
    throw std::runtime_error(endpoint + ": " + e.what());
  }
  buffered_ = ring_.size();
  thread_ = std::thread([this] { Loop(); });
}

Publisher::~Publisher() { Stop(); }

bool Publisher::Post(const BufferedEvent& event, const std::atomic<bool>& stop) {
  zmq::message_t seq(sizeof event.seq);
  std::memcpy(seq.data(), &event.seq, sizeof event.seq);
  while (!pair_out_.send(seq, zmq::send_flags::sndmore)) {
    if (stop.load()) return false;
  }
  pair_out_.send(zmq::buffer(event.topic), zmq::send_flags::sndmore);
  pair_out_.send(zmq::buffer(event.payload), zmq::send_flags::none);
  return true;
}

void Publisher::Stop() {
  if (stopped_) return;
  stopped_ = true;
  stop_requested_ = true;
  // The empty frame comes after every posted event: when the thread reads it, all went out.
  // If the thread is stuck behind an absent PUSH peer it ends on its own after linger_ms.
  zmq::message_t end;
  while (!pair_out_.send(end, zmq::send_flags::dontwait) && !done_.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  thread_.join();
  pair_out_.close();
  pair_in_.close();
  router_.close();
  outputs_.clear();  // each lingers up to linger_ms for what it still queues
}

PublisherCounts Publisher::counts() const {
  return PublisherCounts{published_.load(), replay_requests_.load(), replay_events_.load(),
                         replay_truncated_.load(), buffered_.load()};
}

bool Publisher::TrySend(Pending& p) {
  bool all = true;
  for (size_t i = 0; i < outputs_.size(); ++i) {
    if (p.sent[i]) continue;
    zmq::socket_t& s = outputs_[i];
    // Copies: the same frames go to every output (and the payload to the buffer).
    zmq::message_t topic(p.topic.data(), p.topic.size());
    if (!s.send(topic, zmq::send_flags::sndmore | zmq::send_flags::dontwait)) {
      all = false;  // this PUSH cannot take more now
      continue;
    }
    zmq::message_t payload(p.payload.data(), p.payload.size());
    s.send(payload, zmq::send_flags::none);  // the rest of a multipart message always goes
    p.sent[i] = true;
  }
  return all;
}

void Publisher::AnswerReplays() {
  std::vector<zmq::message_t> frames;
  while (true) {
    frames.clear();
    zmq::message_t frame;
    if (!router_.recv(frame, zmq::recv_flags::dontwait)) return;
    frames.push_back(std::move(frame));
    while (frames.back().more()) {
      (void)router_.recv(frame);
      frames.push_back(std::move(frame));
    }
    if (frames.size() < 2) continue;
    const std::string identity = frames.front().to_string();
    const ReplayAnswer a =
        ring_.Answer(frames.back().to_string_view(), config_.source, [&](std::string_view out) {
          router_.send(zmq::buffer(identity), zmq::send_flags::sndmore);
          router_.send(zmq::buffer(out), zmq::send_flags::none);
        });
    if (!a.answered) continue;
    ++replay_requests_;
    replay_events_ += a.events;
    if (a.truncated) ++replay_truncated_;
  }
}

void Publisher::Drop(const Pending* p) {
  uint64_t lost = p != nullptr ? 1 : 0;
  zmq::message_t frame;
  while (pair_in_.recv(frame, zmq::recv_flags::dontwait)) {
    if (frame.size() == 0 && !frame.more()) break;  // the stop frame
    (void)pair_in_.recv(frame);
    (void)pair_in_.recv(frame);
    ++lost;
  }
  LogWarn("publish: " + std::to_string(lost) +
          " events not delivered at stop (no peer took them; they stay in the journal)");
}

void Publisher::Loop() {
  Pending pending;
  bool has_pending = false;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::vector<zmq::pollitem_t> items;
  for (;;) {
    if (has_pending && TrySend(pending)) {
      ring_.Add(pending.seq, pending.topic.to_string(), pending.payload.to_string());
      ++published_;
      buffered_ = ring_.size();
      has_pending = false;
    }
    if (has_pending && stop_requested_) {
      const auto now = std::chrono::steady_clock::now();
      if (!deadline) deadline = now + std::chrono::milliseconds(config_.linger_ms);
      if (now >= *deadline) return Drop(&pending), done_.store(true);
    }
    items.clear();
    if (router_) items.push_back(Item(router_, ZMQ_POLLIN));
    const size_t first = items.size();
    if (!has_pending) items.push_back(Item(pair_in_, ZMQ_POLLIN));
    for (size_t i = 0; has_pending && i < outputs_.size(); ++i) {
      if (!pending.sent[i]) items.push_back(Item(outputs_[i], ZMQ_POLLOUT));
    }
    zmq::poll(items, kPollInterval);
    if (router_ && (items[0].revents & ZMQ_POLLIN)) AnswerReplays();
    if (has_pending || !(items[first].revents & ZMQ_POLLIN)) continue;
    zmq::message_t peek;
    (void)pair_in_.recv(peek);
    if (peek.size() == 0 && !peek.more()) return done_.store(true);  // the stop frame
    std::memcpy(&pending.seq, peek.data(), sizeof pending.seq);
    (void)pair_in_.recv(pending.topic);
    (void)pair_in_.recv(pending.payload);
    pending.sent.assign(outputs_.size(), false);
    has_pending = true;
  }
}

}  // namespace floorwatch::bridge
