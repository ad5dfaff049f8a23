#!/usr/bin/python3
"""The pure core includes no I/O: no ZeroMQ, Asio/Beast, yaml-cpp, sockets, threads,
mutexes, file streams or systemd in daemon/core/ and include/floorwatch/core/, and nothing
from the runtime layers; the same for floorwatch-bridge's bridge/core/ (which may also use the
daemon's core). Prints each offending include; exits 1 if there is any."""
import os
import re
import sys

IO = (r'#include\s*[<"](zmq|zmq_addon|cppzmq|boost/|yaml-cpp/|sys/socket|netinet/|'
      r'arpa/|thread|mutex|shared_mutex|condition_variable|future|fstream|'
      r'filesystem|systemd/|unistd|fcntl|')
FORBIDDEN = re.compile(IO + r'floorwatch/(?!core/))')
# floorwatch-bridge's pure part: the same rule; it may use the daemon's core too.
BRIDGE_FORBIDDEN = re.compile(IO + r'floorwatch/(?!core/|bridge/core/))')
FOLDERS = (("daemon/core", FORBIDDEN), ("include/floorwatch/core", FORBIDDEN),
           ("bridge/core", BRIDGE_FORBIDDEN), ("include/floorwatch/bridge/core", BRIDGE_FORBIDDEN))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    found = 0
    for folder, forbidden in FOLDERS:
        for dirpath, _, names in os.walk(os.path.join(root, folder)):
            for name in sorted(names):
                path = os.path.join(dirpath, name)
                with open(path) as f:
                    for number, line in enumerate(f, 1):
                        if forbidden.search(line):
                            print(f"{os.path.relpath(path, root)}:{number}: {line.strip()}")
                            found += 1
    print(f"check_core_pure: {found} forbidden includes in the core")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
