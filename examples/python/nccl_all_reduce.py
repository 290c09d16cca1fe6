#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""nccl_all_reduce: an all-reduce across processes, one GPU each, from Python.

Started by examples/nccl-launch.sh (one host), by mpirun, or by ssh on
several hosts. The rank and the number of ranks come from RANK and
WORLD_SIZE (torchrun's names, which the launcher sets) or Open MPI's
OMPI_COMM_WORLD_RANK and OMPI_COMM_WORLD_SIZE; the GPU is LOCAL_RANK modulo
the devices of the host. Rank 0 makes the unique id and publishes it in the
file CUDAOBJ_NCCL_ID_FILE names (written whole, then renamed into place);
the others wait for that file. With NCCL_COMM_ID=host:port on every rank,
each rank makes the id itself. Started alone, it is rank 0 of 1.

Rank r contributes r + 1 in every element; every rank checks that it got
1 + 2 + ... + n.

Exit status: 0 when every element is right, 1 when one is not, 77 (skip)
when there is no usable CUDA device or no NCCL.
"""
import os
import sys
import time

import gi

try:
    import numpy
except ImportError:
    print("nccl_all_reduce: skipped: this example needs numpy, which is not installed", file=sys.stderr)
    sys.exit(77)

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

N = 1 << 20


def env_int(names, default):
    for name in names:
        if name in os.environ:
            return int(os.environ[name])
    return default


def unique_id(rank):
    """Rank 0 (or every rank, with NCCL_COMM_ID) makes the id; the others
    read rank 0's file."""
    path = os.environ.get("CUDAOBJ_NCCL_ID_FILE")
    if rank == 0 or "NCCL_COMM_ID" in os.environ:
        uid = CudaObj.Communicator.get_unique_id()
        if rank == 0 and path:
            with open(path + ".partial", "w") as f:
                f.write(CudaObj.Communicator.unique_id_to_string(uid))
            os.rename(path + ".partial", path)
        return uid
    if not path:
        raise SystemExit("nccl_all_reduce: rank %d needs rank 0's unique id: set CUDAOBJ_NCCL_ID_FILE"
                         " (or NCCL_COMM_ID)" % rank)
    deadline = time.monotonic() + 60
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise SystemExit("nccl_all_reduce: rank 0 wrote no unique id to %s" % path)
        time.sleep(0.1)
    with open(path) as f:
        return CudaObj.Communicator.unique_id_from_string(f.read())


def main():
    os.environ.setdefault("NCCL_NVLS_ENABLE", "0")  # NVLink multicast off, where the platform lacks it
    rank = env_int(("RANK", "OMPI_COMM_WORLD_RANK"), 0)
    n_ranks = env_int(("WORLD_SIZE", "OMPI_COMM_WORLD_SIZE"), 1)
    local_rank = env_int(("LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_RANK"), rank)
    try:
        count = CudaObj.Device.get_count()
    except GLib.Error as e:
        print("nccl_all_reduce: no GPU: %s" % e.message, file=sys.stderr)
        return 77
    if count == 0:
        print("nccl_all_reduce: no GPU: the driver found none", file=sys.stderr)
        return 77
    try:
        CudaObj.Library.load(CudaObj.Library.NCCL)
    except GLib.Error as e:
        print("nccl_all_reduce: no NCCL: %s" % e.message, file=sys.stderr)
        return 77
    device = CudaObj.Device.get(local_rank % count)

    # Waits for every rank, a minute at most; leaving the block closes it.
    with CudaObj.Communicator(device=device, n_ranks=n_ranks, rank=rank, unique_id=unique_id(rank),
                              timeout=60000) as comm:
        stream = CudaObj.Stream.new(device, True, 0)
        buffer = CudaObj.Buffer.from_numpy(numpy.full(N, rank + 1, dtype=numpy.float32), device, stream)
        comm.all_reduce(None, buffer, N, CudaObj.DataType.FLOAT32, CudaObj.ReduceOp.SUM, stream)
        sums = buffer.copy_to_numpy(dtype=numpy.float32, stream=stream)

    expected = n_ranks * (n_ranks + 1) / 2
    wrong = numpy.flatnonzero(sums != expected)
    if wrong.size:
        print("nccl_all_reduce: rank %d: element %d is %g, expected %g"
              % (rank, wrong[0], sums[wrong[0]], expected), file=sys.stderr)
        return 1
    print("rank %d of %d on %s: all-reduce of %d floats correct (%g)"
          % (rank, n_ranks, device.props.name, N, expected))
    return 0


if __name__ == "__main__":
    sys.exit(main())
