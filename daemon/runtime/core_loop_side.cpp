// CoreLoop: the core thread's side connections: replay DEALERs (docs/protocol.md, Replay) and
// the ZAP handler that checks CURVE clients against each input's allow-list.
#include <array>
#include <iterator>
#include <zmq_addon.hpp>

#include "floorwatch/core/replay_message.h"
#include "floorwatch/runtime/core_loop.h"

namespace floorwatch {

void CoreLoop::SetAllowedClients(const std::vector<InputConfig>& inputs) {
  allowed_clients_.clear();
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::set<std::string>& keys = allowed_clients_["input-" + std::to_string(i)];
    for (const std::string& z85 : inputs[i].curve_allowed_clients) {
      uint8_t key[32];
      if (zmq_z85_decode(key, z85.c_str()) != nullptr)
        keys.emplace(reinterpret_cast<char*>(key), sizeof key);
    }
  }
}

void CoreLoop::HandleZapRequests() {
  for (;;) {
    std::vector<zmq::message_t> request;
    zmq::recv_result_t got;
    try {
      got = zmq::recv_multipart(zap_, std::back_inserter(request), zmq::recv_flags::dontwait);
    } catch (const zmq::error_t& e) {
      LogWarn(std::string("zap: ") + e.what());
      return;
    }
    if (!got) return;
    // [version, request id, domain, address, identity, mechanism, credentials...]
    bool allow = false;
    std::string why = "malformed request";
    if (request.size() >= 6) {
      const std::string domain = request[2].to_string();
      const std::string mechanism = request[5].to_string();
      if (mechanism != "CURVE") {
        allow = true;
      } else if (request.size() >= 7 && request[6].size() == 32) {
        const auto list = allowed_clients_.find(domain);
        allow = list == allowed_clients_.end() || list->second.empty() ||
                list->second.count(request[6].to_string()) > 0;
        why = "client key not allowed on " + domain;
      }
    }
    if (!allow) {
      core_.OnInputAuthDenied();
      uint64_t suppressed = 0;
      if (reject_log_limit_.Allow(now_ms_, &suppressed))
        LogWarn("input connection refused: " + why);
    }
    std::array<zmq::const_buffer, 6> reply = {
        zmq::str_buffer("1.0"),
        zmq::buffer(request.size() > 1 ? request[1].data() : nullptr,
                    request.size() > 1 ? request[1].size() : 0),
        allow ? zmq::str_buffer("200") : zmq::str_buffer("400"),
        allow ? zmq::str_buffer("OK") : zmq::str_buffer("not allowed"),
        zmq::str_buffer(""),
        zmq::str_buffer("")};
    try {
      zmq::send_multipart(zap_, reply);
    } catch (const zmq::error_t& e) {
      LogWarn(std::string("zap reply: ") + e.what());
    }
  }
}

bool CoreLoop::StartReplay(std::string_view source, uint64_t from_seq) {
  const std::vector<InputConfig>& inputs = inputs_.configs();
  if (current_input_ >= inputs.size() || inputs[current_input_].replay.empty()) return false;
  const InputConfig& input = inputs[current_input_];
  try {
    auto replay = std::make_unique<Replay>(
        Replay{std::string(source), zmq::socket_t(context_, zmq::socket_type::dealer),
               input.replay_timeout_ms, now_ms_ + input.replay_timeout_ms});
    replay->dealer.set(zmq::sockopt::linger, 0);
    replay->dealer.connect(input.replay);
    const std::string request = ReplayRequestJson(source, from_seq);
    if (!replay->dealer.send(zmq::buffer(request), zmq::send_flags::dontwait)) return false;
    LogInfo("gap in source " + std::string(source) + ": replay requested from seq " +
            std::to_string(from_seq) + " at " + input.replay);
    replays_.push_back(std::move(replay));
    return true;
  } catch (const zmq::error_t& e) {
    LogWarn("replay request for " + std::string(source) + " failed: " + e.what());
    return false;
  }
}

void CoreLoop::ReceiveReplay(Replay& replay) {
  for (int i = 0; i < kBatch; ++i) {
    zmq::recv_result_t got;
    try {
      got = replay.dealer.recv(frame_, zmq::recv_flags::dontwait);
      while (got && frame_.more()) got = replay.dealer.recv(frame_);  // the last frame counts
    } catch (const zmq::error_t& e) {
      LogWarn(std::string("replay receive failed: ") + e.what());
      return;
    }
    if (!got) return;
    replay.deadline_ms = now_ms_ + replay.timeout_ms;
    const std::string_view payload(static_cast<const char*>(frame_.data()), frame_.size());
    const ReplayControl control = ParseReplayControl(payload);
    switch (control.kind) {
      case ReplayControl::Kind::kNotControl:
        core_.OnReplayPayload(payload, now_ms_);
        break;
      case ReplayControl::Kind::kTruncated:
        core_.CountReplayTruncated();
        LogWarn("replay of " + replay.source + " truncated: the source only has seq " +
                std::to_string(control.seq) + " onwards; the events before are a gap");
        break;
      case ReplayControl::Kind::kEnd:
        core_.EndReplay(replay.source, now_ms_);
        replay.dealer.close();  // removed by EndExpiredReplays
        return;
      case ReplayControl::Kind::kMalformed:
        LogWarn("replay of " + replay.source + ": malformed replay.* frame ignored");
        break;
    }
  }
}

void CoreLoop::EndExpiredReplays() {
  for (auto& replay : replays_) {
    if (!replay->dealer) continue;
    if (now_ms_ < replay->deadline_ms) continue;
    core_.CountReplayTimeout();
    LogWarn("replay of " + replay->source + " timed out; the events still missing are a gap");
    core_.EndReplay(replay->source, now_ms_);
    replay->dealer.close();
  }
  std::erase_if(replays_, [](const std::unique_ptr<Replay>& r) { return !r->dealer; });
}

}  // namespace floorwatch
