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
        """Takes the construct properties (``device``, ``priority``,
        ``non_blocking``).

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

    @property
    def __cuda_stream__(self):
        """The stream protocol: ``(0, handle)``, version 0 and the ``CUstream``
        as an int, as CuPy, PyTorch and cuda.core read it."""
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
            method giving ``(version, handle)``), or a ``CUstream`` handle as int;
            it is kept alive as long as the returned stream
        :param device: the :class:`CudaObj.Device` the stream belongs to
            (default: device 0)
        :returns: a :class:`CudaObj.Stream` that never destroys the handle
        :raises GLib.Error: no driver, or the handle is 0
        """
        if hasattr(obj, '__cuda_stream__'):
            protocol = obj.__cuda_stream__
            if callable(protocol):
                protocol = protocol()
            handle = int(protocol[1])
        else:
            handle = int(obj)
        stream = CudaObj.Stream.new_from_handle(device or Device.get(0), handle, None)
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
        (``|u1``); :meth:`view` gives a typed one."""
        return _CudaArray(self, '|u1', (self.get_size(),)).__cuda_array_interface__

    def view(self, dtype, shape=None):
        """A typed window for libraries that read ``__cuda_array_interface__``,
        e.g. ``cupy.asarray(buffer.view('float32'))``.

        :param dtype: a numpy dtype or its name
        :param shape: the array's shape (default: as many elements as fit)
        :returns: an object with ``__cuda_array_interface__`` that keeps the
            buffer alive
        :raises GLib.Error: the shape does not fit
            (``CudaObj.Error.INVALID_ARGUMENT``)
        """
        numpy = _numpy()
        dtype = numpy.dtype(dtype)
        if shape is None:
            shape = (self.get_size() // dtype.itemsize,)
        if int(numpy.prod(shape)) * dtype.itemsize > self.get_size():
            raise _error(CudaObj.Error.INVALID_ARGUMENT,
                         'a %s view of shape %s is larger than the buffer (%d bytes)'
                         % (dtype, tuple(shape), self.get_size()))
        return _CudaArray(self, dtype.str, shape)

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


class PinnedMemoryResource(CudaObj.PinnedMemoryResource):
    """Page-locked host memory that devices reach."""

    def __init__(self, **properties):
        """Takes the construct properties (``device``).

        :raises GLib.Error: no device or no driver
        """
        super().__init__(**properties)
        _initialize(self)


PinnedMemoryResource = override(PinnedMemoryResource)
__all__.append('PinnedMemoryResource')


class ManagedMemoryResource(CudaObj.ManagedMemoryResource):
    """Unified memory that migrates between host and device."""

    def __init__(self, **properties):
        """Takes the construct properties (``device``).

        :raises GLib.Error: no device or no driver
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
# (this module's close, the C API, another language).

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
    """notify::closed of a buffer that a launch took: forget its address and
    every packing that holds it."""
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
        # Once per buffer: its close (from anywhere) drops what holds this address.
        buffer.connect('notify::closed', _buffer_closed)
    address = buffer.get_handle()
    if buffer.get_closed():  # closed by another thread meanwhile
        raise _error(CudaObj.Error.CLOSED, 'Argument %d is a closed buffer' % index)
    buffer._cudaobj_address = (_resets[0], address)
    return address


def _reusable(value):
    if type(value) in _IMMUTABLE or isinstance(value, CudaObj.Buffer):
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
        anything with ``__cuda_array_interface__``) its device address; a numpy
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
