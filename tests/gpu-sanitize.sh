#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs the GPU test suites under NVIDIA's compute-sanitizer (memcheck,
# racecheck, synccheck, initcheck) and, given a second build dir configured
# with -Db_sanitize=address,undefined, the C suite under ASan and UBSan.
# Prints a summary line per tool; exits 0 only when every test passed and
# no tool reported an error. See docs/sanitizers.md.
#
#   tests/gpu-sanitize.sh BUILD_DIR [ASAN_BUILD_DIR]
#
# Environment:
#   SANITIZE_TOOLS     compute-sanitizer tools to run
#                      (default: "memcheck racecheck synccheck initcheck";
#                      "none" runs only the ASan/UBSan part)
#   SANITIZE_SUITES    meson suites to run under them (default: "c python gjs")
#   SANITIZE_TIMEOUT_MULTIPLIER  scales each test's meson timeout (default 4)
#   COMPUTE_SANITIZER  the compute-sanitizer program (default: from PATH,
#                      then $CUDA_PATH/bin, then /usr/local/cuda/bin)
#   SANITIZE_LOG_DIR   where the logs go (default: $OUT/sanitize when OUT is
#                      set, else BUILD_DIR/meson-logs/sanitize)
#
# The fault tests (suite "fault") are left out of the compute-sanitizer runs:
# they crash kernels on purpose, which every tool reports. Tests that check
# driver errors on purpose are fine with --report-api-errors no.
set -u

usage ()
{
  sed -n '4,26s/^# \{0,1\}//p' "$0" >&2
  exit 2
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
build=$1
asan_build=${2:-}
[ -f "$build/meson-private/coredata.dat" ] || { echo "gpu-sanitize: $build is not a meson build dir" >&2; exit 2; }
if [ -n "$asan_build" ] && [ ! -f "$asan_build/meson-private/coredata.dat" ]; then
  echo "gpu-sanitize: $asan_build is not a meson build dir" >&2
  exit 2
fi

tools=${SANITIZE_TOOLS:-memcheck racecheck synccheck initcheck}
[ "$tools" = none ] && tools=
suites=${SANITIZE_SUITES:-c python gjs}
multiplier=${SANITIZE_TIMEOUT_MULTIPLIER:-4}
logdir=${SANITIZE_LOG_DIR:-}
if [ -z "$logdir" ]; then
  if [ -n "${OUT:-}" ]; then logdir=$OUT/sanitize; else logdir=$build/meson-logs/sanitize; fi
fi
mkdir -p "$logdir"

sanitizer=${COMPUTE_SANITIZER:-}
if [ -z "$sanitizer" ] && [ -n "$tools" ]; then
  for candidate in "$(command -v compute-sanitizer || true)" "${CUDA_PATH:-/nonexistent}/bin/compute-sanitizer" \
                   /usr/local/cuda/bin/compute-sanitizer; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then sanitizer=$candidate; break; fi
  done
  [ -n "$sanitizer" ] || { echo "gpu-sanitize: compute-sanitizer not found; set COMPUTE_SANITIZER" >&2; exit 2; }
fi

suite_args=()
for s in $suites; do suite_args+=(--suite "$s"); done

# Tests that assert timing (work still running when a call returns) skip
# those assertions when this is set: the sanitizers serialize kernels.
export CUDA_OBJ_TEST_SANITIZER=1

status=0
summary=()

# "name: 12 ok, 0 failed, 0 timed out, 3 skipped; N errors reported (T s)"
summarize ()
{
  local name=$1 log=$2 rc=$3 errors=$4 seconds=$5 ok fail timeout skip
  ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  timeout=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  skip=$(sed -n 's/^Skipped: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  summary+=("$(printf '%-10s %3s ok, %s failed, %s timed out, %s skipped; %s errors reported (%ss) -> %s' \
    "$name:" "${ok:-?}" "${fail:-?}" "${timeout:-?}" "${skip:-?}" "$errors" "$seconds" "$log")")
  if [ "$rc" -ne 0 ] || [ "$errors" != 0 ] || [ "${fail:-1}" != 0 ] || [ "${timeout:-1}" != 0 ]; then
    status=1
  fi
}

for tool in $tools; do
  log=$logdir/$tool.log
  start=$SECONDS
  echo "== compute-sanitizer --tool $tool: suites $suites" >&2
  meson test -C "$build" --no-rebuild --print-errorlogs "${suite_args[@]}" --no-suite fault \
    -t "$multiplier" --logbase "sanitize-$tool" \
    --wrapper "$sanitizer --tool $tool --report-api-errors no --require-cuda-init no --error-exitcode 86 --target-processes all" \
    > "$log" 2>&1
  rc=$?
  # meson names the log after the logbase and the wrapper program.
  cp "$build/meson-logs/sanitize-$tool"*.txt "$logdir/$tool-tests.txt" 2> /dev/null || true
  # Each sanitized process ends with "========= ERROR SUMMARY: N errors";
  # meson's log of the run holds every test's output.
  errors=$(cat "$logdir/$tool-tests.txt" 2> /dev/null || cat "$log")
  errors=$(printf '%s\n' "$errors" | grep -o 'ERROR SUMMARY: [0-9]*' | awk '{ n += $3 } END { print n + 0 }')
  summarize "$tool" "$log" "$rc" "$errors" $((SECONDS - start))
done

if [ -n "$asan_build" ]; then
  log=$logdir/asan-ubsan.log
  start=$SECONDS
  echo "== ASan + UBSan: suite c of $asan_build" >&2
  # protect_shadow_gap=0: the driver maps memory in ASan's shadow gap.
  # detect_leaks=0: GLib's type system and the driver keep memory for the
  # process's life by design; LeakSanitizer reports those, not our leaks.
  ASAN_OPTIONS=protect_shadow_gap=0:detect_leaks=0:halt_on_error=1:abort_on_error=1:print_summary=1 \
  UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1 \
    meson test -C "$asan_build" --no-rebuild --print-errorlogs --suite c -t "$multiplier" \
    --logbase sanitize-asan-ubsan > "$log" 2>&1
  rc=$?
  cp "$asan_build/meson-logs/sanitize-asan-ubsan"*.txt "$logdir/asan-ubsan-tests.txt" 2> /dev/null || true
  errors=$(grep -c -E 'ERROR: AddressSanitizer|runtime error:|SUMMARY: UndefinedBehaviorSanitizer' \
           "$logdir/asan-ubsan-tests.txt" 2> /dev/null)
  summarize asan+ubsan "$log" "$rc" "${errors:-0}" $((SECONDS - start))
fi

device=$( (command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader) \
          2> /dev/null | head -n 1)
echo
echo "gpu-sanitize summary (${device:-unknown GPU}):"
for line in "${summary[@]}"; do echo "  $line"; done
[ $status -eq 0 ] && echo "  result: clean" || echo "  result: FAILED (see the logs)"
exit $status
