#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs every libFuzzer harness of a fuzzing build for a bounded time, each on a
# copy of its seed corpus (tests/fuzz/corpus/<name>/), and prints how many
# inputs each ran. Exits non-zero when a harness crashes, leaks or trips a
# sanitizer; the input that did it is kept in BUILD_DIR/fuzz-artifacts/<name>/.
#
#   tests/fuzz/run.sh BUILD_DIR [SECONDS]     (default 60 s per harness)
#
# BUILD_DIR is configured as CONTRIBUTING.md says (CC=clang, -Dfuzzing=true,
# -Db_sanitize=address,undefined).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 BUILD_DIR [SECONDS]" >&2
  exit 2
fi
build_dir=$(cd "$1" && pwd)
seconds=${2:-60}
source_dir=$(cd "$(dirname "$0")" && pwd)
root_dir=$(cd "$source_dir/../.." && pwd)

shopt -s nullglob
harnesses=("$build_dir"/tests/fuzz/fuzz-*)
if [ ${#harnesses[@]} -eq 0 ]; then
  echo "$0: no harnesses in $build_dir/tests/fuzz (configure it with -Dfuzzing=true and build it)" >&2
  exit 2
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root_dir/build-aux/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
summary=()
for harness in "${harnesses[@]}"; do
  if [ ! -f "$harness" ] || [ ! -x "$harness" ]; then continue; fi
  name=${harness##*/fuzz-}
  corpus="$work/$name"
  artifacts="$build_dir/fuzz-artifacts/$name"
  mkdir -p "$corpus" "$artifacts"
  if [ -d "$source_dir/corpus/$name" ]; then
    cp -R "$source_dir/corpus/$name/." "$corpus/"
  else
    echo "$0: warning: no seed corpus for $name (tests/fuzz/corpus/$name/)" >&2
  fi
  echo "=== fuzz-$name: $seconds s, $(find "$corpus" -type f | wc -l) seeds"
  log="$work/$name.log"
  status=0
  "$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log"
    failed+=("$name")
    summary+=("fuzz-$name: FAILED (exit $status) after ${runs:-?} executions; input in $artifacts/")
  else
    summary+=("fuzz-$name: ${runs:-?} executions in $seconds s, no failure")
  fi
done

echo "=== summary"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
