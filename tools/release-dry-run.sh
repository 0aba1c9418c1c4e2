#!/usr/bin/env bash
# Proves the Maven Central release path offline: builds the signed Central bundle of the published modules with a
# throwaway GPG key in a temporary GNUPGHOME, uploads nothing, and lists the bundle's entries.
#
#   tools/release-dry-run.sh [VERSION]     (default 0.1.0; the working tree is not touched)
#
# Works on a copy of HEAD (plus uncommitted changes) so the version change never reaches the checkout.
set -euo pipefail

VERSION="${1:-0.1.0}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
export GNUPGHOME="$WORK/gnupg"
trap 'gpgconf --kill gpg-agent >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
mkdir -m 700 "$GNUPGHOME"

echo "== copying the project to $WORK/src"
mkdir "$WORK/src"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - --ignore-failed-read) \
  | tar -xf - -C "$WORK/src"

echo "== throwaway signing key"
gpg --batch --passphrase '' --quick-gen-key "KSLR dry run <dry-run@kslr.invalid>" rsa3072 sign 1d 2>/dev/null
gpg --list-secret-keys --keyid-format short | sed -n '1,4p'

cd "$WORK/src"
echo "== version $VERSION (Central refuses SNAPSHOTs in a release)"
mvn -B -q versions:set -DnewVersion="$VERSION" -DgenerateBackupPoms=false -DprocessAllModules=true

echo "== mvn -Prelease deploy -DskipUpload=true (published modules only)"
# examples, benchmarks and tools are left out of the reactor as well as excluded in the release profile.
mvn -B -q -Prelease deploy -DskipUpload=true -DskipTests \
  -pl '!examples,!benchmarks,!tools' -Dgpg.keyname="dry-run@kslr.invalid"

BUNDLE="$(find . -path '*/target/central-publishing/central-bundle.zip' | head -1)"
if [[ -z "$BUNDLE" ]]; then
  echo "no central-bundle.zip was produced" >&2
  exit 1
fi
echo "== $BUNDLE"
unzip -l "$BUNDLE"

# Every published jar and pom must be signed, and nothing unpublished may be in the bundle.
ENTRIES="$(unzip -Z1 "$BUNDLE")"
missing=0
while read -r f; do
  case "$f" in *.jar|*.pom)
    grep -qx "$f.asc" <<<"$ENTRIES" || { echo "unsigned: $f" >&2; missing=1; } ;;
  esac
done <<<"$ENTRIES"
if grep -Eq 'kslr-(examples|benchmarks|tools)' <<<"$ENTRIES"; then
  echo "the bundle holds an unpublished module" >&2
  exit 1
fi
for m in kslr-parent kslr-bom kslr-api kslr-onnx kslr-onnx-writer kslr-data kslr-landmarks kslr-video kslr-recognizer kslr-tts kslr-train kslr-spark \
  kslr-natives-linux-x86_64 kslr-natives-linux-arm64 kslr-natives-macosx-x86_64 kslr-natives-macosx-arm64 \
  kslr-natives-windows-x86_64; do
  grep -q "/$m/$VERSION/$m-$VERSION.pom" <<<"$ENTRIES" || { echo "missing from the bundle: $m" >&2; missing=1; }
done
[[ $missing == 0 ]] || exit 1
echo "release dry run OK: $(grep -c . <<<"$ENTRIES") entries, all jars and poms signed"
