#!/usr/bin/env bash
# Builds floorwatch's Debian package with Debian's own tooling and checks it with lintian:
#   tools/package.sh         installs what is missing (apt-get), builds, lints;
#                            leaves build-deb/floorwatch_<version>_<arch>.deb
#   tools/package.sh --deps  only installs what is missing (tools/test.sh, before it builds
#                            the package in the background: apt-get holds dpkg's lock)
# The build runs on a copy of the tree in build-deb/src (dpkg-buildpackage writes its
# results to the parent of the tree it builds, and its by-products into it), with the
# tests and benchmarks off (DEB_BUILD_OPTIONS=nocheck: tools/test.sh runs them on the
# source build). ccache is used when installed, never required. PACKAGE_JOBS (default 2)
# bounds the compile's parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/build-deb

sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
tooling=(dpkg-dev debhelper lintian systemd-container)  # systemd-nspawn: the package test's systemd
missing=()
for p in "${tooling[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})) || ! dpkg-checkbuilddeps >/dev/null 2>&1; then
  echo "package: installing ${missing[*]:-} and the Build-Depends of debian/control"
  "${sudo_cmd[@]}" apt-get update -qq
  export DEBIAN_FRONTEND=noninteractive
  ((${#missing[@]})) && "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  "${sudo_cmd[@]}" apt-get build-dep -y -qq --no-install-recommends "$root"
fi
[[ "${1:-}" == "--deps" ]] && exit 0

rm -rf "$out"
mkdir -p "$out/src"
# The files a clean clone has (and any not yet committed), without build trees.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c '[ -e "{}" ] && printf "%s\0" "{}"' |
    tar --null -T - -cf - | tar -C "$out/src" -xf -
else
  tar --exclude='./build*' --exclude='./.git' -cf - . | tar -C "$out/src" -xf -
fi

[[ -d /usr/lib/ccache ]] && export PATH=/usr/lib/ccache:$PATH
export DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}"
start=$(date +%s)
(cd "$out/src" && dpkg-buildpackage -us -uc -b -J"${PACKAGE_JOBS:-2}") >"$out/build.log" 2>&1 || {
  tail -n 40 "$out/build.log"; echo "package: dpkg-buildpackage failed (log: $out/build.log)"; exit 1; }
echo "package: built in $(($(date +%s) - start)) s"

deb=$(ls "$out"/floorwatch_*.deb)
# Errors fail the build; warnings and notes are printed for the record.
lintian --fail-on error --display-info --tag-display-limit 0 "$deb" | tee "$out/lintian.txt"
echo "package: $deb (lintian: $(grep -c '^E:' "$out/lintian.txt" || true) errors," \
  "$(grep -c '^W:' "$out/lintian.txt" || true) warnings)"
