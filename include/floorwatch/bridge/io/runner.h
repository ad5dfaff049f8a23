// floorwatch-bridge's top level, shared by every platform: --check, and the run itself.
//
// The run (bridge thread = the caller's): restore the state (--state-dir), open the
// publisher (its own thread) and /metrics (its own thread), then poll the adapter until
// SIGTERM / SIGINT or, with --once, the end of its input. For each input record the
// adapter hands over, the events get `source` and the next seqs (and with --speed their
// shifted ts), are journaled with the record, and after the journal write are posted to the
// publisher (io/state_store.h explains the order). A snapshot is taken every 10 s when
// something changed, and at the end.
#pragma once

#include <memory>
#include <string>

#include "floorwatch/bridge/core/options.h"
#include "floorwatch/bridge/io/adapter.h"

namespace floorwatch::bridge {

// What --check validates (files readable, --agent-pattern, endpoints, --metrics, the state
// dir); empty when fine. `starting`: a live follower may start before its file exists.
std::string CheckOptions(const Options& options, bool starting = false);

// The adapter for options.platform (the place a new platform is added); null with `error`.
std::unique_ptr<Adapter> MakeAdapter(const Options& options, std::string* error);

// Runs until stopped; returns the process exit code (0, or 1 when start-up failed).
int RunBridge(const Options& options);

}  // namespace floorwatch::bridge
