#!/usr/bin/env bash
# Checks the published modules from outside KSLR's build, as a user's application gets them: installs them into the
# local Maven repository, builds tools/consumer-check (the BOM, kslr-landmarks, kslr-recognizer, kslr-tts and the
# natives, nothing else) and runs it twice, on the class path and on the module path (Automatic-Module-Name). Then it
# resolves every desktop platform's dependency set (with kslr-video and FFmpeg) and fails if a platform lacks a native
# jar; only Linux x86_64 can run here, the other platforms are resolved and their jars checked, not run.
#
#   tools/consumer-check.sh [IMAGE] [VOICE.onnx]
#
# Defaults read ../shared: a portrait photo (one person, pose visible) and the tiny test voice.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${KSLR_SHARED:-$ROOT/../shared}"
IMAGE="${1:-$SHARED/media/tfjs/portrait.jpg}"
VOICE="${2:-$SHARED/fixtures/tts/tiny-khm-voice.onnx}"
for f in "$IMAGE" "$VOICE"; do
  [[ -f "$f" ]] || { echo "consumer check: missing $f (give IMAGE and VOICE.onnx, or put ../shared beside the checkout)" >&2; exit 1; }
done

cd "$ROOT"
# Maven runs that only resolve or evaluate start about twice as fast on the client compiler alone (README, "Every
# desktop platform"); the install, which compiles, keeps the default.
mvn_quick() { MAVEN_OPTS="${MAVEN_OPTS:-} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC" mvn "$@"; }
# (Maven 3.8 wraps even -B -q output in colour codes: strip them.)
VERSION="$(mvn_quick -B -q help:evaluate -Dexpression=project.version -DforceStdout -N | sed 's/\x1b\[[0-9;]*m//g')"
echo "== installing the published modules ($VERSION) into the local Maven repository"
# The desktop platforms KSLR publishes natives for (JavaCPP's names) and where ONNX Runtime's jar keeps each one's.
PLATFORMS=(linux-x86_64 linux-arm64 macosx-x86_64 macosx-arm64 windows-x86_64)
declare -A ORT_NATIVES=([linux-x86_64]=linux-x64 [linux-arm64]=linux-aarch64 [macosx-x86_64]=osx-x64
  [macosx-arm64]=osx-aarch64 [windows-x86_64]=win-x64)
mvn -B -q install -DskipTests -pl "kslr-bom,kslr-api,kslr-onnx,kslr-onnx-writer,kslr-data,kslr-landmarks,kslr-video,kslr-recognizer,kslr-tts,kslr-train$(printf ',kslr-natives-%s' "${PLATFORMS[@]}")" -am

cd "$ROOT/tools/consumer-check"
echo "== building the consumer project against them"
mvn -B -q -Dkslr.version="$VERSION" package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
# The natives dependency is a POM: it belongs on neither path, only its jars do.
DEPS="$(tr ':' '\n' < target/classpath.txt | grep -v '\.pom$' | paste -sd:)"
# Importing the BOM pins KSLR's modules and their native jars, never the build's own dependencies (kslr-bom is
# deployed without its parent).
mvn_quick -B -q -Dkslr.version="$VERSION" help:effective-pom -Doutput=target/effective-pom.xml
if grep -Eq '<artifactId>(javalin|jfreechart|picocli|gson)</artifactId>' target/effective-pom.xml; then
  echo "consumer check: importing kslr-bom pins the build's own dependencies:" >&2
  grep -E '<artifactId>(javalin|jfreechart|picocli|gson)</artifactId>' target/effective-pom.xml >&2
  exit 1
fi
# An application that only recognises carries no model writing, training or data-file code.
if tr ':' '\n' <<<"$DEPS" | grep -E '/(kslr-onnx-writer|kslr-train|kslr-data|protobuf-java|tribuo[^/]*|jfreechart)-[^/]*\.jar$'; then
  echo "consumer check: the jars above are on a recognising application's class path" >&2
  exit 1
fi

check() {
  local how="$1" line
  line="$(tail -1 <<<"$2")"
  echo "$how: $line"
  # A person facing the camera: a full pose; the window gives a prediction; the sentence with a number gives audio.
  [[ "$line" =~ ^pose=33\ hands=[0-9]+\ prediction=[^\ ]+\ speech_samples=[1-9][0-9]*$ ]] \
    || { echo "consumer check failed on the $how" >&2; exit 1; }
  [[ "$line" != *"prediction=none"* ]] || { echo "consumer check: no prediction on the $how" >&2; exit 1; }
}
check "class path" "$(java -cp "target/classes:$DEPS" io.github.kslr.consumercheck.Main "$IMAGE" "$VOICE" 2>/dev/null)"
check "module path" "$(java --module-path "target/classes:$DEPS" --add-modules ALL-MODULE-PATH \
  -m io.github.kslr.consumercheck/io.github.kslr.consumercheck.Main "$IMAGE" "$VOICE" 2>/dev/null)"

# Every desktop platform's dependency set, as that platform's application resolves it: -Djavacpp.platform=P (JavaCPP's
# own property) picks kslr-natives-P, profile "video" adds kslr-video and FFmpeg's natives for P. Maven fails on a jar
# that does not exist; the checks below fail on a platform whose set lacks one of the natives or carries another
# platform's, and on an ONNX Runtime jar without that platform's natives.
for p in "${PLATFORMS[@]}"; do
  mvn_quick -B -q -Dkslr.version="$VERSION" -Djavacpp.platform="$p" -Pvideo dependency:build-classpath \
    -Dmdep.outputFile="target/classpath-$p.txt" \
    || { echo "consumer check: the $p dependency set does not resolve (a native jar missing?)" >&2; exit 1; }
  jars="$(tr ':' '\n' < "target/classpath-$p.txt")"
  for a in javacpp opencv openblas ffmpeg; do
    grep -Eq "/$a-[^/]*-$p\.jar\$" <<<"$jars" || { echo "consumer check: the $p set has no $a natives" >&2; exit 1; }
  done
  if other="$(grep -E -- '-(linux|macosx|windows)-(x86_64|arm64)\.jar$' <<<"$jars" | grep -v -- "-$p\.jar\$")"; then
    echo "consumer check: the $p set carries another platform's natives:" >&2
    echo "$other" >&2
    exit 1
  fi
  ort="$(grep -E '/onnxruntime-[^/]*\.jar$' <<<"$jars")"
  jar tf "$ort" | grep -c "^ai/onnxruntime/native/${ORT_NATIVES[$p]}/" >/dev/null \
    || { echo "consumer check: $ort has no ${ORT_NATIVES[$p]} natives (the $p set)" >&2; exit 1; }
  echo "$p: resolved $(grep -c . <<<"$jars") jars, natives $(grep -Eo -- "/[a-z]+-[^/]*-$p\.jar\$" <<<"$jars" | tr -d / | paste -sd' '), ONNX Runtime $(basename "$ort")"
done
# Intel macOS takes ONNX Runtime 1.23.2, the last jar with osx-x64 natives (README); the same application runs here
# with that jar in place of the pinned one, so KSLR's calls are known to work with it (on Linux: no Intel Mac here).
ort_pinned="$(tr ':' '\n' <<<"$DEPS" | grep -E '/onnxruntime-[^/]*\.jar$')"
ort_intel="$(tr ':' '\n' < target/classpath-macosx-x86_64.txt | grep -E '/onnxruntime-[^/]*\.jar$')"
check "class path with $(basename "$ort_intel")" "$(java -cp "target/classes:${DEPS/"$ort_pinned"/"$ort_intel"}" \
  io.github.kslr.consumercheck.Main "$IMAGE" "$VOICE" 2>/dev/null)"
# README's platform table names what was resolved here: each natives POM, the Intel macOS pin, FFmpeg's version.
ort_intel_version="$(basename "$ort_intel" .jar)"
ffmpeg_jar="$(basename "$(tr ':' '\n' < target/classpath-linux-x86_64.txt | grep -E '/ffmpeg-[^/]*-linux-x86_64\.jar$')")"
ffmpeg_version="${ffmpeg_jar#ffmpeg-}"
for text in "${PLATFORMS[@]/#/kslr-natives-}" "strictly(\"${ort_intel_version#onnxruntime-}\")" \
  "org.bytedeco:ffmpeg:${ffmpeg_version%-linux-x86_64.jar}:"; do
  grep -qF -- "$text" "$ROOT/README.md" || { echo "consumer check: README.md does not say $text" >&2; exit 1; }
done
echo "consumer check OK"
