#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then ctest (unit tests on the core,
# and integration tests that start the real daemon and publish from python3-zmq).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --test
ctest --test-dir build --output-on-failure -j2 "$@"
