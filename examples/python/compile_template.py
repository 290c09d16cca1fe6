#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""compile_template: compile a C++ template for two types and show what NVRTC
made of it, without a GPU.

The name expressions "scale<float>" and "scale<double>" make NVRTC instantiate
the template and record each instantiation's mangled ("lowered") name; the
PTX has one .entry per instantiation under those names. The architecture is
the first argument (default sm_90); leave arch unset to compile for device 0.
"""
import sys

import gi

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

SOURCE = r"""
template <typename T>
__global__ void scale(T *data, T factor, unsigned n)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        data[i] *= factor;
}
"""

NAME_EXPRESSIONS = ["scale<float>", "scale<double>"]


def main():
    arch = sys.argv[1] if len(sys.argv) > 1 else "sm_90"
    options = CudaObj.ProgramOptions(arch=arch, std="c++17")
    try:
        print("NVRTC options:", " ".join(options.to_argv()))
        program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
        ptx = program.compile(CudaObj.CodeType.PTX, NAME_EXPRESSIONS)
    except GLib.Error as e:
        print("compile_template:", e.message, file=sys.stderr)
        return 1

    for name in NAME_EXPRESSIONS:
        print(f"{name:<14} -> {ptx.get_lowered_name(name)}")
    text = ptx.get_code().get_data().decode().rstrip("\0")
    print("PTX entries:")
    for line in text.splitlines():
        if ".entry " in line:
            print("  " + line.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
