#!/usr/bin/env bash
# Runs on the GPU machine (no Java, no network): receives kit parts, assembles the kit, runs the JMH suite on CUDA.
#   tools/gpu/device.sh receive            copies the gpu-kit/{base,app}.part-* sent with this command to
#                                          $KIT_HOME/parts
#   tools/gpu/device.sh run JMH_ARGS...    assembles (once) and runs java -jar benchmarks.jar JMH_ARGS...
#   tools/gpu/device.sh java ARGS...       runs the kit's java with the kit's ONNX Runtime libraries
#   tools/gpu/device.sh suite NAME         runs one group of README's GPU rows (classifier | landmarker |
#                                          batched | speech), CPU rows pinned to 2 cores, each JMH run's text
#                                          and JSON results written to $OUT (or $KIT_HOME/out); each group fits
#                                          one 10-minute device command
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

java_cmd() {
  assemble
  export LD_LIBRARY_PATH="$KIT_HOME/stage/lib:$CUDA_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  # CPU_PIN=1: the CPU rows' "same host limited to 2 cores" (JMH's forked JVM inherits the affinity).
  ${CPU_PIN:+taskset -c 0,1} "$KIT_HOME/stage/jre/bin/java" -Donnxruntime.native.path="$KIT_HOME/stage/lib" "$@"
}

# One JMH run of a suite: NAME, then JMH arguments; results in $OUT_DIR/NAME.{txt,json}.
jmh() {
  local name=$1; shift
  echo "== $name: $*" | tee -a "$OUT_DIR/suite.log"
  java_cmd -jar "$KIT_HOME/stage/benchmarks.jar" "$@" -foe true -rf json -rff "$OUT_DIR/$name.json" \
    > "$OUT_DIR/$name.txt" 2>&1 || echo "   failed (exit $?): see $name.txt" | tee -a "$OUT_DIR/suite.log"
  grep -E '^(Benchmark|[A-Za-z]+Benchmark\.)' "$OUT_DIR/$name.txt" | grep -v ':p[0-9]' | tee -a "$OUT_DIR/suite.log" || true
}

suite() {
  OUT_DIR="${OUT:-$KIT_HOME/out}"
  mkdir -p "$OUT_DIR"
  local s="-Dkslr.sharedDir=$PWD/gpu-kit/shared"
  # -jvmArgsAppend, not -jvmArgs: the latter would drop java_cmd's native path in the forked JVM.
  # SUITE_JMH overrides the iterations (e.g. a quick dry run of the script itself).
  local iters=(${SUITE_JMH:--f 1 -wi 2 -i 3 -w 1s -r 1s})
  local j=("${iters[@]}" -jvmArgsAppend "$s")
  local video="$KIT_HOME/frames.rgb"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee -a "$OUT_DIR/suite.log" || true
  case "$1" in
    classifier)
      local b=(-p batchSize=1,8,64,512,4096 -p intraOpThreads=2)
      CPU_PIN=1 jmh classifier-cpu 'SignClassifierBenchmark.(latency|throughput)' "${j[@]}" -p provider=cpu "${b[@]}"
      jmh classifier-cuda 'SignClassifierBenchmark.(latency|throughput)' "${j[@]}" -p provider=cuda "${b[@]}" ;;
    landmarker)
      CPU_PIN=1 jmh landmarker-cpu LandmarkerBenchmark.videoFrame "${j[@]}" -p palm=false,true -p device=cpu -p video="$video"
      jmh landmarker-cuda LandmarkerBenchmark.videoFrame "${j[@]}" -p palm=false,true -p device=cuda -p video="$video"
      CPU_PIN=1 jmh streams-cpu-1 LandmarkerStreams "${j[@]}" -bm thrpt -t 1 -p device=cpu -p video="$video"
      CPU_PIN=1 jmh streams-cpu-8 LandmarkerStreams "${j[@]}" -bm thrpt -t 8 -p device=cpu -p video="$video"
      jmh streams-cuda-1 LandmarkerStreams "${j[@]}" -bm thrpt -t 1 -p device=cuda -p video="$video"
      jmh streams-cuda-8 LandmarkerStreams "${j[@]}" -bm thrpt -t 8 -p device=cuda -p video="$video" ;;
    batched)
      # MultiStreamLandmarker on CUDA: padded against unpadded batches, then 8 streams split over 2 and 4 threads,
      # and the per-stream landmarkers (8 and 16 threads) as the baseline of the same session.
      jmh batched-cuda-t1 LandmarkerBatched "${j[@]}" -bm thrpt -t 1 -p device=cuda -p video="$video" \
        -p streams=1,8 -p fixedBatches=true,false
      jmh batched-cuda-t2 LandmarkerBatched "${j[@]}" -bm thrpt -t 2 -p device=cuda -p video="$video" -p streams=4
      jmh batched-cuda-t4 LandmarkerBatched "${j[@]}" -bm thrpt -t 4 -p device=cuda -p video="$video" -p streams=2,4
      jmh streams-cuda-8 LandmarkerStreams "${j[@]}" -bm thrpt -t 8 -p device=cuda -p video="$video" \
        -p sharedModels=true,false
      jmh streams-cuda-16 LandmarkerStreams "${j[@]}" -bm thrpt -t 16 -p device=cuda -p video="$video" ;;
    speech)
      local k=(${SUITE_JMH:--f 1 -wi 2 -i 3 -w 2s -r 1s} -jvmArgsAppend "$s")
      CPU_PIN=1 jmh speech-cpu KhmerSpeechBenchmark "${k[@]}" -p provider=cpu
      jmh speech-cuda KhmerSpeechBenchmark "${k[@]}" -p provider=cuda ;;
    *)
      echo "suite: classifier | landmarker | batched | speech" >&2; exit 2 ;;
  esac
}

case "${1:-}" in
  receive)
    shopt -s nullglob
    for f in gpu-kit/base.part-* gpu-kit/app.part-* gpu-kit/SHA256SUMS; do cp "$f" "$KIT_HOME/parts/"; done
    if [[ -f gpu-kit/frames.rgb.xz ]]; then
      # The kit carries no FFmpeg: the landmarker benchmark's clip arrives decoded (raw RGB, WIDTHxHEIGHT in
      # gpu-kit/frames.size), which the benchmarks read as a clip given as frames.rgb.
      xz -dc gpu-kit/frames.rgb.xz > "$KIT_HOME/frames.rgb"
      cp gpu-kit/frames.size "$KIT_HOME/frames.size"
    fi
    ls -la "$KIT_HOME/parts" ;;
  run)
    shift; java_cmd -jar "$KIT_HOME/stage/benchmarks.jar" "$@" ;;
  java)
    shift; java_cmd "$@" ;;
  suite)
    shift; suite "${1:-}" ;;
  *)
    echo "usage: $0 receive | run JMH_ARGS... | java ARGS... | suite NAME" >&2; exit 2 ;;
esac
