// The systemd notification protocol (sd_notify(3)), without libsystemd: one datagram to the
// unix socket in $NOTIFY_SOCKET. Every call is a no-op when the daemon was not started by
// systemd (no $NOTIFY_SOCKET). Thread-safe (each call opens its own socket).
#pragma once

#include <cstdint>
#include <string_view>

namespace floorwatch {

// Sends e.g. "READY=1" or "STOPPING=1"; false if $NOTIFY_SOCKET is set but sending failed.
bool SdNotify(std::string_view state);
// The watchdog interval systemd expects pings within ($WATCHDOG_USEC, for this process), in
// microseconds; 0 when there is no watchdog.
int64_t SdWatchdogUsec();
// CLOCK_MONOTONIC in microseconds, for RELOADING=1's MONOTONIC_USEC.
int64_t MonotonicUsec();

}  // namespace floorwatch
