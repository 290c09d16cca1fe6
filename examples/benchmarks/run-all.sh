#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The whole benchmark set, in one run, on the GPU machine; prints the table
# of docs/benchmarks.md. From the repository root, with the build directory,
# .gpu and .bench carried (see docs/benchmarks.md):
#   bash .gpu/run.sh bash examples/benchmarks/run-all.sh BUILD_DIR [--quick] [--repeats N]
# --quick: a smoke run with fewer iterations (its report says so).
# Results: results.jsonl (every JSON line), benchmarks.log (all output) and
# report.md (the tables) in $OUT when it is set, else in a new /tmp folder.
# Builds PyGObject for the GPU machine's Python 3.12 first if it is not
# built yet (build-pygobject.sh, into /tmp/pyg312).
# Exit status: 0 when every benchmark ran or skipped, 1 when one failed.
set -uo pipefail
if [ $# -lt 1 ] || [ ! -d "$1" ]; then
  echo "usage: run-all.sh BUILD_DIR [--quick] [--repeats N]" >&2
  exit 2
fi
BUILD=$(cd "$1" && pwd)
shift
ARGS=("$@")
ROOT=$(pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
RESULTS=${OUT:-$(mktemp -d /tmp/cudaobj-bench-XXXXXX)}
mkdir -p "$RESULTS"
JSONL=$RESULTS/results.jsonl
LOG=$RESULTS/benchmarks.log
: >"$JSONL"
: >"$LOG"
status=0
quick=0
repeats=""
for ((i = 0; i < ${#ARGS[@]}; i++)); do
  case ${ARGS[i]} in
    --quick) quick=1 ;;
    --repeats) repeats=${ARGS[i + 1]:-} ;;
  esac
done

export LD_LIBRARY_PATH=$BUILD/libcudaobj${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export GI_TYPELIB_PATH=$BUILD/introspection${GI_TYPELIB_PATH:+:$GI_TYPELIB_PATH}
# Compiles of the benchmarks' own kernels are cached apart from the user's.
export XDG_CACHE_HOME=$RESULTS/.cache
trap 'rm -rf "$XDG_CACHE_HOME"' EXIT

log() { echo "$*" | tee -a "$LOG"; }

# A JSON line from key=value pairs (values as strings).
json_line() {
  python3 - "$@" <<'PY'
import json, sys
print(json.dumps(dict(a.split("=", 1) for a in sys.argv[1:])))
PY
}

# run NAME COMMAND...: runs a benchmark, shows and logs its output, keeps
# its JSON lines; exit 77 is a skip (the reason is its last stderr line).
run() {
  local name=$1 rc err out
  shift
  err=$(mktemp)
  out=$(mktemp)
  log ""
  log "=== $name: $*"
  "$@" 2>"$err" | tee "$out"
  rc=${PIPESTATUS[0]}
  cat "$out" >>"$LOG"
  cat "$err" >&2
  cat "$err" >>"$LOG"
  grep '^{' "$out" >>"$JSONL"
  if [ "$rc" -eq 77 ]; then
    json_line type=skip program="$name" reason="$(tail -1 "$err")" >>"$JSONL"
  elif [ "$rc" -ne 0 ]; then
    json_line type=failure program="$name" reason="exit status $rc: $(tail -1 "$err")" >>"$JSONL"
    status=1
  fi
  rm -f "$err" "$out"
  return 0
}

gpu=$(nvidia-smi --query-gpu=name,driver_version,compute_cap --format=csv,noheader 2>/dev/null | head -1)
IFS=, read -r gpu_name gpu_driver gpu_cc <<<"$gpu"
gpu_name=$(echo "${gpu_name:-}" | sed 's/^ *//;s/ *$//')
gpu_driver=$(echo "${gpu_driver:-}" | tr -d ' ')
gpu_cc=$(echo "${gpu_cc:-}" | tr -d ' ')
json_line type=meta program=run-all device="${gpu_name:-unknown}" driver="${gpu_driver:-unknown}" \
  date="$(date -u +%Y-%m-%dT%H:%MZ)" host="$(uname -srm)" build="$BUILD" >>"$JSONL"
log "run-all: ${gpu_name:-no GPU} (driver ${gpu_driver:-?}), build $BUILD, results in $RESULTS"

# Python 3.12 with our PyGObject, cuda.core and CuPy in one interpreter.
PY312=""
if [ -e /tmp/pyg312/.done ]; then
  PY312=$(cat /tmp/pyg312/.done)
else
  log "=== build-pygobject (once per machine)"
  if bash "$HERE/build-pygobject.sh" 2>&1 | tee -a "$LOG"; then
    PY312=$(cat /tmp/pyg312/.done 2>/dev/null)
  fi
fi
if [ -n "$PY312" ]; then
  versions=$("$PY312" - <<'PY' 2>/dev/null
from importlib import metadata
out = []
for name, dist in (("cuda_core", "cuda-core"), ("cupy", "cupy-cuda13x"), ("cupy", "cupy-cuda12x"), ("cupy", "cupy")):
    try:
        out.append("%s=%s" % (name, metadata.version(dist)))
    except metadata.PackageNotFoundError:
        pass
seen = set()
print(" ".join(o for o in out if not (o.split("=")[0] in seen or seen.add(o.split("=")[0]))))
PY
)
  # shellcheck disable=SC2086
  json_line type=meta program=python-peers python="$("$PY312" -c 'import sys; print(sys.version.split()[0])')" \
    $versions >>"$JSONL"
  py() { (. /tmp/pyg312/env.sh && export PYTHONPATH=$PYTHONPATH:$ROOT/introspection/python \
          && cd "$HERE" && "$PY312" "$@"); }
else
  json_line type=skip program="Python benchmarks" \
    reason="no PyGObject for Python 3.12 (build-pygobject.sh failed or .bench was not carried)" >>"$JSONL"
  py() { return 77; }
fi

# NCCL from that Python's nvidia-nccl wheel, where nothing else names one.
if [ -n "$PY312" ] && [ -z "${CUDA_OBJ_SITE_PACKAGES:-}" ] && [ -z "${CUDA_OBJ_NCCL_LIBRARY:-}" ]; then
  CUDA_OBJ_SITE_PACKAGES=$("$PY312" -c 'import site; print(":".join(site.getsitepackages()))')
  export CUDA_OBJ_SITE_PACKAGES
fi
export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1

E=$BUILD/examples
run launch-overhead "$E/cudaobj-bench-launch-overhead" "${ARGS[@]}"
run launch-threads "$E/cudaobj-bench-launch-threads" "${ARGS[@]}"
[ -n "$PY312" ] && run launch_python py launch_python.py "${ARGS[@]}"
if command -v gjs >/dev/null; then
  run launch-gjs gjs -m "$HERE/launch-gjs.js" "${ARGS[@]}"
else
  json_line type=skip program=launch-gjs reason="no gjs on PATH (run through .gpu/run.sh)" >>"$JSONL"
fi
run copies "$E/cudaobj-bench-copies" "${ARGS[@]}"
run file-io "$E/cudaobj-bench-file-io" "${ARGS[@]}"
run allocation "$E/cudaobj-bench-allocation" "${ARGS[@]}"
run memory-pools "$E/cudaobj-bench-memory-pools" "${ARGS[@]}"
run graph-build "$E/cudaobj-bench-graph-build" "${ARGS[@]}"
[ -n "$PY312" ] && run allocation_python py allocation_python.py "${ARGS[@]}"
run vmm-grow "$E/cudaobj-bench-vmm-grow" "${ARGS[@]}"
# compile-cache.c takes RUNS [ARCH] and prints text: converted to JSON lines.
runs=${repeats:-$([ $quick = 1 ] && echo 3 || echo 15)}
arch=sm_${gpu_cc/./}
[ "$arch" = sm_ ] && arch=sm_90
compile_text=$(mktemp)
run compile-cache bash -c "set -o pipefail; '$E/cudaobj-bench-compile-cache' $runs $arch | tee '$compile_text'"
grep -q ' ms$' "$compile_text" && python3 "$HERE/report.py" --convert-compile-cache <"$compile_text" >>"$JSONL"
rm -f "$compile_text"
[ -n "$PY312" ] && run compile_python py compile_python.py "${ARGS[@]}"
run signal-latency "$E/cudaobj-bench-signal-latency" "${ARGS[@]}"
run conditional-loop "$E/cudaobj-bench-conditional-loop" "${ARGS[@]}"
run green-latency "$E/cudaobj-bench-green-latency" "${ARGS[@]}"
run nccl-all-reduce "$E/cudaobj-bench-nccl-all-reduce" "${ARGS[@]}"
[ -n "$PY312" ] && run nccl_torch py nccl_torch.py "${ARGS[@]}"
run ipc-import "$E/cudaobj-bench-ipc-import" "${ARGS[@]}"

log ""
log "=== report"
python3 "$HERE/report.py" --output "$RESULTS/report.md" "$JSONL" | tee -a "$LOG" || status=1
log ""
log "run-all: results in $RESULTS (results.jsonl, report.md, benchmarks.log); exit status $status"
exit $status
