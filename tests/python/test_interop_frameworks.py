# SPDX-License-Identifier: LGPL-2.1-or-later
"""Zero-copy interop with PyTorch, CuPy, NumPy and cuda.core, both ways:
contiguous and strided tensors, every data type each framework has, the
producer deleted before the consumer, the consumer on another stream ordered
after a slow kernel, kernels launched on views of torch tensors, NumPy over
page-locked memory, cuda.core streams and buffers. Zero copy is asserted by
pointer equality. Skips without torch or cupy, or without a GPU."""
import ctypes
import gc

import gi
import numpy
import pytest

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

SOURCE = r"""
extern "C" __global__ void add_hundred(int *first, long long stride, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) first[i * stride] += 100;
}
extern "C" __global__ void spin(long long cycles)
{
    long long start = clock64();
    while (clock64() - start < cycles) {}
}
extern "C" __global__ void fill(int *out, int value, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = value;
}
"""

# Long enough (about a quarter of a second) that a missing wait shows.
SLOW = 2_000_000_000  # clock cycles: about a second on an H200
N = 1 << 20

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "bfloat16", "float32", "float64", "complex64", "complex128"]


@pytest.fixture
def code(device):
    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    return CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options).compile()


@pytest.fixture
def stream(device):
    with device.create_stream() as s:
        yield s


def spin_then_fill(code, stream, buffer, value, n=N):
    CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 1), code.get_kernel("spin"), SLOW)
    CudaObj.launch(stream, CudaObj.LaunchConfig.new((n + 255) // 256, 256), code.get_kernel("fill"),
                   buffer, value, n)


# PyTorch.

@pytest.fixture
def torch(device):
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("PyTorch sees no CUDA device")
    torch.cuda.set_device(device.props.ordinal)
    return torch


def torch_sample(torch, name, shape=(6, 8)):
    dtype = getattr(torch, name, None)
    if dtype is None:
        pytest.skip("this PyTorch has no %s" % name)
    n = shape[0] * shape[1]
    base = torch.arange(n, device="cuda", dtype=torch.int64)
    if name == "bool":
        return (base % 3 == 0).reshape(shape)
    if name.startswith("complex"):
        return (base.to(torch.float64) + 1j * base.to(torch.float64)).to(dtype).reshape(shape)
    return (base % 100).to(dtype).reshape(shape)


def raw(torch, t):
    """A tensor's bytes in row-major order, comparable for every dtype."""
    t = t.contiguous()
    return t.view(torch.uint8).cpu() if t.dtype != torch.bool else t.to(torch.uint8).cpu()


def exportable(torch, t):
    try:
        t.__dlpack__()
    except (RuntimeError, BufferError, TypeError) as e:
        pytest.skip("PyTorch cannot export %s through DLPack itself: %s" % (t.dtype, e))


@pytest.mark.parametrize("layout", ["contiguous", "every-other-column", "transposed"])
@pytest.mark.parametrize("name", DTYPES)
def test_torch_to_cudaobj(torch, device, name, layout):
    base = torch_sample(torch, name)
    t = {"contiguous": base, "every-other-column": base[:, ::2], "transposed": base.T}[layout]
    exportable(torch, t)
    view = CudaObj.from_dlpack(t)
    assert view.get_data() == t.data_ptr()  # zero copy
    assert view.shape == tuple(t.shape) and view.strides == tuple(t.stride())
    assert view.dtype == name
    assert view.get_device().props.ordinal == t.device.index
    got = numpy.frombuffer(view.copy_to_bytes(None).get_data(), dtype=numpy.uint8)
    numpy.testing.assert_array_equal(got, raw(torch, t).numpy().ravel())


@pytest.mark.parametrize("layout", ["contiguous", "every-other-column", "transposed"])
@pytest.mark.parametrize("name", DTYPES)
def test_cudaobj_to_torch(torch, device, name, layout):
    source = torch_sample(torch, name)
    exportable(torch, source)
    data_type = CudaObj.DataType.from_name(name)[-1]
    item = CudaObj.DataType.get_item_size(data_type)
    buffer = device.allocate(source.numel() * item, None)
    buffer.copy_from_bytes(GLib.Bytes.new(raw(torch, source).numpy().tobytes()), 0, None)
    rows, cols = source.shape
    shape, strides, expected = {
        "contiguous": ((rows, cols), (cols, 1), source),
        "every-other-column": ((rows, cols // 2), (cols, 2), source[:, ::2]),
        "transposed": ((cols, rows), (1, cols), source.T),
    }[layout]
    view = buffer.view(data_type, shape, strides)
    t = torch.from_dlpack(view)
    assert t.data_ptr() == buffer.get_handle()  # zero copy
    assert tuple(t.shape) == shape and tuple(t.stride()) == strides
    assert t.dtype == getattr(torch, name)
    assert torch.equal(raw(torch, t), raw(torch, expected))


def test_torch_producer_deleted_first(torch, device):
    t = torch.arange(N, device="cuda", dtype=torch.int32)
    address = t.data_ptr()
    view = CudaObj.from_dlpack(t)
    del t
    gc.collect()
    other = torch.empty(N, device="cuda", dtype=torch.int32)  # must not get the same memory
    assert other.data_ptr() != address
    numpy.testing.assert_array_equal(view.copy_to_numpy(), numpy.arange(N, dtype=numpy.int32))


def test_cudaobj_producer_deleted_first(torch, device):
    buffer = CudaObj.Buffer.from_numpy(numpy.arange(N, dtype=numpy.int32), device)
    address = buffer.get_handle()
    done = []
    buffer.weak_ref(lambda: done.append(True))
    t = torch.from_dlpack(buffer.view("int32"))
    del buffer
    gc.collect()
    assert not done  # the exported tensor holds the view, the view the buffer
    other = device.allocate(4 * N, None)
    assert other.get_handle() != address
    assert torch.equal(t.cpu(), torch.arange(N, dtype=torch.int32))
    del t
    gc.collect()
    assert done


def test_torch_consumer_on_another_stream_waits(torch, device, code, stream):
    with device.allocate(4 * N, stream) as buffer:
        buffer.fill(0, 4, 0, N, stream)
        stream.synchronize()
        buffer.stream = stream
        # PyTorch's first use of a stream costs more than the slow kernel:
        # make the consumer ready before the producer's work starts.
        consumer = torch.cuda.Stream()
        consumer.synchronize()
        spin_then_fill(code, stream, buffer, 7)
        with torch.cuda.stream(consumer):
            t = torch.from_dlpack(buffer.view("int32"))
            assert not stream.query()  # handed over without a host synchronize
            total = int((t == 7).sum().item())
        assert total == N
        assert t.data_ptr() == buffer.get_handle()
        stream.synchronize()


def test_cudaobj_consumer_on_another_stream_waits(torch, device, stream):
    producer = torch.cuda.Stream()
    with torch.cuda.stream(producer):
        t = torch.zeros(N, device="cuda", dtype=torch.int32)
        torch.cuda._sleep(SLOW)
        t.fill_(7)
        view = CudaObj.from_dlpack(t, stream)  # torch orders our stream after its own
    assert not producer.query()  # no host synchronize on the way
    out = view.copy_to_numpy(stream)
    assert (out == 7).all()
    assert view.get_data() == t.data_ptr()


def test_kernel_on_a_view_of_a_torch_tensor(torch, device, code, stream):
    t = torch.arange(12, device="cuda", dtype=torch.int32).reshape(3, 4)
    torch.cuda.synchronize()
    view = CudaObj.from_dlpack(t[:, ::2], stream)
    assert view.get_data() == t.data_ptr()
    CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 32), code.get_kernel("add_hundred"), view, 2, 6)
    stream.synchronize()
    expected = torch.arange(12, dtype=torch.int32).reshape(3, 4)
    expected[:, ::2] += 100
    assert torch.equal(t.cpu(), expected)


def test_torch_external_stream_and_pinned_tensors(torch, device, stream):
    external = torch.cuda.ExternalStream(stream.get_handle())
    assert external.cuda_stream == stream.get_handle()
    theirs = torch.cuda.Stream()  # the default stream's handle is 0, which no wrapper takes
    foreign = CudaObj.Stream.from_foreign(theirs, device)
    assert foreign.get_handle() == theirs.cuda_stream != 0
    pinned = torch.arange(16, dtype=torch.float32).pin_memory()
    view = CudaObj.from_dlpack(pinned)  # host memory CUDA knows: taken in place
    assert view.get_data() == pinned.data_ptr()
    numpy.testing.assert_array_equal(view.copy_to_numpy(), numpy.arange(16, dtype=numpy.float32))


# CuPy.

@pytest.fixture
def cupy(device):
    cupy = pytest.importorskip("cupy")
    cupy.cuda.Device(device.props.ordinal).use()
    return cupy


CUPY_DTYPES = DTYPES  # bfloat16 where this CuPy (with ml_dtypes) has it


def cupy_sample(cupy, name, shape=(6, 8)):
    try:
        cupy.zeros(1, dtype=name)
    except TypeError as e:
        pytest.skip("this CuPy has no %s: %s" % (name, e))
    base = cupy.arange(shape[0] * shape[1]).reshape(shape)
    if name == "bool":
        return base % 3 == 0
    if name.startswith("complex"):
        return (base + 1j * base).astype(name)
    return (base % 100).astype(name)


def cupy_wraps_negative_strides(cupy):
    """Whether this CuPy's DLPack export turns a negative stride into a huge
    positive one (CuPy 14 divides the byte stride as an unsigned number)."""
    capsule = cupy.arange(4, dtype=cupy.int32)[::-1].__dlpack__()
    get = ctypes.pythonapi.PyCapsule_GetPointer
    get.restype, get.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    for name, offset in ((b"dltensor_versioned", 32), (b"dltensor", 0)):
        try:
            tensor = get(capsule, name)
        except ValueError:
            continue
        # DLTensor: data, device (8 bytes), ndim, dtype, shape, strides
        strides = ctypes.c_void_p.from_address(tensor + offset + 32).value
        return ctypes.c_int64.from_address(strides).value > 0
    return False


def cupy_bytes(cupy, a):
    """An array's elements in row-major order as bytes, for any dtype."""
    return cupy.asnumpy(cupy.ascontiguousarray(a)).tobytes()


@pytest.mark.parametrize("layout", ["contiguous", "every-other-column", "transposed", "reversed"])
@pytest.mark.parametrize("name", CUPY_DTYPES)
def test_cupy_to_cudaobj(cupy, device, name, layout):
    base = cupy_sample(cupy, name)
    a = {"contiguous": base, "every-other-column": base[:, ::2], "transposed": base.T,
         "reversed": base[::-1]}[layout]
    if layout == "reversed" and a.itemsize > 1 and cupy_wraps_negative_strides(cupy):
        # The tensor claims strides of about 2**62 elements: refused, clearly.
        with pytest.raises(GLib.Error) as info:
            CudaObj.from_dlpack(a)
        assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
        pytest.skip("CuPy %s exports negative strides divided as unsigned numbers (-16 bytes "
                    "becomes 2**62 - 4 elements), so no consumer can read them" % cupy.__version__)
    view = CudaObj.from_dlpack(a)
    assert view.get_data() == a.data.ptr  # zero copy
    assert view.shape == a.shape
    assert view.strides == tuple(s // a.itemsize for s in a.strides)
    assert view.dtype == name
    assert view.copy_to_bytes(None).get_data() == cupy_bytes(cupy, a)


@pytest.mark.parametrize("layout", ["contiguous", "every-other-column", "transposed", "reversed"])
@pytest.mark.parametrize("name", CUPY_DTYPES)
def test_cudaobj_to_cupy(cupy, device, name, layout):
    source = cupy.asnumpy(cupy_sample(cupy, name))
    buffer = CudaObj.Buffer.from_numpy(source, device)
    rows, cols = source.shape
    shape, strides, offset, expected = {
        "contiguous": ((rows, cols), (cols, 1), 0, source),
        "every-other-column": ((rows, cols // 2), (cols, 2), 0, source[:, ::2]),
        "transposed": ((cols, rows), (1, cols), 0, source.T),
        "reversed": ((rows, cols), (-cols, 1), (rows - 1) * cols * source.itemsize, source[::-1]),
    }[layout]
    view = buffer.view(name, shape, strides, offset)
    a = cupy.from_dlpack(view)
    assert a.data.ptr == view.get_data()  # zero copy
    assert a.shape == shape and a.strides == tuple(s * source.itemsize for s in strides)
    assert cupy_bytes(cupy, a) == numpy.ascontiguousarray(expected).tobytes()
    if layout != "reversed" and name != "bfloat16":  # CAI has no bfloat16 typestr
        b = cupy.asarray(view)  # through __cuda_array_interface__ v3
        assert b.data.ptr == view.get_data()
        assert cupy_bytes(cupy, b) == numpy.ascontiguousarray(expected).tobytes()


def test_cupy_producer_deleted_first(cupy, device):
    a = cupy.arange(N, dtype=cupy.int32)
    address = a.data.ptr
    view = CudaObj.from_dlpack(a)
    del a
    gc.collect()
    other = cupy.empty(N, dtype=cupy.int32)
    assert other.data.ptr != address
    numpy.testing.assert_array_equal(view.copy_to_numpy(), numpy.arange(N, dtype=numpy.int32))


def test_cudaobj_producer_deleted_first_for_cupy(cupy, device):
    buffer = CudaObj.Buffer.from_numpy(numpy.arange(N, dtype=numpy.int32), device)
    a = cupy.from_dlpack(buffer.view("int32"))
    del buffer
    gc.collect()
    numpy.testing.assert_array_equal(cupy.asnumpy(a), numpy.arange(N, dtype=numpy.int32))


def test_cupy_consumer_on_another_stream_waits(cupy, device, code, stream):
    with device.allocate(4 * N, stream) as buffer:
        buffer.fill(0, 4, 0, N, stream)
        stream.synchronize()
        buffer.stream = stream
        spin_then_fill(code, stream, buffer, 7)
        with cupy.cuda.Stream(non_blocking=True):
            a = cupy.from_dlpack(buffer.view("int32"))  # CuPy passes its current stream
            assert not stream.query()  # handed over without a host synchronize
            total = int((a == 7).sum())
        assert total == N and a.data.ptr == buffer.get_handle()
        stream.synchronize()


def test_cudaobj_consumer_after_cupy_stream(cupy, device, stream):
    with cupy.cuda.Stream(non_blocking=True) as producer:
        a = cupy.zeros(N, dtype=cupy.int32)
        spin = cupy.RawKernel(SOURCE, "spin")
        spin((1,), (1,), (cupy.int64(SLOW),))
        a.fill(7)
        view = CudaObj.from_dlpack(a, stream)
    # Whether the producer's stream is still busy here is CuPy's business:
    # CuPy 14.2 sometimes waits for it inside __dlpack__ (seen on an H200).
    # That our side never waits on the host is checked with a producer of
    # our own in test_view.py (test_device_dlpack_orders_the_consumer_stream).
    assert (view.copy_to_numpy(stream) == 7).all()


def test_cupy_streams_both_ways(cupy, device, stream):
    external = cupy.cuda.Stream.from_external(stream)  # the reported failure
    assert external.ptr == stream.get_handle()
    with cupy.cuda.Stream(non_blocking=True) as theirs:
        foreign = CudaObj.Stream.from_foreign(theirs, device)
        assert foreign.get_handle() == theirs.ptr


# NumPy through page-locked memory.

def test_numpy_over_pinned_memory(device, stream):
    resource = CudaObj.LegacyPinnedMemoryResource.new(device)
    with resource.allocate(4 * 64, stream) as buffer:
        buffer.host_array(numpy.float32)[:] = numpy.arange(64)
        view = buffer.view("float32", (8, 8))
        array = numpy.from_dlpack(view)
        assert array.ctypes.data == buffer.get_handle()  # zero copy
        numpy.testing.assert_array_equal(array, numpy.arange(64, dtype=numpy.float32).reshape(8, 8))
        back = CudaObj.from_dlpack(buffer.host_array(numpy.float32).reshape(8, 8).T)
        assert back.get_data() == buffer.get_handle() and back.strides == (1, 8)
        del array, back
    with pytest.raises(GLib.Error) as info:
        CudaObj.from_dlpack(numpy.arange(4))
    assert "Buffer.from_numpy" in info.value.message


# cuda.core.

@pytest.fixture
def core(device):
    try:
        import cuda.core as core
        core.Device
    except (ImportError, AttributeError):
        core = pytest.importorskip("cuda.core.experimental")
    core_device = core.Device(device.props.ordinal)
    core_device.set_current()
    return core, core_device


def test_cuda_core_streams_both_ways(core, device, stream):
    core, core_device = core
    theirs = core_device.create_stream()
    ours = CudaObj.Stream.from_foreign(theirs, device)
    assert ours.get_handle() == int(theirs.handle)
    adopted = core_device.create_stream(stream)  # cuda.core reads our __cuda_stream__()
    assert int(adopted.handle) == stream.get_handle()


def test_cuda_core_buffers_both_ways(core, device, stream):
    core, core_device = core
    theirs = core_device.allocate(256, stream=core_device.create_stream())
    view = CudaObj.from_dlpack(theirs)  # cuda.core's Buffer speaks DLPack
    assert view.get_data() == int(theirs.handle) and view.get_n_elements() == 256
    with CudaObj.Buffer.from_numpy(numpy.arange(64, dtype=numpy.int32), device) as ours:
        wrapped = core.Buffer.from_handle(ours.get_handle(), ours.get_size())
        assert int(wrapped.handle) == ours.get_handle() and wrapped.size == 256
        try:
            from cuda.core.utils import StridedMemoryView
        except ImportError:
            from cuda.core.experimental.utils import StridedMemoryView
        strided = StridedMemoryView(ours.view("int32", (8, 4), (1, 8)), stream_ptr=-1)
        assert strided.ptr == ours.get_handle() and tuple(strided.shape) == (8, 4)
