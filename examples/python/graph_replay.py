#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""graph_replay: what a CUDA graph saves when many small kernels run in a
chain, from Python.

A chain of KERNELS tiny kernels, each adding 1 to every element of a buffer
of 1024 ints, is first launched kernel by kernel ITERATIONS times, then
captured once into a graph (``with stream.capture() as builder:``),
completed, uploaded and replayed ITERATIONS times. Both runs are timed on
the host clock, from the first submission until the stream is done, and
each must leave exactly ITERATIONS * KERNELS in every element.

Exit status: 0 when both runs leave the right values, 1 when one does not,
77 (skip) when there is no usable CUDA device.
"""
import sys
import time

import gi

try:
    import numpy
except ImportError:
    print("graph_replay: skipped: this example needs numpy, which is not installed", file=sys.stderr)
    sys.exit(77)

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

SOURCE = r"""
extern "C" __global__ void add_one(int *x, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        x[i] += 1;
}
"""

N = 1024          # ints in the buffer (4 blocks of 256 threads)
KERNELS = 20      # kernels in the chain
ITERATIONS = 200  # runs of the chain, individually and as graph replays


def check(buffer, stream, what):
    """The buffer must hold ITERATIONS * KERNELS everywhere; prints why not."""
    values = buffer.copy_to_numpy(dtype=numpy.int32, stream=stream)
    expected = ITERATIONS * KERNELS
    wrong = numpy.flatnonzero(values != expected)
    if wrong.size:
        i = wrong[0]
        print("graph_replay: after the %s, %d of %d elements wrong, first x[%d] = %d, expected %d"
              % (what, wrong.size, N, i, values[i], expected), file=sys.stderr)
        return False
    return True


def main():
    try:
        device = CudaObj.Device.get(0)
    except GLib.Error as e:
        print("graph_replay: no CUDA device:", e.message, file=sys.stderr)
        return 77

    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
    kernel = program.compile(CudaObj.CodeType.CUBIN).get_kernel("add_one")

    stream = device.create_stream()
    buffer = device.allocate(N * 4, stream)
    config = CudaObj.LaunchConfig.new_for_size(N, 256)

    # The arguments are prepared once and every launch reuses them, so that
    # the individual launches cost only their submission (what a graph
    # saves), not the conversion of Python values at each call.
    args = CudaObj.KernelArgs.new_for_kernel(kernel)
    args.set_buffer(0, buffer)
    args.set_int32(1, N)

    print("graph_replay: a chain of %d kernels on %d ints, run %d times, on %s (sm_%s)"
          % (KERNELS, N, ITERATIONS, device.props.name, device.props.arch))

    # 1. Kernel by kernel. One untimed round first loads the kernel onto
    # the device, then the buffer starts again from zero.
    for _ in range(KERNELS):
        CudaObj.launch(stream, config, kernel, args)
    buffer.fill(0, 4, 0, N, stream)
    stream.synchronize()
    start = time.perf_counter()
    for _ in range(ITERATIONS):
        for _ in range(KERNELS):
            CudaObj.launch(stream, config, kernel, args)
    stream.synchronize()
    individual = time.perf_counter() - start
    if not check(buffer, stream, "individual launches"):
        return 1

    # 2. The same chain captured once: inside the block the launches are
    # recorded into the builder, not run.
    with stream.capture() as builder:
        for _ in range(KERNELS):
            CudaObj.launch(stream, config, kernel, args)
    graph = builder.complete(CudaObj.GraphInstantiateFlags.NONE, None)
    nodes = graph.get_node_count()
    if nodes != KERNELS:
        print("graph_replay: the graph has %d nodes, expected %d" % (nodes, KERNELS), file=sys.stderr)
        return 1
    # Uploading prepares the device for the graph ahead of its first launch;
    # one untimed replay more, then the buffer starts again from zero.
    graph.upload(stream)
    graph.launch(stream)
    buffer.fill(0, 4, 0, N, stream)
    stream.synchronize()
    start = time.perf_counter()
    for _ in range(ITERATIONS):
        graph.launch(stream)
    stream.synchronize()
    replay = time.perf_counter() - start
    if not check(buffer, stream, "graph replays"):
        return 1

    buffer.close(stream)
    stream.close()

    launches = ITERATIONS * KERNELS
    print("graph_replay: individual launches: %5d launches in %8.3f ms, %6.2f us per kernel"
          % (launches, individual * 1e3, individual * 1e6 / launches))
    print("graph_replay: graph replay:        %5d launches in %8.3f ms, %6.2f us per kernel"
          " (%d nodes each)" % (ITERATIONS, replay * 1e3, replay * 1e6 / launches, nodes))
    print("graph_replay: every element is %d after each run: correct" % (ITERATIONS * KERNELS))
    if replay <= individual:
        print("graph replay: %.1fx faster than individual launches" % (individual / replay))
    else:
        print("graph replay: %.1fx slower than individual launches" % (replay / individual))
    return 0


if __name__ == "__main__":
    sys.exit(main())
