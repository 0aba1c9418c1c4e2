#!/usr/bin/env bash
# Checks the published modules from outside KSLR's build, as a user's application gets them: installs them into the
# local Maven repository, builds tools/consumer-check (the BOM, kslr-landmarks, kslr-recognizer, kslr-tts and the
# natives, nothing else) and runs it twice, on the class path and on the module path (Automatic-Module-Name).
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
# (Maven 3.8 wraps even -B -q output in colour codes: strip them.)
VERSION="$(mvn -B -q help:evaluate -Dexpression=project.version -DforceStdout -N | sed 's/\x1b\[[0-9;]*m//g')"
echo "== installing the published modules ($VERSION) into the local Maven repository"
mvn -B -q install -DskipTests -pl kslr-bom,kslr-api,kslr-onnx,kslr-onnx-writer,kslr-data,kslr-landmarks,kslr-recognizer,kslr-tts,kslr-train,kslr-natives-linux-x86_64 -am

cd "$ROOT/tools/consumer-check"
echo "== building the consumer project against them"
mvn -B -q -Dkslr.version="$VERSION" package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
# The natives dependency is a POM: it belongs on neither path, only its jars do.
DEPS="$(tr ':' '\n' < target/classpath.txt | grep -v '\.pom$' | paste -sd:)"
# Importing the BOM pins KSLR's modules and their native jars, never the build's own dependencies (kslr-bom is
# deployed without its parent).
mvn -B -q -Dkslr.version="$VERSION" help:effective-pom -Doutput=target/effective-pom.xml
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
echo "consumer check OK"
