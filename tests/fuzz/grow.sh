#!/bin/sh
# Grow the kept corpora: run every fuzz target for SECONDS (default 60) on
# its corpus, then merge what found new coverage into tests/fuzz/corpus_NAME
# (libFuzzer -merge=1 keeps only inputs that add coverage, so the corpus
# stays small). Commit the result; CI's 20 s runs start from it.
#   tests/fuzz/grow.sh BUILD_DIR [SECONDS]
# BUILD_DIR was configured with -DKIOSK_FUZZ=ON (and built).
set -eu
build=${1:?usage: grow.sh BUILD_DIR [SECONDS]}
secs=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
for bin in "$build"/tests/fuzz_*; do
  name=$(basename "$bin" | sed 's/^fuzz_//')
  corpus="$here/corpus_$name"
  [ -d "$corpus" ] || continue
  scratch=$(mktemp -d)
  before=$(ls "$corpus" | wc -l)
  "$bin" -max_total_time="$secs" -rss_limit_mb=2048 "$scratch" "$corpus" >/dev/null 2>&1 || {
    echo "fuzz_$name found a crash: see the crash-* file here" >&2; exit 1; }
  "$bin" -merge=1 -rss_limit_mb=2048 "$corpus" "$scratch" >/dev/null 2>&1
  rm -rf "$scratch"
  echo "corpus_$name: $before -> $(ls "$corpus" | wc -l) inputs"
done
