// The daemon's ZeroMQ inputs (SUB or PULL, connect or bind) as configured. Every socket
// here is created, used and closed by the core thread alone (ZeroMQ sockets are not
// thread-safe); other threads never touch an Inputs object.
#pragma once

#include <string>
#include <vector>
#include <zmq.hpp>

#include "floorwatch/core/config.h"

namespace floorwatch {

class Inputs {
 public:
  explicit Inputs(zmq::context_t& context) : context_(context) {}

  // Opens sockets for `configs`. On failure leaves the current sockets untouched and
  // returns false with `error` naming the input.
  bool Open(const std::vector<InputConfig>& configs, int64_t max_event_bytes, std::string* error);
  void Close() { sockets_.clear(); }

  std::vector<zmq::socket_t>& sockets() { return sockets_; }
  const std::vector<InputConfig>& configs() const { return configs_; }

 private:
  zmq::context_t& context_;
  std::vector<zmq::socket_t> sockets_;
  std::vector<InputConfig> configs_;
};

}  // namespace floorwatch
