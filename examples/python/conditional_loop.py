#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""conditional_loop: iterate a kernel until a residual falls below a
tolerance, decided on the GPU by a while node of a CUDA graph, from Python.

The kernel halves a residual and counts its steps; it sets the graph's
condition to 0 once the residual is below the tolerance. The kernel is
captured into the body of ``builder.while_loop(condition)``, so one launch
of the graph runs as many steps as the data needs, with no round trip to
the host between them. The graph runs twice: from 1.0 (20 halvings below
1e-6) and from 1024.0 (30 halvings).

Exit status: 0 when both runs give the right result, 1 when one does not,
77 (skip) when there is no usable CUDA device.
"""
import struct
import sys

import gi

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

# cudaGraphSetConditional() comes from the toolkit's device runtime header,
# which Program finds in the toolkit's include directory.
SOURCE = r"""
#include <cuda_device_runtime_api.h>
extern "C" __global__ void halve(float *residual, unsigned int *steps, float tolerance,
                                 cudaGraphConditionalHandle again)
{
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        *residual *= 0.5f;
        *steps += 1;
        cudaGraphSetConditional(again, *residual >= tolerance);
    }
}
"""

TOLERANCE = 1e-6


def solve(graph, stream, residual, steps, start, expected_steps):
    """Starts the residual at start, runs the graph once, checks the result."""
    residual.copy_from_bytes(GLib.Bytes.new(struct.pack("<f", start)), 0, stream)
    steps.fill(0, 4, 0, 1, stream)
    graph.launch(stream)
    result, = struct.unpack("<f", residual.copy_to_bytes(0, 4, stream).get_data())
    n_steps, = struct.unpack("<I", steps.copy_to_bytes(0, 4, stream).get_data())
    print("conditional_loop: from %g: %d steps on the GPU, residual %g (tolerance %g)"
          % (start, n_steps, result, TOLERANCE))
    if n_steps != expected_steps or not TOLERANCE / 2 <= result < TOLERANCE:
        print("conditional_loop: expected %d steps and a residual in [%g, %g)"
              % (expected_steps, TOLERANCE / 2, TOLERANCE), file=sys.stderr)
        return False
    return True


def main():
    try:
        device = CudaObj.Device.get(0)
    except GLib.Error as e:
        print("conditional_loop: no CUDA device: %s" % e.message, file=sys.stderr)
        return 77

    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
    kernel = program.compile(CudaObj.CodeType.CUBIN, None).get_kernel("halve")
    stream = device.create_stream()
    residual = device.allocate(4, stream)
    steps = device.allocate(4, stream)

    # Capture: a while node whose condition starts at 1 at every launch,
    # and the kernel as its body, launched on the body builder's stream.
    builder = CudaObj.GraphBuilder.new(stream, CudaObj.CaptureMode.GLOBAL)
    again = builder.create_condition(1, CudaObj.GraphConditionFlags.ASSIGN_DEFAULT)
    body = builder.while_loop(again)
    CudaObj.launch(body.props.stream, CudaObj.LaunchConfig.new(1, 1), kernel,
                   residual, steps, TOLERANCE, again)
    body.end()
    builder.end()
    graph = builder.complete(CudaObj.GraphInstantiateFlags.NONE, stream)

    print("conditional_loop: a while loop in a graph on %s (sm_%s)" % (device.props.name, device.props.arch))
    # 2^-20 < 1e-6 <= 2^-19, and 1024 = 2^10.
    ok = solve(graph, stream, residual, steps, 1.0, 20) and solve(graph, stream, residual, steps, 1024.0, 30)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
