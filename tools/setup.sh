#!/usr/bin/env bash
# Installs what floorwatch needs from Debian packages (only what is missing), then builds it.
#   tools/setup.sh          build dependencies, the simulator's python3-zmq, then build
#   tools/setup.sh --test   also what the tests use (prometheus for promtool)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config libboost-dev libzmq3-dev cppzmq-dev prometheus-cpp-dev
          libyaml-cpp-dev libcsv-dev doctest-dev libsimdjson-dev libhowardhinnant-date-dev libssl-dev libcrypt-dev libxxhash-dev tzdata
          python3 python3-zmq curl)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(prometheus prometheus-alertmanager chromium systemd openssl python3-bcrypt python3-yaml
             universal-ctags clang-format mtail)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
