#include "floorwatch/input/inputs.h"

#include "floorwatch/log/log.h"

namespace floorwatch {

bool Inputs::Open(const std::vector<InputConfig>& configs, int64_t max_event_bytes,
                  std::string* error) {
  std::vector<zmq::socket_t> opened;
  for (size_t i = 0; i < configs.size(); ++i) {
    const InputConfig& in = configs[i];
    try {
      zmq::socket_t s(
          context_, in.socket == SocketKind::kSub ? zmq::socket_type::sub : zmq::socket_type::pull);
      s.set(zmq::sockopt::linger, 0);
      // The receive queue (messages) between ZeroMQ's I/O thread and the core thread. PUSH
      // senders wait when it is full (nothing lost); a PUB drops for this SUB past it.
      s.set(zmq::sockopt::rcvhwm, static_cast<int>(in.rcvhwm));
      // A message far beyond the event limit is refused by ZeroMQ itself (the peer is
      // disconnected), so no one can make the daemon buffer gigabytes; anything between
      // the limit and this is received and counted as too_large.
      s.set(zmq::sockopt::maxmsgsize, max_event_bytes * 16 + 4096);
      if (in.socket == SocketKind::kSub) {
        for (const std::string& prefix : in.subscribe) s.set(zmq::sockopt::subscribe, prefix);
      }
      if (!in.curve_secret_key.empty()) {
        // This input is a CURVE server; its ZAP domain lets the core loop's handler check the
        // client's public key against this input's allow-list.
        s.set(zmq::sockopt::curve_server, true);
        s.set(zmq::sockopt::curve_secretkey, in.curve_secret_key);
        s.set(zmq::sockopt::zap_domain, "input-" + std::to_string(i));
      }
      if (in.mode == SocketMode::kBind) {
        s.bind(in.endpoint);
      } else {
        s.connect(in.endpoint);
      }
      opened.push_back(std::move(s));
    } catch (const zmq::error_t& e) {
      *error = "inputs[" + std::to_string(i) + "] " + in.endpoint + ": " + e.what();
      return false;
    }
  }
  sockets_ = std::move(opened);
  configs_ = configs;
  for (size_t i = 0; i < configs_.size(); ++i) {
    const InputConfig& in = configs_[i];
    // For a bound wildcard port ("tcp://127.0.0.1:*") this names the port actually taken.
    const std::string endpoint =
        in.mode == SocketMode::kBind ? sockets_[i].get(zmq::sockopt::last_endpoint) : in.endpoint;
    LogInfo("input " + std::to_string(i) + (in.socket == SocketKind::kSub ? " sub " : " pull ") +
            (in.mode == SocketMode::kBind ? "bound to " : "connected to ") + endpoint);
  }
  return true;
}

}  // namespace floorwatch
