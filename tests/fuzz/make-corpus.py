#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Remakes the object-code seed corpus from a tiny kernel: PTX, a CUBIN and
LTO-IR for sm_90 through NVRTC (via the built library), a fatbin with nvcc
when it is there, and host formats (ELF object, ar archive) from the C
compiler; and the compile-payload and options-render seeds. Run it under `meson devenv -C BUILD` from the source root; the
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


def write_seed(harness, name, data):
    directory = os.path.join(os.path.dirname(OUT), harness)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)
    print(f"{harness}/{name}: {len(data)} bytes")


def other_corpora(ptx, cubin):
    # Payloads as the compile cache stores them: a GVariant "(usasasay)" of
    # the code type, the log, name expressions, lowered names and the code.
    from gi.repository import GLib

    def payload(code_type, log, names, lowered, code):
        variant = GLib.Variant("(usasasay)", (int(code_type), log, names, lowered, code))
        return variant.get_data_as_bytes().get_data()

    write_seed("compile-payload", "ptx", payload(CudaObj.CodeType.PTX, "", [], [], ptx))
    write_seed("compile-payload", "cubin-with-names",
               payload(CudaObj.CodeType.CUBIN, "warning: unused", ["scale", "missing"], ["scale", ""],
                       cubin[:256]))
    # The options harness: a byte picks the class (even: ProgramOptions,
    # odd: LinkerOptions), then the options in table order; see its header.
    write_seed("options-render", "program-defaults", b"\x00")
    write_seed("options-render", "linker-defaults", b"\x01")
    write_seed("options-render", "program-some", b"\x00name\x00sm_90\x00c++17\x00\x01\x00\x01")
    write_seed("options-render", "linker-some", b"\x01sm_80\x00\x00\x00\x00\x20\x01")


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
    other_corpora(ptx, cubin)
    return 0


if __name__ == "__main__":
    sys.exit(main())
