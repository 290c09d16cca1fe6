# SPDX-License-Identifier: LGPL-2.1-or-later
"""Compile, launch and check from Python through the overrides: argument
conversion by parameter size, numpy copies, array and stream interop."""
import ctypes
import importlib
import struct

import gi
import numpy
import pytest

gi.require_version("CudaObj", "1.0")
from gi.module import get_introspection_module  # noqa: E402
from gi.repository import CudaObj, GLib  # noqa: E402

overrides = importlib.import_module("gi.overrides.CudaObj")

SOURCE = r"""
extern "C" __global__ void vector_add(const float *a, const float *b, float *c, unsigned long long n)
{
    unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;
    if (i < n) c[i] = a[i] + b[i];
}
extern "C" __global__ void mixed(signed char a, short b, int c, long long d, float e, double f,
                                 bool g, unsigned int h, double *out)
{
    out[0] = a; out[1] = b; out[2] = c; out[3] = (double) d; out[4] = e; out[5] = f; out[6] = g;
    out[7] = h;
}
struct Pair { int x; float y; };
extern "C" __global__ void pair(Pair p, double *out) { out[0] = p.x; out[1] = p.y; }
template <typename T> __global__ void scale(T *x, T factor, unsigned long long n)
{
    unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;
    if (i < n) x[i] *= factor;
}
"""


# Without a GPU: what launch() packs, seen through a stand-in for the kernel
# and for launch_packed (the C call that would take the bytes).

class FakeKernel:
    """Answers what launch() asks a CudaObj.Kernel: its parameters'
    (offset, size), naturally aligned as the driver reports them."""

    def __init__(self, *sizes):
        self.infos, offset = [], 0
        for size in sizes:
            offset = (offset + size - 1) // size * size if size in (1, 2, 4, 8) else offset
            self.infos.append((True, offset, size))
            offset += size

    def get_argument_count(self):
        return len(self.infos)

    def get_argument_info(self, index):
        return self.infos[index]

    def get_name(self):
        return "fake"


@pytest.fixture
def packed(monkeypatch):
    """The bytes of every launch, in order; nothing reaches the driver."""
    launches = []

    def launch_packed(stream, config, kernel, data):
        launches.append(data)
        return True

    monkeypatch.setattr(overrides, "_launch_packed", launch_packed)
    return launches


# (parameter sizes, Python values, the bytes they pack to)
CONVERSIONS = [
    ("every int size, signed and unsigned", (1, 2, 4, 8, 1, 2, 4, 8),
     (-5, -300, -70000, -5000000000, 250, 65000, 4000000000, 2**64 - 1),
     struct.pack("<bxhiqBxHIQ", -5, -300, -70000, -5000000000, 250, 65000, 4000000000, 2**64 - 1)),
    ("floats by size: half, float, double", (2, 4, 8), (1.5, 0.25, 1e300), struct.pack("<e2xfd", 1.5, 0.25, 1e300)),
    ("bools: bool in 1 byte, 0/1 integers wider", (1, 4, 8), (True, True, False), struct.pack("<?3xIQ", True, 1, 0)),
    ("numpy scalars keep their type", (8, 4, 2, 1),
     (numpy.float64(3), numpy.uint32(7), numpy.int16(-2), numpy.bool_(True)),
     struct.pack("<dIh?", 3.0, 7, -2, True)),
    ("bytes, bytearray, memoryview and ctypes by value", (8, 4, 4, 8),
     (b"12345678", bytearray(b"abcd"), memoryview(b"wxyz"), (ctypes.c_int32 * 2)(5, 6)),
     b"12345678abcdwxyz" + struct.pack("<ii", 5, 6)),
    ("int subclasses are ints", (4,), (CudaObj.Error.CLOSED,), struct.pack("<i", int(CudaObj.Error.CLOSED))),
    ("no parameters", (), (), b""),
]


@pytest.mark.parametrize("sizes, values, expected", [case[1:] for case in CONVERSIONS],
                         ids=[case[0] for case in CONVERSIONS])
def test_values_packed_by_parameter_size(packed, sizes, values, expected):
    assert CudaObj.launch(None, None, FakeKernel(*sizes), *values)
    assert packed == [expected]


# (parameter sizes, values, the TypeError's message)
REFUSED = [
    ("float in a 1-byte parameter", (1,), (1.0,), "argument 0 is a float, but the kernel's parameter is 1 bytes"),
    ("int in a 3-byte parameter", (3,), (1,), "argument 0 is an int, but the kernel's parameter is 3 bytes"),
    ("bool in a 3-byte parameter", (3,), (True,), "argument 0 is a bool, but the kernel's parameter is 3 bytes"),
    ("float32 for a double", (8, 8), (0, numpy.float32(3)),
     "argument 1 is float32 (4 bytes), but the kernel's parameter is 8 bytes"),
    ("bytes of another size", (8,), (b"1234",), "argument 0 is 4 bytes, but the kernel's parameter is 8 bytes"),
    ("a str", (8,), ("32",), "argument 0: cannot pass str to a kernel"),
    ("an int out of range", (1,), (300,), "cannot pack the arguments of kernel fake"),
]


@pytest.mark.parametrize("sizes, values, message", [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_values_that_do_not_fit_raise_type_error(packed, sizes, values, message):
    with pytest.raises(TypeError) as info:
        CudaObj.launch(None, None, FakeKernel(*sizes), *values)
    assert message in str(info.value)
    assert packed == []


def test_wrong_count_raises_before_anything_is_launched(packed):
    with pytest.raises(GLib.Error) as info:
        CudaObj.launch(None, None, FakeKernel(8, 8, 8, 8), 1, 2)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert info.value.message == "Kernel fake takes 4 arguments, but 2 were given"
    with pytest.raises(GLib.Error) as info:
        CudaObj.launch(None, None, FakeKernel(8), 1, 2)
    assert info.value.message == "Kernel fake takes 1 argument, but 2 were given"
    assert packed == []


def test_same_objects_reuse_their_packing(packed):
    kernel, big, x = FakeKernel(8, 8), 1 << 40, 2.0
    for _ in range(3):
        CudaObj.launch(None, None, kernel, big, x)
    assert packed[0] == struct.pack("<Qd", 1 << 40, 2.0)
    assert packed[1] is packed[0] and packed[2] is packed[0]
    # An equal value of another type packs anew, and differently.
    CudaObj.launch(None, None, kernel, big, 2)
    assert packed[3] == struct.pack("<Qq", 1 << 40, 2)


def test_mutable_values_are_packed_each_time(packed):
    kernel, data = FakeKernel(4), bytearray(b"abcd")
    CudaObj.launch(None, None, kernel, data)
    data[0:1] = b"z"
    CudaObj.launch(None, None, kernel, data)
    assert packed == [b"abcd", b"zbcd"]


@pytest.fixture
def code(device):
    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
    return program.compile(CudaObj.CodeType.CUBIN, ["scale<float>", "scale<double>"])


@pytest.fixture
def stream(device):
    with device.create_stream() as s:
        yield s


def test_vector_add(device, code, stream):
    n = 50000
    kernel = code.get_kernel("vector_add")
    assert kernel.props.argument_count == 4
    a = numpy.arange(n, dtype=numpy.float32)
    b = 2 * a
    with CudaObj.Buffer.from_numpy(a, device, stream) as da, \
            CudaObj.Buffer.from_numpy(b, device, stream) as db, \
            device.allocate(a.nbytes, stream) as dc:
        CudaObj.launch(stream, CudaObj.LaunchConfig.new_for_size(n, 256), kernel, da, db, dc, n)
        out = dc.copy_to_numpy(dtype=numpy.float32, stream=stream)
    numpy.testing.assert_array_equal(out, 3 * a)
    assert dc.get_closed()


def test_every_scalar_converted_by_parameter_size(device, code, stream):
    kernel = code.get_kernel("mixed")
    with device.allocate(8 * 8, stream) as out:
        CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 1), kernel,
                       -5, -300, -70000, -5000000000, 0.25, 1e300, True, 4000000000, out)
        values = out.copy_to_numpy(dtype=numpy.float64, stream=stream)
    assert list(values) == [-5, -300, -70000, -5000000000, 0.25, 1e300, 1, 4000000000]


def test_numpy_scalars_and_struct_bytes(device, code, stream):
    with device.allocate(16, stream) as out:
        # numpy scalars keep their own type; a struct goes as raw bytes.
        pair = numpy.zeros(1, dtype=[("x", numpy.int32), ("y", numpy.float32)])
        pair["x"], pair["y"] = 7, 1.5
        CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 1), code.get_kernel("pair"), pair.tobytes(), out)
        assert list(out.copy_to_numpy(dtype=numpy.float64, stream=stream)) == [7, 1.5]

        kernel = code.get_kernel("scale<double>")
        x = numpy.array([1.0, 2.0], dtype=numpy.float64)
        with CudaObj.Buffer.from_numpy(x, device, stream) as dx:
            CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 32), kernel, dx, numpy.float64(3), numpy.uint64(2))
            assert list(dx.copy_to_numpy(dtype=numpy.float64, stream=stream)) == [3.0, 6.0]
            # A float32 scalar where the kernel takes a double: refused, not truncated.
            with pytest.raises(TypeError, match="float32"):
                CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 32), kernel, dx, numpy.float32(3), 2)


def test_template_float(device, code, stream):
    kernel = code.get_kernel("scale<float>")
    assert kernel.props.mangled_name.startswith("_Z")
    x = numpy.ones(100, dtype=numpy.float32)
    with CudaObj.Buffer.from_numpy(x, device, stream) as dx:
        CudaObj.launch(stream, CudaObj.LaunchConfig.new_for_size(100, 64), kernel, dx, 2.5, 100)
        numpy.testing.assert_array_equal(dx.copy_to_numpy(dtype=numpy.float32, stream=stream), 2.5 * x)


def test_prepared_kernel_args(device, code, stream):
    kernel = code.get_kernel("scale<float>")
    x = numpy.ones(4, dtype=numpy.float32)
    with CudaObj.Buffer.from_numpy(x, device, stream) as dx:
        args = CudaObj.KernelArgs.new_for_kernel(kernel)
        args.set_buffer(0, dx)
        args.set_float(1, 2.0)
        args.set_uint64(2, 4)
        config = CudaObj.LaunchConfig.new(1, 32)
        for _ in range(3):
            CudaObj.launch(stream, config, kernel, args)
        assert list(dx.copy_to_numpy(dtype=numpy.float32, stream=stream)) == [8.0] * 4


def test_bad_launches_raise_and_leave_it_usable(device, code, stream):
    kernel = code.get_kernel("vector_add")
    config = CudaObj.LaunchConfig.new(1, 32)
    with device.allocate(128, stream) as buf:
        buf.fill(0, 4, 0, 32, stream)  # the launch that works reads it
        with pytest.raises(GLib.Error) as info:
            CudaObj.launch(stream, config, kernel, buf, buf)
        assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
        assert "takes 4 arguments, but 2 were given" in info.value.message
        with pytest.raises(TypeError):
            CudaObj.launch(stream, config, kernel, buf, buf, buf, "32")
        with pytest.raises(GLib.Error) as info:
            CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 4096), kernel, buf, buf, buf, 32)
        assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
        CudaObj.launch(stream, config, kernel, buf, buf, buf, 32)
        stream.synchronize()
    # A closed buffer as an argument.
    with pytest.raises(GLib.Error) as info:
        CudaObj.launch(stream, config, kernel, buf, buf, buf, 32)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.CLOSED)


def test_cuda_array_interface_round_trip(device, stream):
    data = numpy.arange(16, dtype=numpy.int32)
    with CudaObj.Buffer.from_numpy(data, device, stream) as buf:
        interface = buf.__cuda_array_interface__
        assert interface["data"] == (buf.get_handle(), False)
        assert interface["shape"] == (64,) and interface["typestr"] == "|u1"
        view = buf.view(numpy.int32)
        assert view.__cuda_array_interface__["shape"] == (16,)
        # Wrap the same memory as if it came from another library.
        wrapped = CudaObj.Buffer.from_cuda_array(view, device)
        assert wrapped.get_handle() == buf.get_handle() and wrapped.get_size() == 64
        numpy.testing.assert_array_equal(wrapped.copy_to_numpy(dtype=numpy.int32, stream=stream), data)
        wrapped.close(None)
        # Closing the wrapper never frees the memory.
        numpy.testing.assert_array_equal(buf.copy_to_numpy(dtype=numpy.int32, stream=stream), data)
        with pytest.raises(GLib.Error):
            buf.view(numpy.int32, (17,))


def test_stream_protocol(device, stream):
    version, handle = stream.__cuda_stream__()  # a method, as cuda.core's
    assert version == 0 and handle == stream.get_handle() != 0
    foreign = CudaObj.Stream.from_foreign(stream, device)
    assert foreign.get_handle() == stream.get_handle()
    assert not foreign.get_owns_handle()
    foreign.synchronize()


def test_pinned_host_array_is_zero_copy(device, stream):
    resource = CudaObj.LegacyPinnedMemoryResource.new(device)
    with resource.allocate(64, stream) as pinned:
        # Written through the driver first: a sanitizer does not see the host's stores.
        pinned.fill(0, 4, 0, 16, stream)
        stream.synchronize()
        host = pinned.host_array(numpy.int32)
        host[:] = numpy.arange(16)
        with device.allocate(64, stream) as dev:
            pinned.copy_to(dev, 0, 0, 64, stream)
            dev.fill(7, 4, 0, 16, stream)
            dev.copy_to(pinned, 0, 0, 32, stream)
            stream.synchronize()
        assert list(host[:8]) == [7] * 8 and list(host[8:]) == list(range(8, 16))
    with device.allocate(64, stream) as dev:
        with pytest.raises(GLib.Error):
            dev.host_array()


def test_compile_defaults_to_cubin_without_name_expressions():
    options = CudaObj.ProgramOptions(arch="sm_90")
    code = CudaObj.Program.new('extern "C" __global__ void k() {}', CudaObj.ProgramCodeType.CXX, options).compile()
    assert code.get_code_type() == CudaObj.CodeType.CUBIN
    assert code.get_code().get_data()[:4] == b"\x7fELF"
    with pytest.raises(GLib.Error):
        CudaObj.ObjectCode(code=GLib.Bytes.new(b"not a cubin"), code_type=CudaObj.CodeType.CUBIN)


def test_closing_a_buffer_anywhere_drops_the_launches_packed_with_it(device, code, stream):
    kernel = code.get_kernel("vector_add")
    config = CudaObj.LaunchConfig.new(1, 32)
    a, b, c, other = (device.allocate(128, stream) for _ in range(4))
    # Every launch reads a and b: defined values before the first.
    a.fill(0x3F800000, 4, 0, 32, stream)  # 1.0f
    b.fill(0x40000000, 4, 0, 32, stream)  # 2.0f
    assert CudaObj.launch(stream, config, kernel, a, b, other, 32)
    for _ in range(2):
        assert CudaObj.launch(stream, config, kernel, a, b, c, 32)
    assert kernel._cudaobj_plan.last is not None  # the packing is kept for the next launch
    other.close(stream)
    assert kernel._cudaobj_plan.last is not None  # a buffer launched before, not in it: kept
    # Closed through the introspected C method, not the override's close().
    get_introspection_module("CudaObj").Buffer.close(c, stream)
    assert kernel._cudaobj_plan.last is None
    with pytest.raises(GLib.Error) as info:
        CudaObj.launch(stream, config, kernel, a, b, c, 32)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.CLOSED)
    assert info.value.message == "Argument 2 is a closed buffer"
    # The same kernel launches with an open buffer in its place.
    with device.allocate(128, stream) as d:
        d.fill(0, 4, 0, 32, stream)
        assert CudaObj.launch(stream, config, kernel, a, b, d, 32)
        assert list(d.copy_to_numpy(dtype=numpy.float32, stream=stream)) == [3.0] * 32
    a.close(stream)
    b.close(stream)
    stream.synchronize()
