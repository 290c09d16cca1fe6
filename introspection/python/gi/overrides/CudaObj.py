# SPDX-License-Identifier: LGPL-2.1-or-later
"""PyGObject overrides for CudaObj: what a Python user expects beyond the
introspected C API (docs/python.md is the guide).

- Constructors of the classes that implement ``Gio.Initable`` raise
  ``GLib.Error`` instead of returning an object that failed to set up.
- ``CudaObj.launch(stream, config, kernel, *values)`` takes Buffers, ints,
  floats, bools, numpy scalars and raw bytes and converts each by the size
  of the kernel's parameter.
- At import, the running Python's site directories are added to the
  library search (``CudaObj.Library.add_site_directory``), so NVIDIA's pip
  wheels are found.
- Buffers and Streams speak ``__cuda_array_interface__`` and
  ``__cuda_stream__``, can wrap objects that do (CuPy, PyTorch, Numba), and
  copy to and from numpy arrays; both are context managers that close on exit.
- Buffers and StridedViews speak DLPack (``__dlpack__``, ``__dlpack_device__``),
  and ``CudaObj.from_dlpack(obj)`` takes any DLPack producer (PyTorch, CuPy,
  NumPy, cuda.core) without a copy (docs/interop.md).

Written the way PyGObject's own overrides are: one explicit subclass per
type, ``X = override(X)``, ``__all__.append('X')``.
"""
import operator as _operator
import struct as _struct
import sys as _sys
import weakref as _weakref

from ..overrides import override
from ..module import get_introspection_module
from gi.repository import GLib, Gio

CudaObj = get_introspection_module('CudaObj')

__all__ = []


def _add_site_directories():
    # NVIDIA's pip wheels (nvidia/<component>/lib, nvidia/cu13/lib) are
    # found below this Python's site directories, as cuda.pathfinder finds them.
    import site
    try:
        directories = list(site.getsitepackages())
    except AttributeError:  # virtualenvs made by old tools lack it
        directories = []
    user = getattr(site, 'getusersitepackages', lambda: None)()
    if user:
        directories.append(user)
    for directory in directories:
        CudaObj.Library.add_site_directory(directory)


_add_site_directories()


def _initialize(obj):
    # PyGObject only constructs: run GInitable's init so that a constructor
    # that cannot set the object up raises instead of returning it broken.
    Gio.Initable.init(obj, None)


def _error(code, message):
    return GLib.Error.new_literal(CudaObj.error_quark(), message, code)


class Device(CudaObj.Device):
    """A CUDA device. ``CudaObj.Device.get(ordinal)`` gives the shared
    instance of an ordinal; this constructor is for ``CudaObj.Device(ordinal=n)``
    and raises like it.
    """

    def __init__(self, **properties):
        """Takes the construct properties (``ordinal``).

        :raises GLib.Error: no driver (``CudaObj.Error.LIBRARY_NOT_FOUND``), no
            such device, or the driver's error.
        """
        super().__init__(**properties)
        _initialize(self)

    def __repr__(self):
        """Ordinal, name and architecture."""
        return '<CudaObj.Device %d: %s, sm_%s>' % (self.props.ordinal, self.props.name,
                                                  self.props.arch)

    def reset(self):
        """Recovers the device after a fault (see the C documentation of
        ``cuda_obj_device_reset``): every object of the old context is closed.

        :raises GLib.Error: the device is not initialized, or the driver's error
        """
        try:
            return CudaObj.Device.reset(self)
        finally:
            # Launch packings and buffer addresses belong to the old context.
            _resets[0] += 1
            _forget_packings()


Device = override(Device)
__all__.append('Device')


class _Capture:
    """What ``Stream.capture()`` returns: a context manager around a
    GraphBuilder's capture."""

    def __init__(self, stream, mode):
        self.stream, self.mode, self.builder = stream, mode, None

    def __enter__(self):
        self.builder = CudaObj.GraphBuilder.new(self.stream, self.mode)
        return self.builder

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.builder.end()
        elif self.builder.get_capturing():
            self.builder.abort()
        return False


class Stream(CudaObj.Stream):
    """A CUDA stream; ``with device.create_stream() as stream:`` closes it
    when the block ends. ``__cuda_stream__`` hands it to CuPy, PyTorch and
    cuda.core; ``Stream.from_foreign`` takes theirs.
    """

    def __init__(self, **properties):
        """Takes the construct properties (``device`` or ``context``,
        ``priority``, ``non_blocking``).

        :raises GLib.Error: no device given (``CudaObj.Error.INVALID_ARGUMENT``),
            no driver, or the driver's error.
        """
        super().__init__(**properties)
        _initialize(self)

    def __enter__(self):
        """Returns the object itself, for ``with ... as name:``."""
        return self

    def __exit__(self, *exc_info):
        """Closes the object; an exception in the block goes on unchanged."""
        self.close()
        return False

    def __cuda_stream__(self):
        """The stream protocol: ``(0, handle)``, version 0 and the ``CUstream``
        as an int; a method, as cuda.core's, which CuPy's
        ``Stream.from_external`` and cuda.core call."""
        return (0, self.get_handle())

    def capture(self, mode=None):
        """Records the work enqueued on this stream inside a ``with`` block into
        a graph.

        ``with stream.capture() as builder: ...`` gives the
        :class:`CudaObj.GraphBuilder`; the capture ends when the block ends
        normally (then ``builder.complete(...)`` gives the executable graph)
        and is aborted when it raises, leaving the stream usable.

        :param mode: a :class:`CudaObj.CaptureMode` (default ``GLOBAL``)
        :returns: a context manager whose ``__enter__`` returns the builder
        :raises GLib.Error: on entering, when the capture cannot begin
        """
        return _Capture(self, CudaObj.CaptureMode.GLOBAL if mode is None else mode)

    @classmethod
    def from_foreign(cls, obj, device=None):
        """Wraps another library's stream without owning it.

        :param obj: anything with ``__cuda_stream__`` (an attribute or a
            method giving ``(version, handle)``: cuda.core, CuPy), with a
            ``cuda_stream`` handle (PyTorch), or a ``CUstream`` handle as int;
            it is kept alive as long as the returned stream
        :param device: the :class:`CudaObj.Device` the stream belongs to
            (default: device 0)
        :returns: a :class:`CudaObj.Stream` that never destroys the handle
        :raises GLib.Error: no driver, or the handle is 0
        :raises TypeError: ``obj`` is no stream
        """
        stream = CudaObj.Stream.new_from_handle(device or Device.get(0), _foreign_stream_handle(obj), None)
        stream._cudaobj_owner = obj
        return stream


Stream = override(Stream)
__all__.append('Stream')


class Event(CudaObj.Event):
    """A CUDA event; ``CudaObj.Event(device=..., timing=...)`` raises when it
    cannot be created."""

    def __init__(self, **properties):
        """Takes the construct properties (``device``, ``timing``,
        ``blocking_sync``, ``ipc``).

        :raises GLib.Error: no device, ``ipc`` with ``timing``
            (``CudaObj.Error.INVALID_ARGUMENT``), no driver, or the driver's error.
        """
        super().__init__(**properties)
        _initialize(self)


Event = override(Event)
__all__.append('Event')


class Context(CudaObj.Context):
    """A CUDA context; ``with device.create_context(flags) as context:`` (or a
    green context) destroys it when the block ends.
    """

    def __enter__(self):
        """Returns the object itself, for ``with ... as name:``."""
        return self

    def __exit__(self, *exc_info):
        """Closes the context; an exception in the block goes on unchanged."""
        self.close()
        return False


Context = override(Context)
__all__.append('Context')


class _CudaArray:
    """A typed view of a Buffer for libraries that read
    ``__cuda_array_interface__`` (CuPy, Numba, PyTorch); keeps the Buffer."""

    def __init__(self, buffer, typestr, shape):
        self.buffer = buffer
        self.__cuda_array_interface__ = {
            'shape': tuple(shape), 'typestr': typestr, 'strides': None,
            'data': (buffer.get_handle(), False), 'version': 3, 'stream': None,
        }


def _numpy():
    import numpy
    return numpy


class Buffer(CudaObj.Buffer):
    """Memory on (or visible to) a device. ``with device.allocate(n, stream) as
    buffer:`` closes it when the block ends; numpy copies in and out,
    ``__cuda_array_interface__`` and zero-copy host arrays for pinned memory.
    """

    def __init__(self, **properties):
        """Takes the construct properties; buffers normally come from
        ``device.allocate``, a memory resource, ``Buffer.from_numpy`` or
        ``Buffer.from_cuda_array``.

        :raises GLib.Error: missing or invalid properties
            (``CudaObj.Error.INVALID_ARGUMENT``), or no driver.
        """
        super().__init__(**properties)
        _initialize(self)

    def __enter__(self):
        """Returns the object itself, for ``with ... as name:``."""
        return self

    def __exit__(self, *exc_info):
        """Closes the object; an exception in the block goes on unchanged."""
        self.close()
        return False

    def __len__(self):
        """The size in bytes."""
        return self.get_size()

    def __repr__(self):
        """Address, size, and whether the buffer is closed."""
        return '<CudaObj.Buffer 0x%x, %d bytes%s>' % (self.get_handle(), self.get_size(),
                                                      ', closed' if self.get_closed() else '')

    def close(self, stream=None):
        """Frees the memory in ``stream``'s order (``None``: the legacy default
        stream); closing a closed buffer does nothing.

        :returns: ``True``
        :raises GLib.Error: ``stream`` is closed (``CudaObj.Error.CLOSED``; the
            buffer then stays open), or the driver's error (the buffer is closed
            all the same)
        """
        return CudaObj.Buffer.close(self, stream)

    @property
    def __cuda_array_interface__(self):
        """The CUDA array interface (version 3) of the whole buffer as bytes
        (``|u1``), with the ``stream`` field; :meth:`view` gives a typed,
        strided one."""
        return self.view('uint8').__cuda_array_interface__

    @property
    def stream(self):
        """The stream the work on this buffer is ordered on, which consumers
        (``__dlpack__``, ``__cuda_array_interface__``) are ordered after;
        ``None`` (the default) is the legacy default stream. Views made
        later start with it."""
        return self.__dict__.get('_cudaobj_stream')

    @stream.setter
    def stream(self, stream):
        self._cudaobj_stream = stream

    def view(self, dtype, shape=None, strides=None, offset=0):
        """A typed, strided :class:`CudaObj.StridedView` of the buffer's memory,
        without a copy, e.g. ``torch.from_dlpack(buffer.view('float32', (4, 3),
        (1, 4)))`` or ``cupy.asarray(buffer.view('float32'))``.

        :param dtype: a :class:`CudaObj.DataType`, its name, or a numpy or torch dtype
        :param shape: the extents (default: as many elements as fit after ``offset``)
        :param strides: the steps in elements, not bytes (default: row-major)
        :param offset: the byte offset of the first element
        :returns: a :class:`CudaObj.StridedView` that keeps the buffer alive
        :raises GLib.Error: the layout does not fit in the buffer, or a rank over
            8 (``CudaObj.Error.INVALID_ARGUMENT``), a closed buffer
            (``CudaObj.Error.CLOSED``)
        """
        data_type = _data_type(dtype)
        if shape is None:
            shape = ((self.get_size() - offset) // CudaObj.DataType.get_item_size(data_type),)
        elif isinstance(shape, int):
            shape = (shape,)
        view = CudaObj.Buffer.view(self, data_type, [int(n) for n in shape],
                                   None if strides is None else [int(n) for n in strides], offset)
        view._cudaobj_stream = self.stream
        return view

    def __dlpack__(self, stream=None, max_version=None, dl_device=None, copy=None):
        """DLPack export of the whole buffer as bytes (``uint8``), without a
        copy; see :meth:`CudaObj.StridedView.__dlpack__`."""
        return self.view('uint8').__dlpack__(stream=stream, max_version=max_version,
                                             dl_device=dl_device, copy=copy)

    def __dlpack_device__(self):
        """``(device type, device id)`` as DLPack numbers them: ``(2, n)`` for
        device memory, ``(3, 0)`` for page-locked and ``(13, n)`` for managed
        memory."""
        return self.view('uint8').__dlpack_device__()

    def host_array(self, dtype='uint8', shape=None):
        """A numpy array over the buffer's own memory, without a copy, for
        host-accessible buffers (pinned or managed). Synchronize the work that
        uses the buffer before touching the array; the array keeps the buffer
        alive, but closing the buffer frees the memory under it.

        :param dtype: a numpy dtype or its name (default ``uint8``)
        :param shape: the array's shape (default: as many elements as fit)
        :returns: a writable ``numpy.ndarray``
        :raises GLib.Error: the buffer is not host-accessible, or the shape does
            not fit (``CudaObj.Error.INVALID_ARGUMENT``)
        """
        import ctypes
        numpy = _numpy()
        if not self.get_is_host_accessible():
            raise _error(CudaObj.Error.INVALID_ARGUMENT, 'the buffer is not host-accessible')
        dtype = numpy.dtype(dtype)
        if shape is None:
            shape = (self.get_size() // dtype.itemsize,)
        nbytes = int(numpy.prod(shape)) * dtype.itemsize
        if nbytes > self.get_size():
            raise _error(CudaObj.Error.INVALID_ARGUMENT, 'a %s array of shape %s is larger than the buffer'
                         % (dtype, tuple(shape)))
        raw = (ctypes.c_uint8 * nbytes).from_address(self.get_handle())
        raw._cudaobj_buffer = self  # the memory lives as long as the array
        return numpy.frombuffer(raw, dtype=dtype).reshape(shape)

    def copy_from_numpy(self, array, offset=0, stream=None):
        """Copies an array into the buffer at ``offset``, straight from the
        array's memory (a C-contiguous copy is made first only when needed),
        and waits for the copy: ``stream`` when given, else the device.

        :param array: a numpy array or anything ``numpy.ascontiguousarray`` takes
        :returns: the buffer itself
        :raises GLib.Error: the array does not fit (``CudaObj.Error.INVALID_ARGUMENT``),
            a closed buffer or stream (``CudaObj.Error.CLOSED``), or the driver's error
        """
        array = _numpy().ascontiguousarray(array)
        self.copy_from_host(array.ctypes.data, array.nbytes, offset, stream)
        # The array's memory must outlive the copy: wait for it.
        (stream.synchronize() if stream is not None else self.get_device().synchronize())
        return self

    def copy_to_numpy(self, out=None, dtype='uint8', offset=0, stream=None):
        """Copies the buffer, from ``offset``, into a numpy array and waits for
        the copy: ``stream`` when given, else the device.

        :param out: a writable C-contiguous array to fill (its ``nbytes`` are
            copied); default: a new array of ``dtype`` covering the rest of the
            buffer
        :returns: the array
        :raises ValueError: ``out`` is not writable and C-contiguous
        :raises GLib.Error: the range does not fit (``CudaObj.Error.INVALID_ARGUMENT``),
            a closed buffer or stream (``CudaObj.Error.CLOSED``), or the driver's error
        """
        numpy = _numpy()
        if out is None:
            dtype = numpy.dtype(dtype)
            out = numpy.empty((self.get_size() - offset) // dtype.itemsize, dtype=dtype)
        elif not out.flags.c_contiguous or not out.flags.writeable:
            raise ValueError('out must be a writable C-contiguous array')
        self.copy_to_host(out.ctypes.data, out.nbytes, offset, stream)
        (stream.synchronize() if stream is not None else self.get_device().synchronize())
        return out

    @classmethod
    def from_numpy(cls, array, device=None, stream=None):
        """Allocates a buffer from the device's default memory resource and
        copies an array into it (see :meth:`copy_from_numpy`).

        :param device: a :class:`CudaObj.Device` (default: device 0)
        :param stream: the stream to order the allocation and copy on
        :returns: a new :class:`CudaObj.Buffer` of the array's size (1 byte for
            an empty array)
        :raises GLib.Error: no driver or device, out of memory, or the driver's error
        """
        array = _numpy().ascontiguousarray(array)
        device = device or Device.get(0)
        buffer = device.allocate(max(array.nbytes, 1), stream)
        return buffer.copy_from_numpy(array, 0, stream)

    @classmethod
    def from_cuda_array(cls, obj, device=None):
        """Wraps another library's device memory without copying or owning it.

        :param obj: anything with ``__cuda_array_interface__`` (CuPy, PyTorch,
            Numba, :meth:`view`); it is kept alive as long as the buffer
        :param device: the :class:`CudaObj.Device` the memory is on (default:
            device 0)
        :returns: a :class:`CudaObj.Buffer` whose ``close()`` never frees the memory
        :raises ValueError: the array is not C-contiguous
        :raises GLib.Error: no driver, or a null address
        """
        numpy = _numpy()
        interface = obj.__cuda_array_interface__
        itemsize = numpy.dtype(interface['typestr']).itemsize
        if interface.get('strides') not in (None, ()):
            expected, strides = itemsize, []
            for extent in reversed(interface['shape']):
                strides.insert(0, expected)
                expected *= extent
            if tuple(interface['strides']) != tuple(strides):
                raise ValueError('only C-contiguous arrays can be wrapped')
        nbytes = int(numpy.prod(interface['shape'])) * itemsize
        buffer = CudaObj.Buffer.new_from_handle(device or Device.get(0), interface['data'][0],
                                                nbytes, None)
        buffer._cudaobj_owner = obj
        return buffer


Buffer = override(Buffer)
__all__.append('Buffer')


class DeviceStatus(CudaObj.DeviceStatus):
    """A device's state as NVML reports it; ``CudaObj.DeviceStatus(device=dev,
    update_interval=1000)`` reads it and raises without NVML."""

    def __init__(self, **properties):
        """Takes the construct properties (``device``, ``update_interval``).

        :raises GLib.Error: no NVML, or NVML does not know the device
        """
        super().__init__(**properties)
        _initialize(self)


DeviceStatus = override(DeviceStatus)
__all__.append('DeviceStatus')


class FileHandle(CudaObj.FileHandle):
    """A file for cuFile; ``CudaObj.FileHandle(path=p, writable=True)`` opens it
    and raises when it cannot, and ``with`` closes it."""

    def __init__(self, **properties):
        """Takes the construct properties (``path`` and ``writable``, or ``fd``).

        :raises GLib.Error: the file cannot be opened, or cuFile is missing
        """
        super().__init__(**properties)
        _initialize(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if not self.get_closed():
            self.close()
        return False


FileHandle = override(FileHandle)
__all__.append('FileHandle')


class DeviceMemoryResource(CudaObj.DeviceMemoryResource):
    """Stream-ordered memory from a device's memory pool."""

    def __init__(self, **properties):
        """Takes the construct properties (``device``, ``own_pool``, ...).

        :raises GLib.Error: no device, no driver, memory pools not supported
            (``CudaObj.Error.NOT_SUPPORTED``), or the driver's error
        """
        super().__init__(**properties)
        _initialize(self)


DeviceMemoryResource = override(DeviceMemoryResource)
__all__.append('DeviceMemoryResource')


class Communicator(CudaObj.Communicator):
    """An NCCL communicator; ``CudaObj.Communicator(device=dev, n_ranks=n,
    rank=r, unique_id=uid, timeout=ms)`` raises like
    ``CudaObj.Communicator.new``. A context manager: leaving the block closes it.
    """

    def __init__(self, **properties):
        """Takes the construct properties (``device``, ``n_ranks``, ``rank``,
        ``unique_id``, ``timeout``).

        :raises GLib.Error: a rank out of range or a bad unique id
            (``CudaObj.Error.INVALID_ARGUMENT``), no NCCL
            (``CudaObj.Error.LIBRARY_NOT_FOUND``), a timeout, or NCCL's error
        """
        super().__init__(**properties)
        _initialize(self)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if not self.get_closed():
            if exc_type is None:
                self.close()
            else:
                self.abort()
        return False


Communicator = override(Communicator)
__all__.append('Communicator')


class LegacyPinnedMemoryResource(CudaObj.LegacyPinnedMemoryResource):
    """Page-locked host memory that devices reach."""

    def __init__(self, **properties):
        """Takes the construct properties (``device``).

        :raises GLib.Error: no device or no driver
        """
        super().__init__(**properties)
        _initialize(self)


LegacyPinnedMemoryResource = override(LegacyPinnedMemoryResource)
__all__.append('LegacyPinnedMemoryResource')


class PinnedMemoryResource(CudaObj.PinnedMemoryResource):
    """Stream-ordered page-locked host memory from a host memory pool."""

    def __init__(self, **properties):
        """Takes the construct properties (``device``, ``numa_node``, the
        pool settings).

        :raises GLib.Error: no device, no driver, or no host pools
        """
        super().__init__(**properties)
        _initialize(self)


PinnedMemoryResource = override(PinnedMemoryResource)
__all__.append('PinnedMemoryResource')


class GraphMemoryResource(CudaObj.GraphMemoryResource):
    """Graph memory: allocations and frees captured as graph nodes."""

    def __init__(self, **properties):
        """Takes the construct properties (``device``).

        :raises GLib.Error: no device or no driver
        """
        super().__init__(**properties)
        _initialize(self)


GraphMemoryResource = override(GraphMemoryResource)
__all__.append('GraphMemoryResource')


class ManagedMemoryResource(CudaObj.ManagedMemoryResource):
    """Unified memory that migrates between host and device."""

    def __init__(self, **properties):
        """Takes the construct properties (``device``, ``mode``,
        ``preferred_location``, the pool settings).

        :raises GLib.Error: no device, no driver, or no managed pools
        """
        super().__init__(**properties)
        _initialize(self)


ManagedMemoryResource = override(ManagedMemoryResource)
__all__.append('ManagedMemoryResource')


class SyncMemoryResource(CudaObj.SyncMemoryResource):
    """Device memory from synchronous allocations (``cuMemAlloc``)."""

    def __init__(self, **properties):
        """Takes the construct properties (``device``).

        :raises GLib.Error: no device or no driver
        """
        super().__init__(**properties)
        _initialize(self)


SyncMemoryResource = override(SyncMemoryResource)
__all__.append('SyncMemoryResource')


class VirtualMemoryResource(CudaObj.VirtualMemoryResource):
    """Device memory mapped into reserved address ranges, grown without copying."""

    def __init__(self, **properties):
        """Takes the construct properties (``device``, ``granularity_mode``,
        ``handle_type``).

        :raises GLib.Error: no device or no driver, no virtual memory
            management or no export of ``handle_type``
            (``CudaObj.Error.NOT_SUPPORTED``)
        """
        super().__init__(**properties)
        _initialize(self)


VirtualMemoryResource = override(VirtualMemoryResource)
__all__.append('VirtualMemoryResource')


class Array(CudaObj.Array):
    """A CUDA array; ``CudaObj.Array(device=dev, format=CudaObj.ArrayFormat.FLOAT,
    channels=4, width=640, height=480)`` raises for a shape the device cannot have."""

    def __init__(self, **properties):
        """Takes the construct properties (``device``, ``format``, ``channels``,
        ``width``, ``height``, ``depth``, ``layers``, ``flags``).

        :raises GLib.Error: a wrong shape (``CudaObj.Error.INVALID_ARGUMENT``),
            no device or the driver's error
        """
        super().__init__(**properties)
        _initialize(self)

    def copy_from_bytes(self, data, stream=None):
        """Copies host data into the whole array and waits for the copy.

        :param data: ``GLib.Bytes`` or anything with the buffer protocol
            (``bytes``, ``bytearray``, ``memoryview``, a C-contiguous numpy
            array) of :meth:`get_size` bytes, rows packed
        :raises GLib.Error: data of another size (``CudaObj.Error.INVALID_ARGUMENT``),
            an array without memory, or the driver's error
        """
        return CudaObj.Array.copy_from_bytes(self, _glib_bytes(data), stream)

    def copy_region_from_bytes(self, data, x, y, z, width, height, depth, stream=None):
        """Copies host data into a box of the array and waits for the copy;
        ``data`` as for :meth:`copy_from_bytes`, of the box's size."""
        return CudaObj.Array.copy_region_from_bytes(self, _glib_bytes(data), x, y, z, width, height, depth,
                                                    stream)


def _glib_bytes(data):
    if isinstance(data, GLib.Bytes):
        return data
    return GLib.Bytes(memoryview(data).cast('B').tobytes())


Array = override(Array)
__all__.append('Array')


class TextureObject(CudaObj.TextureObject):
    """A texture over an Array or a Buffer; ``CudaObj.TextureObject(array=a,
    filter_mode=CudaObj.TextureFilterMode.LINEAR)`` raises for a configuration
    the texture unit does not have. Pass it to ``CudaObj.launch`` for a
    ``cudaTextureObject_t`` parameter."""

    def __init__(self, **properties):
        """Takes the construct properties (``array`` or ``buffer``, ``format``,
        ``channels``, ``width``, ``height``, ``pitch``, ``address_mode``,
        ``filter_mode``, ``read_mode``, ``normalized_coordinates``, ``srgb``).

        :raises GLib.Error: a configuration refused
            (``CudaObj.Error.INVALID_ARGUMENT``) or the driver's error
        """
        super().__init__(**properties)
        _initialize(self)


TextureObject = override(TextureObject)
__all__.append('TextureObject')


class SurfaceObject(CudaObj.SurfaceObject):
    """A surface over an Array made with ``SURFACE_LOAD_STORE``; pass it to
    ``CudaObj.launch`` for a ``cudaSurfaceObject_t`` parameter."""

    def __init__(self, **properties):
        """Takes the construct property ``array``.

        :raises GLib.Error: an array without surface load and store
            (``CudaObj.Error.INVALID_ARGUMENT``) or the driver's error
        """
        super().__init__(**properties)
        _initialize(self)


SurfaceObject = override(SurfaceObject)
__all__.append('SurfaceObject')


class ObjectCode(CudaObj.ObjectCode):
    """Compiled or linked device code; ``CudaObj.ObjectCode(code=bytes,
    code_type=...)`` checks the code and raises on bad input."""

    def __init__(self, **properties):
        """Takes the construct properties (``code``, ``code_type``, ...).

        :raises GLib.Error: code that is not of ``code_type``
            (``CudaObj.Error.INVALID_ARGUMENT``)
        """
        super().__init__(**properties)
        _initialize(self)


ObjectCode = override(ObjectCode)
__all__.append('ObjectCode')


class GraphBuilder(CudaObj.GraphBuilder):
    """Stream capture into a graph; see also :meth:`Stream.capture`."""

    def __init__(self, **properties):
        """Takes the construct properties (``stream``, ``mode``); capture begins.

        :raises GLib.Error: no stream, a closed stream, or the driver's error
        """
        super().__init__(**properties)
        _initialize(self)


GraphBuilder = override(GraphBuilder)
__all__.append('GraphBuilder')


class Graph(CudaObj.Graph):
    """An executable graph, made by ``GraphBuilder.complete()``."""

    def __init__(self, **properties):
        """Graphs are not constructed directly: this raises.

        :raises GLib.Error: always (``CudaObj.Error.INVALID_ARGUMENT``)
        """
        super().__init__(**properties)
        _initialize(self)


Graph = override(Graph)
__all__.append('Graph')


class GraphDefinition(CudaObj.GraphDefinition):
    """A graph built node by node."""

    def __init__(self, **properties):
        """Takes the construct property ``device``; the graph is created.

        :raises GLib.Error: no device, or the driver's error
        """
        super().__init__(**properties)
        _initialize(self)

    def add_host_function(self, function, dependencies=None):
        """Adds a node that calls ``function()`` on a driver thread at each
        launch, after ``dependencies`` (a list of nodes).

        :raises GLib.Error: a node of another definition, or the driver's error
        """
        # The C signature has user data between the function and the
        # dependencies; PyGObject would take a list given second for it.
        return CudaObj.GraphDefinition.add_host_function(self, lambda *_: function(), None, dependencies)


GraphDefinition = override(GraphDefinition)
__all__.append('GraphDefinition')


class GraphNode(CudaObj.GraphNode):
    """A node of a ``GraphDefinition``, made by its ``add_`` methods."""

    def __init__(self, **properties):
        """Nodes are not constructed directly: this raises.

        :raises GLib.Error: always (``CudaObj.Error.INVALID_ARGUMENT``)
        """
        super().__init__(**properties)
        _initialize(self)


GraphNode = override(GraphNode)
__all__.append('GraphNode')


class GraphCondition(CudaObj.GraphCondition):
    """A conditional node's value, made by ``GraphBuilder.create_condition()``."""

    def __init__(self, **properties):
        """Conditions are not constructed directly: this raises.

        :raises GLib.Error: always (``CudaObj.Error.INVALID_ARGUMENT``)
        """
        super().__init__(**properties)
        _initialize(self)


GraphCondition = override(GraphCondition)
__all__.append('GraphCondition')


class GraphicsResource(CudaObj.GraphicsResource):
    """An OpenGL buffer object or texture registered with CUDA; made with
    ``GraphicsResource.new_from_gl_buffer()`` or ``new_from_gl_image()``
    while the GL context is current."""

    def __init__(self, **properties):
        """Takes the construct properties (``device``, ``kind``, ``gl_name``,
        ``gl_target``, ``register_flags``) and registers the GL object.

        :raises GLib.Error: a bad argument, no current GL context
            (``CudaObj.Error.NOT_SUPPORTED``), or the driver's error
        """
        super().__init__(**properties)
        _initialize(self)


GraphicsResource = override(GraphicsResource)
__all__.append('GraphicsResource')


class Program(CudaObj.Program):
    """Code to compile: CUDA C++ (NVRTC), PTX or NVVM IR."""

    def compile(self, target=None, name_expressions=None):
        """Compiles the program.

        :param target: a :class:`CudaObj.CodeType` (default ``CUBIN``)
        :param name_expressions: names of template instantiations to keep
            (``['scale<float>']``), looked up later by ``get_kernel``
        :returns: a :class:`CudaObj.ObjectCode`
        :raises GLib.Error: NVRTC (or nvJitLink, libNVVM) missing
            (``CudaObj.Error.LIBRARY_NOT_FOUND``), or the compile failed
            (``CudaObj.Error.COMPILE``, the log in the message)
        """
        return CudaObj.Program.compile(self, CudaObj.CodeType.CUBIN if target is None else target,
                                       name_expressions)


Program = override(Program)
__all__.append('Program')


# Kernel launch with Python values.
#
# A launch packs the values into the kernel's parameter buffer with a cached
# struct.Struct and launches it in one call (launch_packed). The last packing
# of each kernel is kept with the very argument objects that gave it, so a
# loop that launches the same objects again skips even the packing. That
# packing holds buffer addresses: it is dropped when one of its buffers says,
# through its "closed" property, that it was closed, however it was closed
# (this module's close, the C API, another language), or through its
# "handle" property that it moved (VirtualMemoryResource.grow).

_introspected_launch = CudaObj.launch
_launch_packed = CudaObj.launch_packed
_INT_CODES = {1: ('b', 'B'), 2: ('h', 'H'), 4: ('i', 'I'), 8: ('q', 'Q')}
_FLOAT_CODES = {2: 'e', 4: 'f', 8: 'd'}
_NUMPY_CODES = {'i': {1: 'b', 2: 'h', 4: 'i', 8: 'q'}, 'u': {1: 'B', 2: 'H', 4: 'I', 8: 'Q'},
                'f': {2: 'e', 4: 'f', 8: 'd'}, 'b': {1: '?'}}
_IMMUTABLE = (int, float, bool, bytes)
# Every live kernel plan by id, so that a buffer's close can drop packings
# it is in. A dict of weak references rather than a WeakSet: list(values())
# copies it in one step, safe against a plan added by another thread.
_plans = {}


class _Plan:
    """A kernel's parameter layout and the struct formats seen for it."""

    def __init__(self, kernel):
        infos = [kernel.get_argument_info(i) for i in range(kernel.get_argument_count())]
        self.offsets = tuple(info[1] for info in infos)
        self.sizes = tuple(info[2] for info in infos)
        self.formats = {}
        # (arguments, packed bytes) of the last launch whose arguments are all
        # immutable or Buffers: the same objects pack the same.
        self.last = None

    def struct_for(self, codes):
        packer = self.formats.get(codes)
        if packer is None:
            parts, position = ['<'], 0
            for offset, size, code in zip(self.offsets, self.sizes, codes):
                parts.append('%dx' % (offset - position) if offset > position else '')
                parts.append(code)
                position = offset + size
            packer = self.formats[codes] = _struct.Struct(''.join(parts))
        return packer


def _plan(kernel):
    plan = kernel.__dict__.get('_cudaobj_plan')
    if plan is None:
        plan = kernel._cudaobj_plan = _Plan(kernel)
        key = id(plan)
        _plans[key] = _weakref.ref(plan, lambda _ref: _plans.pop(key, None))
    return plan


# Device resets so far: a reset closes every buffer of the old context without
# a notify::closed per buffer, so addresses cached before it are not reused.
_resets = [0]


def _forget_packings():
    for ref in list(_plans.values()):
        plan = ref()
        if plan is not None:
            plan.last = None


def _buffer_closed(buffer, _pspec):
    """notify::closed or notify::handle of a buffer that a launch took:
    forget its address and every packing that holds it."""
    buffer.__dict__.pop('_cudaobj_address', None)
    for ref in list(_plans.values()):
        plan = ref()
        last = plan.last if plan is not None else None
        if last is not None and any(value is buffer for value in last[0]):
            plan.last = None


def _buffer_address(buffer, index):
    cached = buffer.__dict__.get('_cudaobj_address')
    if cached is not None and cached[0] == _resets[0]:
        return cached[1]
    if buffer.get_closed():
        raise _error(CudaObj.Error.CLOSED, 'Argument %d is a closed buffer' % index)
    if cached is None:
        # Once per buffer: its close or move (from anywhere) drops what holds
        # this address.
        buffer.connect('notify::closed', _buffer_closed)
        buffer.connect('notify::handle', _buffer_closed)
    address = buffer.get_handle()
    if buffer.get_closed():  # closed by another thread meanwhile
        raise _error(CudaObj.Error.CLOSED, 'Argument %d is a closed buffer' % index)
    buffer._cudaobj_address = (_resets[0], address)
    return address


def _view_address(view, index):
    # Views are not reused across launches (their buffer may close): checked
    # each time, as the C launch checks a KernelArgs view.
    address = view.get_data()
    if address == 0 and view.get_n_elements() != 0:
        if view.get_owner() is None:
            raise _error(CudaObj.Error.NOT_INITIALIZED, 'Argument %d is a view without memory' % index)
        raise _error(CudaObj.Error.CLOSED, 'Argument %d is a view of a closed buffer' % index)
    return address


def _object_handle(value, index, size):
    # Texture and surface handles are read at each launch (a reset of the
    # device takes them); an unusable one gets the C setter's error.
    if size != 8:
        raise TypeError('argument %d is a %s (8 bytes), but the kernel\'s parameter is %d bytes'
                        % (index, type(value).__name__, size))
    handle = value.get_handle()
    if isinstance(value, CudaObj.TextureObject):
        buffer = value.get_buffer()
        if handle == 0 or (buffer is not None and buffer.get_closed()):
            CudaObj.KernelArgs.new(1).set_texture(0, value)
    elif handle == 0:
        CudaObj.KernelArgs.new(1).set_surface(0, value)
    return handle


def _tensor_map_bytes(value, index, size):
    data = value.get_bytes()
    if data is None:
        raise _error(CudaObj.Error.NOT_INITIALIZED, 'Argument %d is an empty TensorMap' % index)
    if size != CudaObj.TENSOR_MAP_SIZE:
        raise TypeError('argument %d is a TensorMap (%d bytes), but the kernel\'s parameter is %d bytes'
                        % (index, CudaObj.TENSOR_MAP_SIZE, size))
    return data.get_data()


def _reusable(value):
    if type(value) in _IMMUTABLE or isinstance(value, (CudaObj.Buffer, CudaObj.GraphCondition)):
        return True
    numpy = _sys.modules.get('numpy')
    return numpy is not None and isinstance(value, numpy.generic)


def _exact_bytes(data, index, size):
    if len(data) != size:
        raise TypeError('argument %d is %d bytes, but the kernel\'s parameter is %d bytes'
                        % (index, len(data), size))
    return data


def _code_and_value(value, index, size):
    """The struct code and value of one argument, by the parameter's size."""
    kind = type(value)
    if kind is int:
        if size not in _INT_CODES:
            raise TypeError('argument %d is an int, but the kernel\'s parameter is %d bytes' % (index, size))
        return _INT_CODES[size][value >= 0], value
    if kind is float:
        if size not in _FLOAT_CODES:
            raise TypeError('argument %d is a float, but the kernel\'s parameter is %d bytes' % (index, size))
        return _FLOAT_CODES[size], value
    if kind is bool:
        if size not in _INT_CODES:
            raise TypeError('argument %d is a bool, but the kernel\'s parameter is %d bytes' % (index, size))
        return ('?', value) if size == 1 else (_INT_CODES[size][1], int(value))
    if isinstance(value, CudaObj.Buffer):
        return 'Q', _buffer_address(value, index)
    if isinstance(value, CudaObj.StridedView):
        return 'Q', _view_address(value, index)
    if isinstance(value, CudaObj.GraphCondition):
        # a cudaGraphConditionalHandle parameter
        if size != 8:
            raise TypeError('argument %d is a graph condition (8 bytes), but the kernel\'s parameter is %d bytes'
                            % (index, size))
        if value.get_handle() == 0:
            raise _error(CudaObj.Error.NOT_INITIALIZED,
                         'Argument %d is a graph condition not made by GraphBuilder.create_condition()' % index)
        return 'Q', value.get_handle()
    if isinstance(value, (CudaObj.TextureObject, CudaObj.SurfaceObject)):
        return 'Q', _object_handle(value, index, size)
    if isinstance(value, CudaObj.TensorMap):
        return '%ds' % size, _tensor_map_bytes(value, index, size)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return '%ds' % size, _exact_bytes(bytes(value), index, size)
    if hasattr(value, '__cuda_array_interface__'):
        return 'Q', value.__cuda_array_interface__['data'][0]
    if hasattr(value, 'dtype') and hasattr(value, 'tobytes'):
        # a numpy scalar or 0-d array: its own type, exactly
        code = _NUMPY_CODES.get(value.dtype.kind, {}).get(value.dtype.itemsize)
        if value.dtype.itemsize != size:
            raise TypeError('argument %d is %s (%d bytes), but the kernel\'s parameter is %d bytes'
                            % (index, value.dtype, value.dtype.itemsize, size))
        if code is None:
            return '%ds' % size, value.tobytes()
        return code, value.item()
    if isinstance(value, int):  # int subclasses, e.g. IntEnum
        return _code_and_value(int(value), index, size)
    if isinstance(value, float):
        return _code_and_value(float(value), index, size)
    if hasattr(value, '_fields_') or hasattr(value, '_length_'):
        return '%ds' % size, _exact_bytes(bytes(value), index, size)  # a ctypes struct or array
    raise TypeError('argument %d: cannot pass %s to a kernel' % (index, type(value).__name__))


def launch(stream, config, kernel, *args):
    """Launches ``kernel`` on ``stream`` with ``config``.

    :param stream: a :class:`CudaObj.Stream`
    :param config: a :class:`CudaObj.LaunchConfig`
    :param kernel: a :class:`CudaObj.Kernel`
    :param args: either one prepared :class:`CudaObj.KernelArgs`, or the
        kernel's arguments as Python values, each converted by the size of its
        parameter: an int is a signed (negative) or unsigned integer of that
        size (1, 2, 4, 8 bytes: in an 8-byte parameter it may be an address); a
        float is a half, float or double by size (2, 4, 8); a bool is ``bool``
        in 1 byte, else an integer 0 or 1; a :class:`CudaObj.Buffer` (or
        anything with ``__cuda_array_interface__``) its device address; a
        :class:`CudaObj.StridedView` the address of its first element; a
        :class:`CudaObj.TextureObject` or :class:`CudaObj.SurfaceObject` its
        handle (8 bytes); a :class:`CudaObj.TensorMap` its 128 bytes; a numpy
        scalar keeps its own type and must be exactly the parameter's size;
        ``bytes``, ``bytearray``, ``memoryview`` and ctypes structures or
        arrays go by value and must be exactly the parameter's size
    :returns: ``True`` once the kernel is enqueued
    :raises GLib.Error: a wrong argument count, or a configuration over the
        device's limits (``CudaObj.Error.INVALID_ARGUMENT``), a closed Buffer or
        stream (``CudaObj.Error.CLOSED``), or the driver's error; nothing is
        launched then
    :raises TypeError: a value that does not fit its parameter

    Launching again with the very same objects (ints, floats, bools, bytes,
    numpy scalars, Buffers) reuses their packing; the last such arguments of
    each kernel stay referenced until its next launch with others, and a
    packing is dropped as soon as one of its Buffers is closed.
    """
    plan = kernel.__dict__.get('_cudaobj_plan') or _plan(kernel)
    last = plan.last
    # The common loop launches with the very same objects: reuse their packing.
    if last is not None and len(args) == len(last[0]) and all(map(_operator.is_, args, last[0])):
        return _launch_packed(stream, config, kernel, last[1])
    if len(args) == 1 and isinstance(args[0], CudaObj.KernelArgs):
        return _introspected_launch(stream, config, kernel, args[0])
    sizes = plan.sizes
    if len(args) != len(sizes):
        raise _error(CudaObj.Error.INVALID_ARGUMENT, 'Kernel %s takes %d argument%s, but %d %s given'
                     % (kernel.get_name(), len(sizes), '' if len(sizes) == 1 else 's', len(args),
                        'was' if len(args) == 1 else 'were'))
    codes, values = [], []
    for index, value in enumerate(args):
        code, converted = _code_and_value(value, index, sizes[index])
        codes.append(code)
        values.append(converted)
    try:
        data = plan.struct_for(tuple(codes)).pack(*values)
    except _struct.error as e:
        raise TypeError('cannot pack the arguments of kernel %s: %s' % (kernel.get_name(), e)) from None
    result = _launch_packed(stream, config, kernel, data)
    if all(map(_reusable, args)):
        plan.last = (args, data)
    return result


__all__.append('launch')


# Zero-copy interop: StridedView, DLPack (export and import, versioned and
# legacy capsules), the stream protocol.

import ctypes as _ctypes

_DLPACK_VERSION = (1, 1)
_kDLCPU, _kDLCUDA, _kDLCUDAHost, _kDLCUDAManaged = 1, 2, 3, 13
# Capsules keep a pointer to their name: these must live as long as the module.
_VERSIONED, _USED_VERSIONED = b"dltensor_versioned", b"used_dltensor_versioned"
_LEGACY, _USED_LEGACY = b"dltensor", b"used_dltensor"

_TYPESTRS = {"byte": "|u1", "bool": "|b1", "int8": "|i1", "int16": "<i2", "int32": "<i4", "int64": "<i8",
             "uint8": "|u1", "uint16": "<u2", "uint32": "<u4", "uint64": "<u8", "float16": "<f2",
             "float32": "<f4", "float64": "<f8", "complex64": "<c8", "complex128": "<c16"}


def _pyapi(name, restype, *argtypes):
    function = getattr(_ctypes.pythonapi, name)
    function.restype, function.argtypes = restype, argtypes
    return function


def _raw_pyapi(name, restype, *argtypes):
    # A second binding of the same function with a raw pointer argument, for
    # the capsule destructor, where the capsule is being deallocated and must
    # not be turned into a Python object again.
    return _ctypes.PYFUNCTYPE(restype, *argtypes)((name, _ctypes.pythonapi))


_CapsuleDestructor = _ctypes.CFUNCTYPE(None, _ctypes.c_void_p)
_capsule_new = _pyapi("PyCapsule_New", _ctypes.py_object, _ctypes.c_void_p, _ctypes.c_char_p, _CapsuleDestructor)
_capsule_is_valid = _pyapi("PyCapsule_IsValid", _ctypes.c_int, _ctypes.py_object, _ctypes.c_char_p)
_capsule_get_pointer = _pyapi("PyCapsule_GetPointer", _ctypes.c_void_p, _ctypes.py_object, _ctypes.c_char_p)
_capsule_set_name = _pyapi("PyCapsule_SetName", _ctypes.c_int, _ctypes.py_object, _ctypes.c_char_p)
_raw_is_valid = _raw_pyapi("PyCapsule_IsValid", _ctypes.c_int, _ctypes.c_void_p, _ctypes.c_char_p)
_raw_get_pointer = _raw_pyapi("PyCapsule_GetPointer", _ctypes.c_void_p, _ctypes.c_void_p, _ctypes.c_char_p)


def _destroy_capsule(capsule):
    """Deletes the tensor of a capsule that no consumer took (a consumer
    renames it to "used_dltensor..." and owns the tensor then)."""
    for name, versioned in ((_VERSIONED, True), (_LEGACY, False)):
        if _raw_is_valid(capsule, name):
            CudaObj.StridedView.delete_dlpack(_raw_get_pointer(capsule, name) or 0, versioned)
            return


_capsule_destructor = _CapsuleDestructor(_destroy_capsule)


def _data_type(dtype):
    """A CudaObj.DataType from itself, its name, or a numpy/torch dtype."""
    if isinstance(dtype, CudaObj.DataType):
        return dtype
    name = getattr(dtype, "name", None) if not isinstance(dtype, str) else dtype
    if name is None and isinstance(dtype, type):
        name = dtype.__name__  # numpy scalar types: numpy.int32
    if name is None:
        name = str(dtype).replace("torch.", "")
    name = {"bool_": "bool", "float": "float64", "int": "int64", "half": "float16", "double": "float64",
            "cfloat": "complex64", "cdouble": "complex128"}.get(name, name)
    result = CudaObj.DataType.from_name(name)
    return result[-1] if isinstance(result, tuple) else result


def _stream_handle(stream):
    """A stream's handle for DLPack's ``stream`` argument: None stays None."""
    if stream is None or isinstance(stream, int):
        return stream
    return _foreign_stream_handle(stream)


def _foreign_stream_handle(obj):
    """The CUstream of anything that speaks a stream protocol, or an int."""
    protocol = getattr(obj, "__cuda_stream__", None)
    if protocol is not None:
        if callable(protocol):
            protocol = protocol()
        if not isinstance(protocol, tuple) or len(protocol) != 2:
            raise TypeError("__cuda_stream__ must give a (version, handle) tuple, not %r" % (protocol,))
        return int(protocol[1])
    handle = getattr(obj, "cuda_stream", None)  # torch.cuda.Stream
    if handle is not None:
        return int(handle)
    if isinstance(obj, int):
        return obj
    raise TypeError("%s is not a stream: it has neither __cuda_stream__ nor cuda_stream"
                    % type(obj).__name__)


# Wrapped legacy default streams, one per device: what a producer without a
# stream of its own is ordered on.
_legacy_streams = {}


def _producer_stream(view):
    """The stream the work on ``view`` is ordered on, wrapped: its ``stream``,
    else the legacy default stream of its device."""
    producer = view.__dict__.get('_cudaobj_stream')
    if producer is None:
        device = view.get_device()
        producer = _legacy_streams.get(device.props.ordinal)
        if producer is None:
            producer = _legacy_streams[device.props.ordinal] = CudaObj.Stream.new_from_handle(device, 1, None)
    return producer


def _order_after(view, consumer, host_consumer):
    """Orders the consumer after the producer's work on ``view``.

    ``consumer`` is a DLPack ``stream`` value: None or 1 the legacy default
    stream, 2 the per-thread one, -1 "do not order", else a handle. A device
    consumer's stream waits for the producer's with an event, never a host
    synchronize; a host consumer (``host_consumer``: memory exported as host
    memory, with no stream given) can only be ordered by waiting for the
    producer's stream on the host."""
    if consumer == -1 or view.get_device() is None:
        return
    if consumer == 0:
        raise ValueError('stream=0 is ambiguous for CUDA; DLPack asks for 1 (legacy default stream) instead')
    if consumer is None and host_consumer:
        _producer_stream(view).synchronize()
        return
    if not view.get_is_device_accessible():
        return
    consumer = 1 if consumer is None else consumer
    producer = view.__dict__.get('_cudaobj_stream')
    if (1 if producer is None else producer.get_handle()) == consumer:
        return
    producer = _producer_stream(view)
    device = view.get_device()
    event = CudaObj.Event.new(device, False, False)
    event.record(producer)
    CudaObj.Stream.new_from_handle(device, consumer, None).wait_event(event)


class StridedView(CudaObj.StridedView):
    """A typed, strided window over memory (a Buffer, an imported tensor) that
    PyTorch, CuPy and NumPy take without a copy through DLPack and
    ``__cuda_array_interface__``. Strides are in elements, not bytes."""

    @property
    def shape(self):
        return tuple(self.get_shape())

    @property
    def strides(self):
        """The step of each dimension in elements (NumPy's strides are bytes)."""
        return tuple(self.get_strides())

    @property
    def dtype(self):
        """The data type's name: "float32", "bfloat16", "byte", ..."""
        return CudaObj.DataType.get_name(self.get_data_type())

    @property
    def stream(self):
        """The stream that the work on this memory is ordered on, which
        consumers are ordered after; ``None`` means the legacy default
        stream. Views of a Buffer start with the buffer's."""
        return self.__dict__.get("_cudaobj_stream")

    @stream.setter
    def stream(self, stream):
        self._cudaobj_stream = stream

    def __len__(self):
        shape = self.get_shape()
        if not shape:
            raise TypeError("len() of a 0-d view")
        return shape[0]

    def __repr__(self):
        return "<CudaObj.StridedView %s%s strides=%s at 0x%x%s>" % (
            self.dtype, list(self.shape), list(self.strides), self.get_data(),
            ", read-only" if self.get_read_only() else "")

    def __dlpack_device__(self):
        """``(device type, device id)`` as DLPack numbers them."""
        device_type = int(self.get_dlpack_device_type())
        device = self.get_device()
        if device is None or device_type in (_kDLCPU, _kDLCUDAHost):
            return (device_type, 0)
        return (device_type, device.props.ordinal)

    def __dlpack__(self, stream=None, max_version=None, dl_device=None, copy=None):
        """Exports the view as a DLPack capsule, without a copy.

        ``stream`` is the consumer's stream (DLPack's numbering: None or 1
        the legacy default stream, 2 the per-thread default stream, -1 no
        ordering, else a handle): it is made to wait for :attr:`stream` with
        an event, never by a host synchronize. Host memory handed to a host
        consumer (NumPy passes no stream) is ready when this returns: the
        producer's stream is waited for then. ``max_version`` of (1, x) or
        later gives a versioned capsule ("dltensor_versioned"), otherwise a
        legacy one ("dltensor"). ``dl_device`` may ask for ``(1, 0)`` (CPU)
        for host-accessible memory; other devices, and ``copy=True``, raise
        BufferError."""
        if copy:
            raise BufferError("CudaObj exports without copying; copy=True is not supported")
        own = self.__dlpack_device__()
        device_type = CudaObj.DlpackDeviceType.NONE
        if dl_device is not None and tuple(dl_device) != own:
            if int(dl_device[0]) == _kDLCPU and self.get_is_host_accessible():
                device_type = CudaObj.DlpackDeviceType.CPU
            else:
                raise BufferError("memory on DLPack device %s cannot be exported to %s without a copy"
                                  % (own, tuple(dl_device)))
        versioned = max_version is not None and int(max_version[0]) >= 1
        exported = own[0] if device_type == CudaObj.DlpackDeviceType.NONE else _kDLCPU
        _order_after(self, _stream_handle(stream), exported in (_kDLCPU, _kDLCUDAHost))
        address = self.to_dlpack(versioned, device_type)
        try:
            return _capsule_new(address, _VERSIONED if versioned else _LEGACY, _capsule_destructor)
        except BaseException:
            CudaObj.StridedView.delete_dlpack(address, versioned)
            raise

    @property
    def __cuda_array_interface__(self):
        """Version 3 of the CUDA array interface, with strides (in bytes) and
        the ``stream`` the consumer must order after (1 for the legacy
        default stream). Only device-accessible views of data types NumPy
        names have one (bfloat16 goes through DLPack)."""
        if not self.get_is_device_accessible():
            raise AttributeError("a view of host memory has no __cuda_array_interface__")
        typestr = _TYPESTRS.get(self.dtype)
        if typestr is None:
            raise AttributeError("%s has no __cuda_array_interface__ type; use DLPack" % self.dtype)
        item = self.get_item_size()
        stream = self.stream
        data = self.get_data()
        if data == 0 and self.get_n_elements() != 0:
            raise _error(CudaObj.Error.CLOSED, "the view's buffer is closed")
        return {
            "shape": self.shape, "typestr": typestr,
            "strides": None if self.get_is_contiguous() else tuple(n * item for n in self.strides),
            "data": (data, bool(self.get_read_only())), "version": 3,
            "stream": 1 if stream is None else stream.get_handle(),
        }

    def copy_to_numpy(self, stream=None):
        """The elements as a new C-contiguous numpy array of the view's shape;
        returns once copied (see :meth:`copy_to_bytes`)."""
        import numpy
        data = self.copy_to_bytes(stream).get_data()
        dtype = numpy.dtype(_TYPESTRS.get(self.dtype, "<u2"))  # bfloat16 as its raw bits
        return numpy.frombuffer(data, dtype=dtype).reshape(self.shape).copy()

    def copy_from_numpy(self, array, stream=None):
        """Writes ``array`` (the view's shape, any layout) into the view's
        elements, honouring its strides; returns once done."""
        import numpy
        array = numpy.ascontiguousarray(array)
        if tuple(array.shape) != self.shape:
            raise ValueError("the array's shape %s is not the view's %s" % (array.shape, self.shape))
        self.copy_from_bytes(GLib.Bytes.new(array.tobytes()), stream)
        return self


StridedView = override(StridedView)
__all__.append('StridedView')


def _host_memory_is_registered(address):
    """Whether the driver knows host memory at ``address`` (page-locked,
    registered or managed), so that kernels can use it in place."""
    try:
        device = Device.get(0)
        probe = CudaObj.Buffer.new_from_handle(device, address, 1, None)
    except GLib.Error:
        return False
    registered = probe.get_is_host_accessible()
    probe.close(None)
    return registered


def from_dlpack(obj, stream=None):
    """A :class:`CudaObj.StridedView` of any DLPack producer's memory (a PyTorch
    tensor, a CuPy or JAX array, a NumPy array in page-locked memory), without a
    copy. The producer's data stays alive as long as the view (and anything
    made from it); its deleter runs once, when the last goes.

    ``stream`` (a CudaObj.Stream, anything with ``__cuda_stream__`` or
    ``cuda_stream``, or a handle; default the legacy default stream) is where
    the view will be used: the producer orders its pending work before it.

    Host memory comes in only where CUDA knows it (page-locked or registered):
    plain NumPy arrays raise ``GLib.Error`` (``CudaObj.Error.NOT_SUPPORTED``);
    copy them with ``CudaObj.Buffer.from_numpy`` instead.
    """
    if isinstance(obj, CudaObj.StridedView):
        return obj
    if isinstance(obj, CudaObj.Buffer):
        return obj.view("uint8")
    if not hasattr(obj, "__dlpack__"):
        raise TypeError("%s does not speak DLPack (it has no __dlpack__)" % type(obj).__name__)
    device_type, _ = obj.__dlpack_device__()
    kwargs = {}
    if int(device_type) in (_kDLCUDA, _kDLCUDAManaged):
        handle = _stream_handle(stream)
        kwargs["stream"] = 1 if handle is None else handle
    try:
        capsule = obj.__dlpack__(max_version=_DLPACK_VERSION, **kwargs)
    except TypeError:  # a producer from before DLPack 1.0
        capsule = obj.__dlpack__(**kwargs)
    if _capsule_is_valid(capsule, _VERSIONED):
        name, used, versioned = _VERSIONED, _USED_VERSIONED, True
    elif _capsule_is_valid(capsule, _LEGACY):
        name, used, versioned = _LEGACY, _USED_LEGACY, False
    else:
        raise BufferError("__dlpack__ of %s gave no unused DLPack capsule" % type(obj).__name__)
    # On failure the capsule stays unconsumed and its destructor deletes the tensor.
    view = CudaObj.StridedView.new_from_dlpack(_capsule_get_pointer(capsule, name), versioned)
    _capsule_set_name(capsule, used)
    if int(device_type) == _kDLCPU and view.get_n_elements() != 0 \
            and not _host_memory_is_registered(view.get_data()):
        del view  # runs the producer's deleter
        raise _error(CudaObj.Error.NOT_SUPPORTED,
                     "from_dlpack: the %s's host memory is not page-locked or registered with CUDA, so it"
                     " cannot be used in place; copy it to the device with CudaObj.Buffer.from_numpy()"
                     % type(obj).__name__)
    return view


__all__.append('from_dlpack')
