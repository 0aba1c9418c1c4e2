#!/usr/bin/env bash
# Runs on the GPU machine (no Java, no network): receives kit parts, assembles the kit, runs the JMH suite on CUDA.
#   tools/gpu/device.sh receive            copies the gpu-kit/{base,app}.part-* sent with this command to
#                                          $KIT_HOME/parts
#   tools/gpu/device.sh run JMH_ARGS...    assembles (once) and runs java -jar benchmarks.jar JMH_ARGS...
#   tools/gpu/device.sh java ARGS...       runs the kit's java with the kit's ONNX Runtime libraries
# Parts must be sent back to back: the machine keeps /tmp only while it stays warm.
set -euo pipefail
KIT_HOME="${KIT_HOME:-/tmp/kslr-gpu-kit}"
CUDA_LIBS="/usr/local/cuda-13.0/targets/x86_64-linux/lib:/usr/lib/x86_64-linux-gnu"
mkdir -p "$KIT_HOME/parts"

assemble() {
  if [[ ! -x "$KIT_HOME/stage/jre/bin/java" ]]; then
    mkdir -p "$KIT_HOME/stage"
    (cd "$KIT_HOME/parts" && sha256sum -c --quiet SHA256SUMS)
    cat "$KIT_HOME"/parts/base.part-* | xz -d | tar -xf - -C "$KIT_HOME/stage"
  fi
  if [[ ! -f "$KIT_HOME/stage/benchmarks.jar" ]]; then
    cat "$KIT_HOME"/parts/app.part-* > "$KIT_HOME/stage/benchmarks.jar"
  fi
}

# Stand-ins for ffprobe/ffmpeg that replay the pre-decoded clip, for the landmarker benchmark's decoder.
video_shims() {
  [[ -f "$KIT_HOME/frames.rgb" ]] || return 0
  mkdir -p "$KIT_HOME/shims"
  printf '#!/bin/sh\ntr x , < "%s"\n' "$KIT_HOME/frames.size" > "$KIT_HOME/shims/ffprobe"
  printf '#!/bin/sh\ncat "%s"\n' "$KIT_HOME/frames.rgb" > "$KIT_HOME/shims/ffmpeg"
  chmod +x "$KIT_HOME/shims/ffprobe" "$KIT_HOME/shims/ffmpeg"
  export PATH="$KIT_HOME/shims:$PATH"
}

java_cmd() {
  assemble
  video_shims
  export LD_LIBRARY_PATH="$KIT_HOME/stage/lib:$CUDA_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  "$KIT_HOME/stage/jre/bin/java" -Donnxruntime.native.path="$KIT_HOME/stage/lib" "$@"
}

case "${1:-}" in
  receive)
    shopt -s nullglob
    for f in gpu-kit/base.part-* gpu-kit/app.part-* gpu-kit/SHA256SUMS; do cp "$f" "$KIT_HOME/parts/"; done
    if [[ -f gpu-kit/frames.rgb.xz ]]; then
      # The GPU machine has no ffmpeg: the landmarker benchmark's clip arrives pre-decoded (raw RGB, WIDTHxHEIGHT
      # in gpu-kit/frames.size) and tiny ffprobe/ffmpeg stand-ins replay it (see video_shims below).
      xz -dc gpu-kit/frames.rgb.xz > "$KIT_HOME/frames.rgb"
      cp gpu-kit/frames.size "$KIT_HOME/frames.size"
    fi
    ls -la "$KIT_HOME/parts" ;;
  run)
    shift; java_cmd -jar "$KIT_HOME/stage/benchmarks.jar" "$@" ;;
  java)
    shift; java_cmd "$@" ;;
  *)
    echo "usage: $0 receive | run JMH_ARGS... | java ARGS..." >&2; exit 2 ;;
esac
