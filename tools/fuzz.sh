#!/usr/bin/env bash
# Robustness pass: builds everything with clang, AddressSanitizer and UndefinedBehaviorSanitizer
# (build-san/), runs the whole test suite there, then runs each libFuzzer target for
# FUZZ_SECONDS (default 60) from its committed corpus. New inputs found go to build-san/fuzz-*;
# a crash leaves its input in build-san/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"

missing=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

CC=clang CXX=clang++ cmake -S . -B build-san -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLOORWATCH_SANITIZE=ON \
  -DFLOORWATCH_FUZZ=ON -DFLOORWATCH_BUILD_BENCH=OFF >/dev/null
cmake --build build-san -j"$(nproc)"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export FLOORWATCH_SANITIZED=1
ctest --test-dir build-san --output-on-failure -j2

# Two fuzzers at a time (this machine has two cores), each for the full FUZZ_SECONDS.
fuzz() {
  local target=$1
  mkdir -p "build-san/fuzz-$target"
  local rc=0
  (cd build-san && ./tests/fuzz/fuzz_$target -max_total_time="$seconds" -max_len=4096 -timeout=10 \
     -rss_limit_mb=2048 -print_final_stats=1 "fuzz-$target" "../tests/fuzz/corpus/$target" \
     > "fuzz-$target.log" 2>&1) || rc=$?
  echo "fuzz: $target for ${seconds}s, exit $rc"
  tail -n 12 "build-san/fuzz-$target.log"
  return $rc
}
targets=(event_parser config_loader core replay queue_log connect_body twilio_form)
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  fuzz "${targets[i]}" &
  first=$!
  status=0
  if ((i + 1 < ${#targets[@]})); then
    fuzz "${targets[i + 1]}" || status=1
  fi
  wait "$first" || status=1
  ((status == 0)) || { echo "fuzz: a target failed"; exit 1; }
done
echo "fuzz: no crash"
