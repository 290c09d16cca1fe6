#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""saxpy: y = a * x + y for float and double, from one C++ template.

NVRTC instantiates the template for the name expressions given at compile
time, "saxpy<float>" and "saxpy<double>"; the ObjectCode maps each to its
lowered (mangled) name, and get_kernel takes the expression itself.

Exit status: 0 when every element is right, 1 when one is not, 77 (skip)
when there is no usable CUDA device.
"""
import sys

import gi

try:
    import numpy
except ImportError:
    print("saxpy: skipped: this example needs numpy, which is not installed", file=sys.stderr)
    sys.exit(77)

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

SOURCE = r"""
template <typename T>
__global__ void saxpy(T a, const T *x, T *y, size_t n)
{
    size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
    if (i < n)
        y[i] = a * x[i] + y[i];
}
"""

N = 1 << 20
A = 2.5
# The element type of each instantiation.
INSTANCES = {"saxpy<float>": numpy.float32, "saxpy<double>": numpy.float64}


def main():
    try:
        device = CudaObj.Device.get(0)
    except GLib.Error as e:
        print("saxpy: no CUDA device:", e.message, file=sys.stderr)
        return 77

    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
    code = program.compile(CudaObj.CodeType.CUBIN, list(INSTANCES))

    stream = device.create_stream()
    config = CudaObj.LaunchConfig.new_for_size(N, 256)
    failures = 0
    for expression, dtype in INSTANCES.items():
        kernel = code.get_kernel(expression)
        print("saxpy: %s is %s" % (expression, code.get_lowered_name(expression)))

        # Small whole numbers: a * x + y is exact in both precisions, whether
        # or not the compiler fuses it into one FMA, so equality is the check.
        x = (numpy.arange(N) % 1000).astype(dtype)
        y = (numpy.arange(N) % 7).astype(dtype)
        d_x = CudaObj.Buffer.from_numpy(x, device, stream)
        d_y = CudaObj.Buffer.from_numpy(y, device, stream)

        # `a` as a numpy scalar of the element type (a plain float works too:
        # launch converts it to float or double by the parameter's size).
        CudaObj.launch(stream, config, kernel, dtype(A), d_x, d_y, N)

        result = d_y.copy_to_numpy(dtype=dtype, stream=stream)
        d_x.close(stream)
        d_y.close(stream)
        expected = dtype(A) * x + y
        wrong = numpy.flatnonzero(result != expected)
        if wrong.size:
            i = wrong[0]
            print("saxpy: %s: %d of %d elements wrong, first y[%d] = %r, expected %r"
                  % (expression, wrong.size, N, i, result[i], expected[i]), file=sys.stderr)
            failures += 1
        else:
            print("saxpy: %s: %d elements correct, y[%d] = %s"
                  % (expression, N, N - 1, result[N - 1]))
    stream.synchronize()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
