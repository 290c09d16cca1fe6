# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by build-pygobject.sh and run-all.sh.

# Prints the Python 3.12 to benchmark with: $BENCH_PYTHON if set, else the
# first 3.12 found that imports cuda.core and CuPy, else the first 3.12
# found at all. The GPU machine's own python3 is a 3.12 virtual
# environment (/opt/torch/.venv); .gpu/run.sh points /usr/bin/python3 at
# a carried 3.11 while it runs, so candidates are checked, not trusted.
bench_find_python312() {
  local cand first=""
  local -a cands=()
  [ -n "${BENCH_PYTHON:-}" ] && { echo "$BENCH_PYTHON"; return 0; }
  cands=(/opt/torch/.venv/bin/python3.12 /opt/torch/.venv/bin/python3 /opt/torch/.venv/bin/python)
  cand=$(command -v python3.12 2>/dev/null) && cands+=("$cand")
  cands+=(/usr/bin/python3.12 /usr/local/bin/python3.12)
  for cand in "${cands[@]}"; do
    [ -x "$cand" ] || continue
    "$cand" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null || continue
    [ -z "$first" ] && first=$cand
    if "$cand" -c 'import cupy, cuda.core' >/dev/null 2>&1; then
      echo "$cand"
      return 0
    fi
  done
  [ -n "$first" ] && { echo "$first"; return 0; }
  return 1
}
