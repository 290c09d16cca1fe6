#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Remakes the object-code seed corpus from a tiny kernel: PTX, a CUBIN and
LTO-IR for sm_90 through NVRTC (via the built library), a fatbin with nvcc
when it is there, and host formats (ELF object, ar archive) from the C
compiler. Run it under `meson devenv -C BUILD` from the source root; the
seeds are committed, so CI does not run this."""
import os
import shutil
import subprocess
import sys
import tempfile

import gi

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj  # noqa: E402

KERNEL = 'extern "C" __global__ void scale(float *x, float a) { x[threadIdx.x] *= a; }\n'
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "object-code")


def compile_to(code_type, **options):
    program = CudaObj.Program.new(KERNEL, CudaObj.ProgramCodeType.CXX,
                                  CudaObj.ProgramOptions(arch="sm_90", **options))
    return program.compile(code_type, None).get_code().get_data()


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes")


def main():
    os.makedirs(OUT, exist_ok=True)
    ptx = compile_to(CudaObj.CodeType.PTX)
    write("scale.ptx", ptx)
    cubin = compile_to(CudaObj.CodeType.CUBIN)
    write("scale.cubin", cubin)
    write("elf-header-only", cubin[:64])
    write("scale.ltoir", compile_to(CudaObj.CodeType.LTOIR, link_time_optimization=True))
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "scale.cu")
        with open(source, "w") as f:
            f.write(KERNEL)
        nvcc = shutil.which("nvcc") or "/usr/local/cuda/bin/nvcc"
        if os.path.exists(nvcc):
            fatbin = os.path.join(tmp, "scale.fatbin")
            subprocess.run([nvcc, "-fatbin", "-arch=sm_90", source, "-o", fatbin], check=True)
            with open(fatbin, "rb") as f:
                data = f.read()
            write("scale.fatbin", data)
            write("fatbin-header-only", data[:16])
        host_c = os.path.join(tmp, "host.c")
        with open(host_c, "w") as f:
            f.write("int answer (void) { return 42; }\n")
        obj = os.path.join(tmp, "host.o")
        subprocess.run([os.environ.get("CC", "cc"), "-c", "-Os", host_c, "-o", obj], check=True)
        subprocess.run(["strip", "--strip-unneeded", obj], check=True)
        with open(obj, "rb") as f:
            write("host.o", f.read())
        lib = os.path.join(tmp, "libhost.a")
        subprocess.run(["ar", "rcs", lib, obj], check=True)
        with open(lib, "rb") as f:
            write("libhost.a", f.read())
    return 0


if __name__ == "__main__":
    sys.exit(main())
