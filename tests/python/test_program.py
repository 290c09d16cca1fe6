# SPDX-License-Identifier: LGPL-2.1-or-later
"""JIT compilation from Python: ProgramOptions, Program, Linker, ObjectCode, the compile cache."""
import struct

import gi
import pytest

gi.require_version("CudaObj", "1.0")
from gi.module import get_introspection_module  # noqa: E402
from gi.repository import CudaObj, GLib  # noqa: E402

# The C API as introspected, for objects the overrides would initialize.
C = get_introspection_module("CudaObj")

SAXPY = """
template <typename T>
__global__ void saxpy(T a, const T *x, T *y, unsigned n)
{
  unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    y[i] = a * x[i] + y[i];
}
extern "C" __global__ void scale(float *x) { x[threadIdx.x] *= 2.0f; }
"""

MAIN_UNIT = ('extern __device__ float helper(float);\n'
             'extern "C" __global__ void apply(float *x) { x[threadIdx.x] = helper(x[threadIdx.x]); }\n')
HELPER_UNIT = "__device__ float helper(float v) { return v * 3.0f; }\n"


def program(code, arch="sm_90", code_type=CudaObj.ProgramCodeType.CXX, **options):
    p = CudaObj.Program.new(code, code_type, CudaObj.ProgramOptions(arch=arch, **options))
    p.props.use_cache = False
    return p


def data(code):
    return code.get_code().get_data()


def test_options_are_properties():
    options = CudaObj.ProgramOptions(std="c++17", arch="sm_90", use_fast_math=True,
                                     define_macro=["N=4"], max_register_count=32)
    assert options.props.std == "c++17"
    assert options.props.use_fast_math is True
    assert options.props.prec_sqrt is True
    assert list(options.props.define_macro) == ["N=4"]
    assert options.to_argv() == ["--gpu-architecture=sm_90", "--std=c++17", "--maxrregcount=32",
                                 "--use_fast_math", "--define-macro=N=4"]
    copy = options.copy()
    copy.props.std = "c++20"
    assert options.props.std == "c++17"
    assert CudaObj.ProgramOptions(arch="90").to_argv() == ["--gpu-architecture=sm_90"]
    assert CudaObj.ProgramOptions(arch="compute_90").to_argv() == ["--gpu-architecture=compute_90"]


def test_bad_arch_raises():
    with pytest.raises(GLib.Error) as info:
        CudaObj.ProgramOptions(arch="hopper").to_argv()
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert "hopper" in info.value.message


@pytest.mark.parametrize("cls, prop, value, message", [
    (CudaObj.ProgramOptions, "max_register_count", -5,
     "The option max-register-count is -5: it must be from 0 to 2147483647"),
    (CudaObj.ProgramOptions, "jump_table_density", 500,
     "The option jump-table-density is 500: it must be from 0 to 101"),
    (CudaObj.LinkerOptions, "optimization_level", 9,
     "The option optimization-level is 9: it must be from -1 to 3"),
    (CudaObj.LinkerOptions, "split_compile", -1,
     "The option split-compile is -1: it must be from 0 to 2147483647"),
])
def test_option_out_of_range_raises(cls, prop, value, message):
    # Kept as given (no GLib warning that drops it); the error comes when it is used.
    options = cls(arch="sm_90", **{prop: value})
    assert getattr(options.props, prop) == value
    with pytest.raises(GLib.Error) as info:
        options.to_argv()
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert info.value.message == message
    setattr(options.props, prop, options.find_property(prop.replace("_", "-")).default_value)
    assert options.to_argv()[0] in ("--gpu-architecture=sm_90", "-arch=sm_90")


def test_option_out_of_range_fails_compile():
    p = program(SAXPY, max_register_count=-5)
    with pytest.raises(GLib.Error) as info:
        p.compile(CudaObj.CodeType.PTX, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert "max-register-count is -5" in info.value.message


def test_program_without_code_raises():
    p = CudaObj.Program()
    with pytest.raises(GLib.Error) as info:
        p.compile(CudaObj.CodeType.PTX, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED)
    assert "no code" in info.value.message
    assert p.get_log() == ""
    # The library stays usable.
    assert b".entry scale(" in data(program(SAXPY).compile(CudaObj.CodeType.PTX, None))


@pytest.mark.parametrize("arch", ["sm_90", "sm_75"])
def test_compile_targets(arch):
    p = program(SAXPY, arch)
    ptx = p.compile(CudaObj.CodeType.PTX, None)
    assert ptx.props.code_type == CudaObj.CodeType.PTX
    text = data(ptx).decode().rstrip("\0")
    assert ".visible .entry scale(" in text
    assert f".target {arch}" in text
    cubin = p.compile(CudaObj.CodeType.CUBIN, None)
    assert data(cubin)[:4] == b"\x7fELF"
    ltoir = p.compile(CudaObj.CodeType.LTOIR, None)
    assert data(ltoir)[:4] == b"\xed\x43\x4e\x7f"


def test_name_expressions():
    code = program(SAXPY).compile(CudaObj.CodeType.PTX, ["saxpy<float>", "saxpy<double>"])
    lowered = code.get_lowered_name("saxpy<float>")
    assert lowered.startswith("_Z") and "saxpy" in lowered
    assert code.get_lowered_name("saxpy<int>") is None
    assert code.get_name_expressions() == ["saxpy<float>", "saxpy<double>"]
    assert f".entry {lowered}(" in data(code).decode()


def test_compile_error_carries_log():
    p = program('extern "C" __global__ void k(float *x)\n{\n  x[0] = nope + 1;\n}\n')
    with pytest.raises(GLib.Error) as info:
        p.compile(CudaObj.CodeType.CUBIN, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.COMPILE)
    assert "x[0] = nope + 1;" in info.value.message
    assert 'identifier "nope" is undefined' in p.props.log
    # Still usable.
    assert program(SAXPY).compile(CudaObj.CodeType.PTX, None)


def test_unknown_option_raises():
    p = program(SAXPY, extra_options=["--no-such-option"])
    with pytest.raises(GLib.Error) as info:
        p.compile(CudaObj.CodeType.PTX, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert "--no-such-option" in info.value.message


def test_headers_and_defines():
    p = program('#include "k.h"\nextern "C" __global__ void NAME(int *x) { x[0] = 1; }\n')
    p.add_header("k.h", "#define NAME from_header\n")
    assert ".entry from_header(" in data(p.compile(CudaObj.CodeType.PTX, None)).decode()
    q = program('extern "C" __global__ void NAME(int *x) { x[0] = 1; }\n', define_macro=["NAME=from_define"])
    assert ".entry from_define(" in data(q.compile(CudaObj.CodeType.PTX, None)).decode()


def test_compile_async():
    loop = GLib.MainLoop()
    results = {}

    def done(p, result):
        try:
            results["code"] = p.compile_finish(result)
        except GLib.Error as e:
            results["error"] = e
        loop.quit()

    program(SAXPY).compile_async(CudaObj.CodeType.PTX, ["saxpy<float>"], None, done)
    loop.run()
    assert "error" not in results
    assert results["code"].get_lowered_name("saxpy<float>").startswith("_Z")


def test_cache_hit(tmp_path):
    cache = CudaObj.CompileCache.new(str(tmp_path))
    first = CudaObj.Program.new(SAXPY, CudaObj.ProgramCodeType.CXX, CudaObj.ProgramOptions(arch="sm_90"))
    first.props.cache = cache
    a = first.compile(CudaObj.CodeType.CUBIN, ["saxpy<float>"])
    assert (cache.props.hits, cache.props.misses) == (0, 1)
    second = CudaObj.Program(code=SAXPY, options=CudaObj.ProgramOptions(arch="sm_90"), cache=cache)
    b = second.compile(CudaObj.CodeType.CUBIN, ["saxpy<float>"])
    assert (cache.get_hits(), cache.get_misses()) == (1, 1)
    assert data(a) == data(b)
    assert b.get_lowered_name("saxpy<float>") == a.get_lowered_name("saxpy<float>")
    assert cache.get_n_entries() == 1
    cache.clear()
    assert cache.get_n_entries() == 0


def test_ptx_and_nvvm():
    ptx = program(SAXPY, "compute_90").compile(CudaObj.CodeType.PTX, None)
    cubin = CudaObj.Program.new_from_bytes(ptx.get_code(), CudaObj.ProgramCodeType.PTX,
                                           CudaObj.ProgramOptions(arch="sm_90"))
    cubin.props.use_cache = False
    assert data(cubin.compile(CudaObj.CodeType.CUBIN, None))[:4] == b"\x7fELF"
    with pytest.raises(GLib.Error) as info:
        program("not IR at all", code_type=CudaObj.ProgramCodeType.NVVM).compile(CudaObj.CodeType.PTX, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.COMPILE)
    assert "parse" in info.value.message


def test_link_lto():
    units = [program(src, link_time_optimization=True).compile(CudaObj.CodeType.LTOIR, None)
             for src in (MAIN_UNIT, HELPER_UNIT)]
    linker = CudaObj.Linker.new(CudaObj.LinkerOptions(arch="sm_90", link_time_optimization=True, ptx=True))
    for unit in units:
        linker.add(unit)
    ptx = linker.link()
    assert ptx.props.code_type == CudaObj.CodeType.PTX
    assert ".entry apply(" in data(ptx).decode()


def test_link_failure_carries_log():
    unit = program(MAIN_UNIT, relocatable_device_code=True).compile(CudaObj.CodeType.CUBIN, None)
    linker = CudaObj.Linker.new(CudaObj.LinkerOptions(arch="sm_90"))
    linker.add(unit)
    with pytest.raises(GLib.Error) as info:
        linker.link()
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.LINK)
    assert "Undefined reference" in info.value.message
    assert "Undefined reference" in linker.props.error_log


def test_object_code_files(tmp_path):
    cubin = program(SAXPY).compile(CudaObj.CodeType.CUBIN, None)
    path = str(tmp_path / "saxpy.cubin")
    assert cubin.save(path)
    again = CudaObj.ObjectCode.new_from_file(path)
    assert again.props.code_type == CudaObj.CodeType.CUBIN
    assert again.props.name == "saxpy.cubin"
    assert data(again) == data(cubin)
    with pytest.raises(GLib.Error) as info:
        CudaObj.ObjectCode.new_from_cubin(GLib.Bytes.new(b"not a cubin"))
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    # GInitable: initialization checks the code too (raising at construction
    # once the overrides run GInitable for ObjectCode).
    with pytest.raises(GLib.Error) as info:
        bad = CudaObj.ObjectCode(code=GLib.Bytes.new(b"nope"), code_type=CudaObj.CodeType.FATBIN)
        bad.init(None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)


FP16 = ('#include <cuda_fp16.h>\n'
        'extern "C" __global__ void half_add(__half *x) { x[0] = __hadd(x[0], x[1]); }\n')
CCCL = ('#include <cuda/std/atomic>\n'
        'extern "C" __global__ void count(int *x) { cuda::std::atomic_ref<int> a(*x); a.fetch_add(1); }\n')

# Calls libdevice's sinf, as NVVM IR front ends (Numba, ...) emit it.
NVVM_SINE = """\
target datalayout = "e-p:64:64:64-i1:8:8-i8:8:8-i16:16:16-i32:32:32-i64:64:64-i128:128:128-\
f32:32:32-f64:64:64-v16:16:16-v32:32:32-v64:64:64-v128:128:128-n16:32:64"
target triple = "nvptx64-nvidia-cuda"

declare float @__nv_sinf(float)

define void @sine(float addrspace(1)* %out, float %a) {
entry:
  %s = call float @__nv_sinf(float %a)
  store float %s, float addrspace(1)* %out
  ret void
}

!nvvm.annotations = !{!0}
!0 = !{void (float addrspace(1)*, float)* @sine, !"kernel", i32 1}
!nvvmir.version = !{!1}
!1 = !{i32 2, i32 0, i32 3, i32 1}
"""


@pytest.fixture
def toolkit_headers():
    try:
        return CudaObj.find_include_dirs()
    except GLib.Error as e:
        pytest.skip("no CUDA toolkit headers here: " + e.message)


@pytest.fixture
def libdevice():
    try:
        return CudaObj.find_libdevice()
    except GLib.Error as e:
        pytest.skip("no libdevice here: " + e.message)


def test_toolkit_switches_default_on():
    options = CudaObj.ProgramOptions(arch="sm_90")
    assert options.props.toolkit_include_dirs is True
    assert options.props.use_libdevice is True
    # Not NVRTC options: the compile adds the directories itself.
    options.props.toolkit_include_dirs = False
    assert options.to_argv() == ["--gpu-architecture=sm_90"]


@pytest.mark.parametrize("source, header, entry", [
    (FP16, "cuda_fp16.h", ".entry half_add("),
    (CCCL, "cuda/std/atomic", ".entry count("),
])
def test_toolkit_headers(toolkit_headers, source, header, entry):
    ptx = program(source).compile(CudaObj.CodeType.PTX, None)
    assert entry.encode() in data(ptx)
    with pytest.raises(GLib.Error) as info:
        program(source, toolkit_include_dirs=False).compile(CudaObj.CodeType.PTX, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.COMPILE)
    assert f'could not open source file "{header}"' in info.value.message


def test_toolkit_headers_in_cache_key(toolkit_headers, tmp_path):
    cache = CudaObj.CompileCache.new(str(tmp_path))
    options = CudaObj.ProgramOptions(arch="sm_90")
    p = CudaObj.Program(code=SAXPY, options=options, cache=cache)
    p.compile(CudaObj.CodeType.PTX, None)
    options.props.toolkit_include_dirs = False
    p.compile(CudaObj.CodeType.PTX, None)
    assert (cache.props.hits, cache.props.misses) == (0, 2)
    options.props.toolkit_include_dirs = True
    p.compile(CudaObj.CodeType.PTX, None)
    assert (cache.props.hits, cache.props.misses) == (1, 2)
    cache.clear()


def test_nvvm_libdevice(libdevice):
    p = program(NVVM_SINE, code_type=CudaObj.ProgramCodeType.NVVM)
    ptx = data(p.compile(CudaObj.CodeType.PTX, None))
    assert b".visible .entry sine(" in ptx
    assert b"__nv_sinf" not in ptx
    assert data(p.compile(CudaObj.CodeType.CUBIN, None))[:4] == b"\x7fELF"


def test_nvvm_without_libdevice_fails_to_link():
    p = program(NVVM_SINE, code_type=CudaObj.ProgramCodeType.NVVM, use_libdevice=False)
    assert b".extern .func" in data(p.compile(CudaObj.CodeType.PTX, None))
    with pytest.raises(GLib.Error) as info:
        p.compile(CudaObj.CodeType.CUBIN, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.COMPILE)
    assert "Undefined reference to '__nv_sinf'" in info.value.message


def test_libdevice_in_cache_key(libdevice, tmp_path):
    cache = CudaObj.CompileCache.new(str(tmp_path))
    options = CudaObj.ProgramOptions(arch="sm_90")
    p = CudaObj.Program(code=NVVM_SINE, code_type=CudaObj.ProgramCodeType.NVVM, options=options, cache=cache)
    on = data(p.compile(CudaObj.CodeType.PTX, None))
    options.props.use_libdevice = False
    off = data(p.compile(CudaObj.CodeType.PTX, None))
    assert (cache.props.hits, cache.props.misses) == (0, 2)
    assert on != off
    cache.clear()


def test_object_code_new_from_handle_zero_raises():
    # A device never initialized: the handle is checked first.
    for handle_type in (CudaObj.ObjectCodeHandleType.LIBRARY, CudaObj.ObjectCodeHandleType.MODULE):
        with pytest.raises(GLib.Error) as info:
            CudaObj.ObjectCode.new_from_handle(C.Device(), 0, handle_type, None)
        assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
        assert "handle 0x0" in info.value.message


def test_object_code_new_from_handle_without_driver_raises(no_driver):
    with pytest.raises(GLib.Error) as info:
        CudaObj.ObjectCode.new_from_handle(C.Device(), 0x1234, CudaObj.ObjectCodeHandleType.LIBRARY, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND)


def test_object_code_handle_before_loading():
    code = program(SAXPY).compile(CudaObj.CodeType.CUBIN, None)
    assert code.props.handle == 0 and code.get_handle() == 0
    assert code.props.owns_handle
    assert code.props.handle_type == CudaObj.ObjectCodeHandleType.LIBRARY


def test_object_code_new_from_handle(device):
    code = program(SAXPY, arch="sm_" + device.props.arch).compile(CudaObj.CodeType.CUBIN, None)
    code.get_kernel("scale")  # loads the code
    wrapper = CudaObj.ObjectCode.new_from_handle(device, code.props.handle,
                                                 CudaObj.ObjectCodeHandleType.LIBRARY, code)
    assert wrapper.props.handle == code.props.handle != 0
    assert not wrapper.props.owns_handle and wrapper.props.code is None
    kernel = wrapper.get_kernel("scale")
    assert kernel.props.object_code is wrapper and kernel.props.argument_count == 1
    stream = device.create_stream()
    buffer = device.allocate(32 * 4, stream)
    buffer.copy_from_bytes(GLib.Bytes.new(struct.pack("<32f", *([1.5] * 32))), 0, stream)
    assert CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 32), kernel, buffer)
    assert struct.unpack("<32f", buffer.copy_to_bytes(0, -1, stream).get_data()) == (3.0,) * 32
    with pytest.raises(GLib.Error) as info:
        wrapper.get_kernel("missing")
    assert info.value.matches(CudaObj.driver_error_quark(), CudaObj.DriverError.NOT_FOUND)
    del kernel, wrapper
    assert code.get_kernel("scale").props.argument_count == 1
