#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then
#  1. ctest: unit tests on the core, integration tests that start the real daemon (with
#     Prometheus, Alertmanager, Chromium), the shipped rules and configs, fuzz corpora;
#  2. a 2-minute soak (bench/soak.py --check): fails if RSS or open fds grow after warm-up;
#  3. tools/fuzz.sh: the same suite again under AddressSanitizer + UndefinedBehaviorSanitizer,
#     then each libFuzzer target for FUZZ_SECONDS (15 here, to keep CI under 25 minutes on
#     2 cores; tools/fuzz.sh alone defaults to 60);
#  4. the Debian package, built by tools/package.sh in the background during 2 and 3:
#     tests/package/test_package.py installs it, runs the daemon as its unit does, purges it.
# For a quick loop while developing: ctest --test-dir build
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --test
ctest --test-dir build --output-on-failure -j2 "$@"
# The Debian package is a second full compile (of the executables only): it builds in the
# background from here on, at the lowest priority, on the CPU the soak (it checks RSS and
# fds, not timing), the sanitized suite and the fuzzers (a fixed time each) leave; its test
# then installs it on this machine, runs the daemon as the unit does, and purges it.
tools/package.sh --deps
setsid nice -n 19 tools/package.sh >build/package.log 2>&1 &
package_pid=$!
trap 'kill -- -"$package_pid" 2>/dev/null || true' EXIT
/usr/bin/python3 bench/soak.py --duration 120 --check --out build/soak
FUZZ_SECONDS="${FUZZ_SECONDS:-15}" tools/fuzz.sh
fuzzed_at=$SECONDS
wait "$package_pid" || { tail -n 40 build/package.log; echo "test: tools/package.sh failed"; exit 1; }
trap - EXIT
# What the package costs this run in wall time: its build beyond the fuzzers, then its test.
echo "test: the package build went on for $((SECONDS - fuzzed_at)) s after the fuzzers ($(grep -o 'built in [0-9]* s' build/package.log))"
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" env FLOORWATCH_DEB="$(ls build-deb/floorwatch_*.deb)" /usr/bin/python3 tests/package/test_package.py \
  2>&1 | tee build/package-test.log
packaged=$(sed -n 's/^Ran \([0-9]*\) tests\? .*/\1/p' build/package-test.log)
# Reaching this line means both suites, the soak, the fuzzers and the package passed (set -e).
normal=$(ctest --test-dir build -N | sed -n 's/^Total Tests: //p')
sanitized=$(ctest --test-dir build-san -N | sed -n 's/^Total Tests: //p')
echo "tests: $((normal + sanitized + packaged)) passed, 0 failed"
