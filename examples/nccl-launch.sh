#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Starts N ranks of an NCCL program on this host, one process per GPU:
#   examples/nccl-launch.sh N PROGRAM [ARGS...]
# e.g. examples/nccl-launch.sh 4 build/examples/nccl-all-reduce
#      examples/nccl-launch.sh 4 python3 examples/python/nccl_all_reduce.py
# Each process gets RANK, WORLD_SIZE and LOCAL_RANK (torchrun's names) and
# CUDAOBJ_NCCL_ID_FILE, a fresh file where rank 0 publishes the unique id.
# Exits with the first non-zero status of a rank (77 if every rank skipped).
# On several hosts, start the ranks with mpirun or ssh instead (see the
# "Scaling out" guide).
set -u
if [ $# -lt 2 ]; then
  echo "usage: $0 N PROGRAM [ARGS...]" >&2
  exit 2
fi
n=$1
shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export WORLD_SIZE="$n" CUDAOBJ_NCCL_ID_FILE="$dir/unique-id"
# NVLink multicast off, where the platform lacks it.
export NCCL_NVLS_ENABLE="${NCCL_NVLS_ENABLE:-0}"
pids=""
rank=0
while [ "$rank" -lt "$n" ]; do
  RANK=$rank LOCAL_RANK=$rank "$@" &
  pids="$pids $!"
  rank=$((rank + 1))
done
status=0
skipped=0
for pid in $pids; do
  wait "$pid"
  rc=$?
  if [ "$rc" -eq 77 ]; then
    skipped=$((skipped + 1))
  elif [ "$rc" -ne 0 ] && [ "$status" -eq 0 ]; then
    status=$rc
  fi
done
if [ "$status" -eq 0 ] && [ "$skipped" -eq "$n" ]; then
  status=77
fi
exit "$status"
