#!/usr/bin/env bash
# Applies .clang-format to every C++ file the style.format test checks.
set -euo pipefail
cd "$(dirname "$0")/.."
find daemon bridge include bench tests/unit tests/fuzz \( -name '*.cpp' -o -name '*.h' \) -print0 |
  xargs -0 clang-format -i
