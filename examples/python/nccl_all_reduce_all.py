#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""nccl_all_reduce_all: one process, every GPU of the host, one all-reduce.

CudaObj.Communicator.new_all makes one communicator per device (rank i on
device i). One thread drives all the ranks, so their all-reduces are
enqueued between group_start and group_end: NCCL starts them together,
where one alone would wait for the others. Device i contributes i + 1 in
every element and every device checks the sum. One GPU is a valid case.

Exit status: 0 when every element is right, 1 when one is not, 77 (skip)
when there is no usable CUDA device or no NCCL.
"""
import os
import sys

import gi

try:
    import numpy
except ImportError:
    print("nccl_all_reduce_all: skipped: this example needs numpy, which is not installed", file=sys.stderr)
    sys.exit(77)

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

N = 1 << 20


def main():
    os.environ.setdefault("NCCL_NVLS_ENABLE", "0")  # NVLink multicast off, where the platform lacks it
    try:
        devices = CudaObj.Device.get_all()
    except GLib.Error as e:
        print("nccl_all_reduce_all: no GPU: %s" % e.message, file=sys.stderr)
        return 77
    if not devices:
        print("nccl_all_reduce_all: no GPU: the driver found none", file=sys.stderr)
        return 77
    try:
        CudaObj.Library.load(CudaObj.Library.NCCL)
    except GLib.Error as e:
        print("nccl_all_reduce_all: no NCCL: %s" % e.message, file=sys.stderr)
        return 77

    comms = CudaObj.Communicator.new_all(devices)
    streams = [CudaObj.Stream.new(d, True, 0) for d in devices]
    buffers = [CudaObj.Buffer.from_numpy(numpy.full(N, i + 1, dtype=numpy.float32), d, s)
               for i, (d, s) in enumerate(zip(devices, streams))]

    CudaObj.Communicator.group_start()
    try:
        for comm, buffer, stream in zip(comms, buffers, streams):
            comm.all_reduce(None, buffer, N, CudaObj.DataType.FLOAT32, CudaObj.ReduceOp.SUM, stream)
    finally:
        CudaObj.Communicator.group_end()

    expected = len(devices) * (len(devices) + 1) / 2
    for i, (buffer, stream) in enumerate(zip(buffers, streams)):
        sums = buffer.copy_to_numpy(dtype=numpy.float32, stream=stream)
        if (sums != expected).any():
            print("nccl_all_reduce_all: device %d: wrong sums (expected %g)" % (i, expected), file=sys.stderr)
            return 1
    for comm in comms:
        comm.close()
    print("all-reduce of %d floats over %d GPU(s) in one process: correct (%g)" % (N, len(devices), expected))
    return 0


if __name__ == "__main__":
    sys.exit(main())
