#!/usr/bin/env bash
# Installs what KSLR's tests need beyond the JDK and Maven, on a fresh Debian/Ubuntu machine:
#  - Debian packages: chromium (MediaPipe's own holistic solution runs in it as the landmark reference),
#    ffmpeg (test videos for the web demo's fake camera), python3-numpy (.npy interop is checked against NumPy),
#    fontconfig + fonts-dejavu-core (the trainer's PNG charts) and fonts-khmeros (Khmer text in the demo's
#    screenshots);
#  - the npm projects under tools/ (LiteRT.js for TFLite parity, playwright-core + @mediapipe/holistic,
#    pose-format for .pose interop),
#    each from its committed package-lock.json.
# Safe to run again: it skips what is already there.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

SUDO=""
if [[ $(id -u) != 0 ]]; then SUDO="sudo"; fi

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || need+=(python3-numpy)
for pkg in fontconfig fonts-dejavu-core fonts-khmeros; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if (( ${#need[@]} )); then
  echo "install-test-deps: apt-get install ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

for lock in "$ROOT"/tools/*/package-lock.json; do
  [[ -e "$lock" ]] || continue
  dir="$(dirname "$lock")"
  if [[ -d "$dir/node_modules" && "$dir/node_modules/.package-lock.json" -nt "$lock" ]]; then
    continue
  fi
  echo "install-test-deps: npm ci in ${dir#$ROOT/}"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
done
echo "install-test-deps: done"
