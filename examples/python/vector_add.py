#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""vector_add: c = a + b on the GPU, from Python.

The whole path in a few lines: pick a device, compile CUDA C++ at run time
(NVRTC) for that device's architecture, move numpy arrays in, launch, move
the result out and check every element against numpy.

Exit status: 0 when every element is right, 1 when one is not, 77 (skip)
when there is no usable CUDA device.
"""
import sys

import gi

try:
    import numpy
except ImportError:
    print("vector_add: skipped: this example needs numpy, which is not installed", file=sys.stderr)
    sys.exit(77)

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

SOURCE = r"""
extern "C" __global__ void vector_add(const float *a, const float *b, float *c, size_t n)
{
    size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
    if (i < n)
        c[i] = a[i] + b[i];
}
"""

N = 1 << 20


def main():
    try:
        device = CudaObj.Device.get(0)
    except GLib.Error as e:
        print("vector_add: no CUDA device:", e.message, file=sys.stderr)
        return 77

    # Compile for exactly this GPU (sm_90 on an H100) straight to CUBIN. A
    # compile error raises GLib.Error whose message carries NVRTC's log.
    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
    kernel = program.compile(CudaObj.CodeType.CUBIN).get_kernel("vector_add")

    rng = numpy.random.default_rng(2024)
    a = rng.random(N, dtype=numpy.float32)
    b = rng.random(N, dtype=numpy.float32)

    # All the work is ordered on one stream: allocation, copies, launch, free.
    stream = device.create_stream()
    d_a = CudaObj.Buffer.from_numpy(a, device, stream)
    d_b = CudaObj.Buffer.from_numpy(b, device, stream)
    d_c = device.allocate(a.nbytes, stream)

    # One thread per element, 256 per block. The Python values are converted
    # by the kernel's parameter sizes: Buffers become pointers, N a size_t.
    config = CudaObj.LaunchConfig.new_for_size(N, 256)
    CudaObj.launch(stream, config, kernel, d_a, d_b, d_c, N)

    # copy_to_numpy waits for the stream, so the kernel has finished too.
    c = d_c.copy_to_numpy(dtype=numpy.float32, stream=stream)
    for buffer in (d_a, d_b, d_c):
        buffer.close(stream)
    stream.synchronize()

    # A single float addition rounds the same on the GPU and in numpy.
    wrong = numpy.flatnonzero(c != a + b)
    if wrong.size:
        i = wrong[0]
        print("vector_add: %d of %d elements wrong, first c[%d] = %r, expected %r"
              % (wrong.size, N, i, c[i], a[i] + b[i]), file=sys.stderr)
        return 1
    print("vector_add: %d elements on %s (sm_%s): all correct, c[%d] = %.6f"
          % (N, device.props.name, device.props.arch, N - 1, c[N - 1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
