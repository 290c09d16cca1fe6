# SPDX-License-Identifier: LGPL-2.1-or-later
"""StridedView and DLPack from Python: layouts and their checks, DLPack
capsules (versioned and legacy, consumed and not, deleters run once), NumPy
through host memory, the stream protocol, views as kernel arguments. Runs
without a GPU where it can; the rest skips."""
import ctypes
import gc
import os

import gi
import numpy
import pytest

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

_is_valid = ctypes.pythonapi.PyCapsule_IsValid
_is_valid.restype, _is_valid.argtypes = ctypes.c_int, (ctypes.py_object, ctypes.c_char_p)


def int32_bytes(n):
    return GLib.Bytes.new(numpy.arange(n, dtype=numpy.int32).tobytes())


def host_view(shape=(3, 4), strides=None, offset=0, n=12):
    return CudaObj.StridedView.new_for_bytes(int32_bytes(n), CudaObj.DataType.INT32, list(shape),
                                             None if strides is None else list(strides), offset)


def finalized(obj):
    """A list that gets an element when ``obj``'s GObject is finalized."""
    done = []
    obj.weak_ref(lambda: done.append(True))
    return done


def assert_error(info, code, fragment=None):
    assert info.value.matches(CudaObj.error_quark(), code), info.value
    if fragment is not None:
        assert fragment in info.value.message


# Without a GPU.

def test_data_type_names_and_sizes():
    assert CudaObj.DataType.get_item_size(CudaObj.DataType.COMPLEX128) == 16
    assert CudaObj.DataType.get_name(CudaObj.DataType.BFLOAT16) == "bfloat16"
    assert CudaObj.DataType.from_name("float16")[-1] == CudaObj.DataType.FLOAT16
    with pytest.raises(GLib.Error) as info:
        CudaObj.DataType.from_name("float128")
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT, "float128")


def test_shape_and_strides_in_elements():
    view = host_view((4, 3), (1, 4))
    assert view.shape == (4, 3) and view.strides == (1, 4) and view.dtype == "int32"
    assert len(view) == 4 and view.get_n_elements() == 12
    assert not view.get_is_contiguous() and view.get_read_only()
    assert view.__dlpack_device__() == (1, 0)
    numpy.testing.assert_array_equal(view.copy_to_numpy(), numpy.arange(12, dtype=numpy.int32).reshape(3, 4).T)


@pytest.mark.parametrize("shape, strides, offset, fragment", [
    ((3, 5), None, 0, "reach outside"),
    ((12,), (-1,), 40, "reach outside"),
    ((1,) * 9, None, 0, "at most 8"),
    ((3, 4), (1,), 0, "1 strides for a shape of 2"),
    ((3, -4), None, 0, "negative extent"),
    ((2 ** 62, 2 ** 62, 4), None, 0, "overflow"),
    ((3,), (2 ** 62,), 0, "overflow"),
])
def test_bad_layouts_raise(shape, strides, offset, fragment):
    with pytest.raises(GLib.Error) as info:
        host_view(shape, strides, offset)
    assert_error(info, CudaObj.Error.INVALID_ARGUMENT, fragment)


def test_uninitialized_view_raises():
    view = CudaObj.StridedView()
    with pytest.raises(GLib.Error) as info:
        view.copy_to_bytes(None)
    assert_error(info, CudaObj.Error.NOT_INITIALIZED)
    with pytest.raises(GLib.Error):
        view.__dlpack__()


def test_capsule_names_follow_max_version():
    view = host_view()
    assert _is_valid(view.__dlpack__(), b"dltensor")
    assert _is_valid(view.__dlpack__(max_version=(0, 8)), b"dltensor")
    assert _is_valid(view.__dlpack__(max_version=(1, 0)), b"dltensor_versioned")


def test_unconsumed_capsule_releases_the_view():
    view = host_view()
    done = finalized(view)
    capsule = view.__dlpack__(max_version=(1, 0))
    del view
    gc.collect()
    assert not done  # the capsule's tensor holds the view
    del capsule
    gc.collect()
    assert done


def test_numpy_reads_a_host_view_in_place():
    view = host_view((4, 3), (1, 4))
    done = finalized(view)
    array = numpy.from_dlpack(view)
    assert array.ctypes.data == view.get_data()  # zero copy
    assert array.strides == (4, 16)  # bytes
    numpy.testing.assert_array_equal(array, numpy.arange(12).reshape(3, 4).T)
    del view
    gc.collect()
    assert not done  # numpy's array holds the tensor
    del array
    gc.collect()
    assert done  # the deleter ran (once: a second run would crash the unref)


def test_from_dlpack_of_own_views_and_round_trip():
    view = host_view((3, 2), (4, 2), 4)
    assert CudaObj.from_dlpack(view) is view

    class Producer:
        """A foreign producer: hands out our capsule as if it were someone else's."""

        def __init__(self, inner):
            self.inner = inner

        def __dlpack__(self, stream=None, max_version=None, dl_device=None, copy=None):
            return self.inner.__dlpack__(stream=stream, max_version=max_version)

        def __dlpack_device__(self):
            return self.inner.__dlpack_device__()

    producer = Producer(view)
    done = finalized(view)
    # A host tensor that CUDA does not know is refused (NumPy's case); the
    # capsule's tensor is deleted by then, exactly once.
    with pytest.raises(GLib.Error) as info:
        CudaObj.from_dlpack(producer)
    assert_error(info, CudaObj.Error.NOT_SUPPORTED, "Buffer.from_numpy")
    del producer, view, info  # the traceback's frames hold the producer too
    gc.collect()
    assert done


def test_from_dlpack_refuses_plain_numpy():
    array = numpy.arange(8, dtype=numpy.float32)
    with pytest.raises(GLib.Error) as info:
        CudaObj.from_dlpack(array)
    assert_error(info, CudaObj.Error.NOT_SUPPORTED, "CudaObj.Buffer.from_numpy")
    with pytest.raises(TypeError):
        CudaObj.from_dlpack(object())


def test_dlpack_refuses_copies_and_other_devices():
    view = host_view()
    with pytest.raises(BufferError):
        view.__dlpack__(copy=True)
    with pytest.raises(BufferError):
        view.__dlpack__(dl_device=(2, 0))
    assert _is_valid(view.__dlpack__(dl_device=(1, 0)), b"dltensor")


def test_launch_argument_conversion_takes_views():
    view = host_view()
    # What the launch packs for a view: the address of its first element.
    assert view.get_data() != 0
    blank = CudaObj.StridedView()
    assert blank.get_data() == 0


# With a GPU.

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


@pytest.fixture
def code(device):
    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    return CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options).compile()


@pytest.fixture
def stream(device):
    with device.create_stream() as s:
        yield s


def test_buffer_view_is_strided_and_checked(device, stream):
    data = numpy.arange(12, dtype=numpy.int32)
    with CudaObj.Buffer.from_numpy(data, device, stream) as buffer:
        transposed = buffer.view("int32", (4, 3), (1, 4))
        assert transposed.get_data() == buffer.get_handle()
        numpy.testing.assert_array_equal(transposed.copy_to_numpy(stream), data.reshape(3, 4).T)
        columns = buffer.view(numpy.int32, (3, 2), (4, 2), offset=4)
        columns.copy_from_numpy(-numpy.arange(6, dtype=numpy.int32).reshape(3, 2), stream)
        expected = data.copy().reshape(3, 4)
        expected[:, 1::2] = -numpy.arange(6).reshape(3, 2)
        numpy.testing.assert_array_equal(buffer.copy_to_numpy(dtype=numpy.int32, stream=stream), expected.ravel())
        with pytest.raises(GLib.Error) as info:
            buffer.view("int32", (3, 5))
        assert_error(info, CudaObj.Error.INVALID_ARGUMENT, "reach outside")


def test_cuda_array_interface_v3_has_strides_and_stream(device, stream):
    with device.allocate(48, stream) as buffer:
        view = buffer.view("float32", (4, 3), (1, 4))
        interface = view.__cuda_array_interface__
        assert interface["version"] == 3 and interface["typestr"] == "<f4"
        assert interface["shape"] == (4, 3) and interface["strides"] == (4, 16)
        assert interface["data"] == (buffer.get_handle(), False)
        assert interface["stream"] == 1  # the legacy default stream
        buffer.stream = stream
        assert buffer.view("float32").__cuda_array_interface__["stream"] == stream.get_handle()
        assert buffer.view("float32").__cuda_array_interface__["strides"] is None


class Foreign:
    """A foreign DLPack producer around one of ours, so that from_dlpack takes
    the general path (capsule, stream hand-over) instead of the shortcut."""

    def __init__(self, inner):
        self.inner = inner
        self.streams = []

    def __dlpack__(self, stream=None, max_version=None, dl_device=None, copy=None):
        self.streams.append(stream)
        return self.inner.__dlpack__(stream=stream, max_version=max_version, dl_device=dl_device, copy=copy)

    def __dlpack_device__(self):
        return self.inner.__dlpack_device__()


def test_device_dlpack_orders_the_consumer_stream(device, code, stream):
    n = 1 << 20
    with device.allocate(4 * n, stream) as buffer, device.create_stream() as consumer:
        buffer.fill(0, 4, 0, n, stream)
        stream.synchronize()
        buffer.stream = stream
        # A slow kernel, then the producer's write, both on the producer's stream.
        CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 1), code.get_kernel("spin"), 500_000_000)
        CudaObj.launch(stream, CudaObj.LaunchConfig.new(n // 256, 256), code.get_kernel("fill"), buffer, 7, n)
        producer = Foreign(buffer.view("int32"))
        view = CudaObj.from_dlpack(producer, consumer)
        assert producer.streams == [consumer.get_handle()]
        assert view.get_data() == buffer.get_handle()  # zero copy
        # No host synchronize on the way: the slow kernel still runs (unless a
        # sanitizer serializes kernels, see tests/gpu-sanitize.sh).
        if not os.environ.get("CUDA_OBJ_TEST_SANITIZER"):
            assert not stream.query()
        # Ordered on the consumer's stream by an event, not a host wait: sees the 7s.
        out = view.copy_to_numpy(consumer)
        assert (out == 7).all()
        stream.synchronize()


def test_launch_on_a_view(device, code, stream):
    data = numpy.arange(12, dtype=numpy.int32)
    with CudaObj.Buffer.from_numpy(data, device, stream) as buffer:
        columns = buffer.view("int32", (6,), (2,))
        CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 32), code.get_kernel("add_hundred"), columns, 2, 6)
        expected = data.copy()
        expected[::2] += 100
        numpy.testing.assert_array_equal(buffer.copy_to_numpy(dtype=numpy.int32, stream=stream), expected)
        args = CudaObj.KernelArgs.new_for_kernel(code.get_kernel("add_hundred"))
        args.set_view(0, columns)
        args.set_int64(1, 2)
        args.set_int32(2, 6)
        CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 32), code.get_kernel("add_hundred"), args)
        expected[::2] += 100
        numpy.testing.assert_array_equal(buffer.copy_to_numpy(dtype=numpy.int32, stream=stream), expected)
    with pytest.raises(GLib.Error) as info:
        CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 32), code.get_kernel("add_hundred"), columns, 2, 6)
    assert_error(info, CudaObj.Error.CLOSED)


@pytest.mark.parametrize("resource_type, device_type", [
    ("LegacyPinnedMemoryResource", 3), ("ManagedMemoryResource", 13)])
def test_numpy_reads_host_accessible_buffers_in_place(device, stream, resource_type, device_type):
    resource = getattr(CudaObj, resource_type).new(device)
    with resource.allocate(48, stream) as buffer:
        buffer.host_array(numpy.int32)[:] = numpy.arange(12)
        view = buffer.view("int32", (3, 4))
        assert view.__dlpack_device__()[0] == device_type
        array = numpy.from_dlpack(view)
        assert array.ctypes.data == buffer.get_handle()  # zero copy
        numpy.testing.assert_array_equal(array, numpy.arange(12).reshape(3, 4))
        # And back: NumPy memory that CUDA knows comes in as a view, in place.
        again = CudaObj.from_dlpack(buffer.host_array(numpy.int32).reshape(3, 4)[:, ::2])
        assert again.get_data() == buffer.get_handle() and again.strides == (4, 2)
        del array, again
        stream.synchronize()


def test_numpy_consumer_waits_for_the_producer_stream(device, code, stream):
    resource = CudaObj.LegacyPinnedMemoryResource.new(device)
    with resource.allocate(4 * 1024, stream) as buffer:
        buffer.host_array(numpy.int32)[:] = 0
        buffer.stream = stream
        CudaObj.launch(stream, CudaObj.LaunchConfig.new(1, 1), code.get_kernel("spin"), 500_000_000)
        CudaObj.launch(stream, CudaObj.LaunchConfig.new(4, 256), code.get_kernel("fill"), buffer, 7, 1024)
        # A host consumer passes no stream: the export waits for the producer's.
        array = numpy.from_dlpack(buffer.view("int32"))
        assert array.ctypes.data == buffer.get_handle()
        assert (array == 7).all()
        del array


def test_stream_from_foreign_protocols(device, stream):
    class WithMethod:
        def __cuda_stream__(self):
            return (0, stream.get_handle())

    class WithTuple:
        __cuda_stream__ = (0, stream.get_handle())

    class TorchLike:
        cuda_stream = stream.get_handle()

    for obj in (stream, WithMethod(), WithTuple(), TorchLike(), stream.get_handle()):
        foreign = CudaObj.Stream.from_foreign(obj, device)
        assert foreign.get_handle() == stream.get_handle() and not foreign.get_owns_handle()
    assert stream.__cuda_stream__() == (0, stream.get_handle())
    with pytest.raises(TypeError):
        CudaObj.Stream.from_foreign(object(), device)
