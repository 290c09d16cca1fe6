# SPDX-License-Identifier: LGPL-2.1-or-later
"""The README's Python tour, the parts that need no GPU, against an
installed libcudaobj (check-installed.sh sets the paths into its DESTDIR).

Usage: check-installed.py DESTDIR SITE
  SITE: the folder holding gi/overrides/CudaObj.py, as installed (without
  DESTDIR); the Python running this must search it on its own.
"""
import os
import subprocess
import sys

import gi

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

ROOT, SITE = os.path.realpath(sys.argv[1]), sys.argv[2]
SOURCE = r"""
extern "C" __global__ void vector_add(const float *a, const float *b, float *c, size_t n)
{
    size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
    if (i < n) c[i] = a[i] + b[i];
}
"""
results = []


def check(description):
    def run(body):
        try:
            body()
        except Exception as e:  # noqa: BLE001 - every failure is a "not ok" line
            results.append(False)
            print("not ok %d - %s: %s: %s" % (len(results), description, type(e).__name__, e))
        else:
            results.append(True)
            print("ok %d - %s" % (len(results), description))
    return run


def inside_destdir(path):
    return os.path.realpath(path).startswith(ROOT + os.sep)


@check("the overrides that load are the installed ones")
def _():
    module = sys.modules["gi.overrides.CudaObj"]
    assert inside_destdir(module.__file__), module.__file__
    assert CudaObj.launch.__module__ == "gi.overrides.CudaObj"


@check("the typelib and the library are the installed ones")
def _():
    typelib = gi.Repository.get_default().get_typelib_path("CudaObj")
    assert inside_destdir(typelib), typelib
    with open("/proc/self/maps") as maps:
        loaded = {line.split()[-1] for line in maps if "libcudaobj-1.0.so" in line}
    assert loaded and all(inside_destdir(path) for path in loaded), loaded


@check("the overrides lie where %s looks without PYTHONPATH" % sys.executable)
def _():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    script = "import gi, sys; print(gi._overridesdir); print(*sys.path, sep='\\n')"
    out = subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True,
                         text=True).stdout.splitlines()
    overrides = os.path.join(SITE, "gi", "overrides")
    assert overrides == out[0] or SITE in out[1:], "%s is not searched: %s" % (overrides, out)


@check("version constants")
def _():
    assert (CudaObj.MAJOR_VERSION, CudaObj.MINOR_VERSION) >= (1, 0)
    assert CudaObj.VERSION_S.startswith("%d.%d." % (CudaObj.MAJOR_VERSION, CudaObj.MINOR_VERSION))
    assert CudaObj.get_header_version() >= 12000


@check("ProgramOptions are properties")
def _():
    options = CudaObj.ProgramOptions(std="c++17", arch="sm_90")
    assert options.props.std == "c++17"
    assert options.to_argv() == ["--gpu-architecture=sm_90", "--std=c++17"]


@check("compile the tour's kernel to PTX, and to CUBIN by default")
def _():
    program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX,
                                  CudaObj.ProgramOptions(std="c++17", arch="sm_90"))
    ptx = program.compile(CudaObj.CodeType.PTX).get_code().get_data()
    assert b".entry vector_add" in ptx, ptx[:200]
    cubin = program.compile()
    assert cubin.get_code_type() == CudaObj.CodeType.CUBIN
    assert cubin.get_code().get_data()[:4] == b"\x7fELF"


@check("no driver: a GLib.Error, not a crash (with a driver: device 0 opens)")
def _():
    try:
        CudaObj.Library.load(CudaObj.Library.DRIVER)
    except GLib.Error:
        try:
            CudaObj.Device.get(0)
        except GLib.Error as e:
            assert e.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND), e.message
            assert "libcuda.so.1" in e.message
        else:
            raise AssertionError("Device.get(0) did not raise without a driver")
    else:
        assert CudaObj.Device.get(0).props.name


@check("the overrides' helpers: launch, numpy copies, protocols, context managers")
def _():
    for cls, names in ((CudaObj.Buffer, ("from_numpy", "from_cuda_array", "copy_from_numpy", "copy_to_numpy",
                                         "host_array", "view", "__cuda_array_interface__", "__enter__",
                                         "__exit__")),
                       (CudaObj.Stream, ("from_foreign", "capture", "__cuda_stream__", "__enter__", "__exit__"))):
        missing = [name for name in names if not hasattr(cls, name)]
        assert not missing, "%s lacks %s" % (cls.__name__, missing)
        assert cls.__module__ == "gi.overrides.CudaObj"


@check("a constructor that cannot set up raises")
def _():
    try:
        CudaObj.Stream()
    except GLib.Error as e:
        assert e.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT) or \
            e.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND), e.message
    else:
        raise AssertionError("CudaObj.Stream() returned an object")


passed = results.count(True)
print("1..%d" % len(results))
print("install: %d passed, %d failed" % (passed, len(results) - passed))
sys.exit(0 if passed == len(results) else 1)
