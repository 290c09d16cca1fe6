"""Compile, launch and check from Python through the overrides: argument
conversion by parameter size, numpy copies, array and stream interop."""
import gi
import numpy
import pytest

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

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
    resource = CudaObj.PinnedMemoryResource.new(device)
    with resource.allocate(64, stream) as pinned:
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
