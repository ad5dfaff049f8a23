#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then
#  1. ctest: unit tests on the core, integration tests that start the real daemon (with
#     Prometheus, Alertmanager, Chromium), the shipped rules and configs, fuzz corpora;
#  2. a 2-minute soak (bench/soak.py --check): fails if RSS or open fds grow after warm-up;
#  3. tools/fuzz.sh: the same suite again under AddressSanitizer + UndefinedBehaviorSanitizer,
#     then each libFuzzer target for FUZZ_SECONDS (60).
# For a quick loop while developing: ctest --test-dir build
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --test
ctest --test-dir build --output-on-failure -j2 "$@"
/usr/bin/python3 bench/soak.py --duration 120 --check --out build/soak
tools/fuzz.sh
# Reaching this line means both suites, the soak and the fuzzers passed (set -e).
normal=$(ctest --test-dir build -N | sed -n 's/^Total Tests: //p')
sanitized=$(ctest --test-dir build-san -N | sed -n 's/^Total Tests: //p')
echo "tests: $((normal + sanitized)) passed, 0 failed"
