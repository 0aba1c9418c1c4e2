#!/usr/bin/env bash
# Converts MediaPipe's holistic models (npm @mediapipe/holistic@0.5.1675471629, Apache-2.0) to the ONNX files that
# kslr-landmarks bundles, with manifest.json and NOTICE. Deterministic: running it twice gives identical bytes.
#
#   tools/convert-models.sh            # the bundled models -> kslr-landmarks/src/main/resources/.../models/
#   tools/convert-models.sh --all OUT  # also pose_landmark_lite and pose_landmark_heavy, written to OUT instead
#   tools/convert-models.sh --all OUT --with-segmentation   # keep the pose models' segmentation output (Identity_2)
#   tools/convert-models.sh --int8 [MEDIA]  # the bundled models plus int8 ones (NAME.int8.onnx) calibrated on the
#                                           # landmarker's crops of MEDIA (default ../shared/media); also after --all OUT
#
# Needs: JDK 17, Maven, npm (registry access for `npm pack`). The tarball is cached in tools/target/mediapipe/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$root/kslr-landmarks/src/main/resources/io/github/kslr/landmarks/models"
extra=()
if [[ "${1:-}" == "--all" ]]; then
  extra=(--all)
  out="${2:?usage: convert-models.sh --all OUT_DIR [--with-segmentation | --int8 [MEDIA_DIR]]}"
  shift 2
fi
if [[ "${1:-}" == "--with-segmentation" ]]; then
  extra+=(--with-segmentation)
elif [[ "${1:-}" == "--int8" ]]; then
  extra+=(--int8 "$(cd "${2:-$root/../shared/media}" && pwd)")
fi

pkg="@mediapipe/holistic@0.5.1675471629"
tgz_name="mediapipe-holistic-0.5.1675471629.tgz"
expected_sha="8a3c0632e40e761e637d020738e96dc54d9bbbd4330ce2b206469fe467fd708b"
cache="$here/target/mediapipe"
mkdir -p "$cache"
if [[ ! -f "$cache/$tgz_name" ]]; then
  (cd "$cache" && npm pack "$pkg" --silent >/dev/null)
fi
actual_sha="$(sha256sum "$cache/$tgz_name" | cut -d' ' -f1)"
if [[ "$actual_sha" != "$expected_sha" ]]; then
  echo "convert-models: $pkg tarball SHA-256 is $actual_sha, expected $expected_sha - refusing to convert" >&2
  exit 1
fi

(cd "$root" && mvn -q -o -pl tools -am package -DskipTests 2>/dev/null || mvn -q -pl tools -am package -DskipTests)
java -cp "$here/target/kslr-tools.jar" io.github.kslr.tools.models.ConvertModels \
  --tarball "$cache/$tgz_name" --out "$out" "${extra[@]}"
echo "convert-models: wrote $(ls "$out" | wc -l) files to $out"
