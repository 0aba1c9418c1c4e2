#!/usr/bin/env bash
# Prepares everything the project's GPU machine needs to run KSLR's JMH suite on CUDA, in parts small enough to
# send (that machine has CUDA 13, cuDNN 9 and a GPU, but no Java and no network; at most 64 MiB travels with one
# command, working tree included). The verified route (../shared/notes/gpu.md):
#   - ONNX Runtime's Java classes + JNI library from com.microsoft.onnxruntime:onnxruntime_gpu:1.28.0
#     (the CPU jar's JNI refuses addCUDA);
#   - the native libraries of the *same* ONNX Runtime version from JavaCPP's CUDA-13 build
#     org.bytedeco:onnxruntime:1.28.0-1.5.14:linux-x86_64-gpu (Microsoft's GPU natives need CUDA 12);
#   - a jlink'ed Java runtime;
#   - benchmarks.jar with the CPU natives of ONNX Runtime stripped (the kit's libraries replace them).
# Output in gpu-kit/ (git-ignored), in parts of PART_MB MiB, with SHA256SUMS:
#   base.part-*  xz'ed tar of the libraries, the Java runtime and device.sh (changes only with ONNX Runtime/JDK);
#   app.part-*   benchmarks.jar (changes with the code).
#
#   tools/gpu/prepare-kit.sh [base|app|data|all]      (default all; PART_MB=30 by default)
# then send each part to the machine and run tools/gpu/device.sh there (see tools/gpu/README.md).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PART_MB="${PART_MB:-30}"
WHAT="${1:-all}"
ORT_VERSION="$(cd "$ROOT" && mvn -B -q help:evaluate -Dexpression=onnxruntime.version -DforceStdout | sed "s/\x1b\[[0-9;]*m//g")"
JARS="$ROOT/gpu-kit/jars"
STAGE="$ROOT/gpu-kit/stage"
mkdir -p "$JARS"

if [[ $WHAT == base || $WHAT == all ]]; then
rm -rf "$STAGE" "$ROOT"/gpu-kit/base.part-* && mkdir -p "$STAGE/lib"
echo "== ONNX Runtime $ORT_VERSION GPU jars (Maven Central; cached in gpu-kit/jars)"
[[ -f "$JARS/onnxruntime_gpu-$ORT_VERSION.jar" ]] || mvn -B -q dependency:copy \
  -Dartifact="com.microsoft.onnxruntime:onnxruntime_gpu:$ORT_VERSION" -DoutputDirectory="$JARS"
BYTEDECO="onnxruntime-$ORT_VERSION-1.5.14-linux-x86_64-gpu.jar"
[[ -f "$JARS/$BYTEDECO" ]] || mvn -B -q dependency:copy \
  -Dartifact="org.bytedeco:onnxruntime:$ORT_VERSION-1.5.14:jar:linux-x86_64-gpu" -DoutputDirectory="$JARS"

echo "== native libraries"
unzip -q -j -o "$JARS/onnxruntime_gpu-$ORT_VERSION.jar" 'ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so' \
  -d "$STAGE/lib"
unzip -q -j -o "$JARS/$BYTEDECO" 'org/bytedeco/onnxruntime/linux-x86_64-gpu/libonnxruntime.so.1' \
  'org/bytedeco/onnxruntime/linux-x86_64-gpu/libonnxruntime_providers_shared.so' \
  'org/bytedeco/onnxruntime/linux-x86_64-gpu/libonnxruntime_providers_cuda.so' -d "$STAGE/lib"
ln -sf libonnxruntime.so.1 "$STAGE/lib/libonnxruntime.so"

echo "== Java runtime (jlink)"
MODULES="java.base,java.logging,java.management,java.desktop,jdk.unsupported,java.xml,java.naming,jdk.management"
jlink --add-modules "$MODULES" --compress=2 --strip-debug --no-header-files --no-man-pages --output "$STAGE/jre"
echo "== base.tar.xz in ${PART_MB} MiB parts"
(cd "$ROOT/gpu-kit" && tar -cf - -C stage . | xz -T2 -6 | split -b "${PART_MB}M" - base.part-)
fi

if [[ $WHAT == app || $WHAT == all ]]; then
echo "== benchmarks.jar with the GPU jar's Java classes and without CPU natives"
rm -f "$ROOT"/gpu-kit/app.part-*
(cd "$ROOT" && mvn -B -q install -DskipTests -pl '!examples,!tools')
APP="$(mktemp -d)"
cp "$ROOT/benchmarks/target/benchmarks.jar" "$APP/benchmarks.jar"
zip -q -d "$APP/benchmarks.jar" 'ai/onnxruntime/*' >/dev/null
# Natives and data the benchmarks never load, so the jar travels in fewer parts (checked: LandmarkerBenchmark,
# SignClassifierBenchmark and KhmerSpeechBenchmark run from a jar without them, with an empty JavaCPP cache):
# OpenCV's modules beyond core and imgproc, its Python module and data files, OpenBLAS's full-LAPACK JNI and headers.
unzip -Z1 "$APP/benchmarks.jar" | grep -E '^org/bytedeco/opencv/linux-x86_64/(python/|share/|lib)' \
  | grep -v -E '/lib(jni)?opencv_(core|imgproc)\.so' > "$APP/unused.txt" || true
echo 'org/bytedeco/openblas/linux-x86_64/libjniopenblas_full.so' >> "$APP/unused.txt"
unzip -Z1 "$APP/benchmarks.jar" 'org/bytedeco/openblas/linux-x86_64/include/*' >> "$APP/unused.txt" 2>/dev/null || true
# FFmpeg's natives too: the kit's clip travels decoded (frames.rgb, below), which the benchmarks read without FFmpeg.
unzip -Z1 "$APP/benchmarks.jar" 'org/bytedeco/ffmpeg/linux-x86_64/*' >> "$APP/unused.txt" 2>/dev/null || true
zip -q -d "$APP/benchmarks.jar" -@ < "$APP/unused.txt" >/dev/null
rm "$APP/unused.txt"
(cd "$APP" && unzip -q "$JARS/onnxruntime_gpu-$ORT_VERSION.jar" 'ai/onnxruntime/*.class' \
  'ai/onnxruntime/providers/*.class' 'ai/onnxruntime/platform/*.class' 2>/dev/null || true)
(cd "$APP" && zip -q -r benchmarks.jar ai)
split -b "${PART_MB}M" "$APP/benchmarks.jar" "$ROOT/gpu-kit/app.part-"
rm -rf "$APP"
fi

if [[ $WHAT == data || $WHAT == all ]]; then
  # The benchmarks' inputs from ../shared (never committed; sent to the machine only): the test-voice graph and
  # recipe for KhmerSpeechBenchmark, and 30 frames of the signing clip for LandmarkerBenchmark, decoded here by the
  # benchmarks' own decoder (ClipFrames: javacv's FFmpeg, no ffmpeg program) so that the kit carries no FFmpeg; the
  # benchmarks read frames.rgb with its frames.size as a clip.
  SHARED="${KSLR_SHARED:-$ROOT/../shared}"
  mkdir -p "$ROOT/gpu-kit/shared/fixtures/tts"
  cp "$SHARED"/fixtures/tts/{mms-khm-architecture.onnx,mms-khm-architecture.recipe.json,vocab.json,tokenizer_config.json,config.json} \
    "$ROOT/gpu-kit/shared/fixtures/tts/"
  VIDEO="$SHARED/media/signing/test_video.mp4"
  [[ -f "$ROOT/benchmarks/target/benchmarks.jar" ]] \
    || (cd "$ROOT" && mvn -B -q -pl benchmarks -am package -DskipTests)
  java -cp "$ROOT/benchmarks/target/benchmarks.jar" io.github.kslr.benchmarks.ClipFrames \
    "$VIDEO" 30 "$ROOT/gpu-kit/frames.rgb"
  xz -T2 -6 -f "$ROOT/gpu-kit/frames.rgb"
fi

(cd "$ROOT/gpu-kit" && sha256sum base.part-* app.part-* > SHA256SUMS && ls -la base.part-* app.part-*)
