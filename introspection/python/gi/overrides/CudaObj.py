"""PyGObject overrides for CudaObj: what a Python user expects beyond the
introspected C API.

- Constructors of fallible classes raise ``GLib.Error`` (GInitable runs).
- ``CudaObj.launch(stream, config, kernel, *args)`` takes Buffers, ints,
  floats, bools, numpy scalars and raw bytes and converts each by the size
  of the kernel's parameter (an int in an 8-byte slot is a 64-bit integer or
  an address, a float in a 4-byte slot a float32, ...).
- Buffers and Streams speak ``__cuda_array_interface__`` / ``__cuda_stream__``
  and can be built from objects that do (CuPy, PyTorch, Numba); Buffers copy
  to and from numpy arrays without an extra copy.
- Buffers and Streams are context managers that close on exit.
"""
from ..importer import modules
from ..overrides import override
from gi.repository import GLib, Gio  # noqa: E402

CudaObj = modules["CudaObj"]._introspection_module

__all__ = []


def _export(cls):
    cls = override(cls)
    __all__.append(cls.__name__)
    return cls


def _init_on_construction(cls):
    """Makes ``cls(**props)`` run GInitable's init, so that a constructor
    raises GLib.Error instead of returning an object that failed to set up
    (PyGObject only constructs)."""
    gobject_init = cls.__init__

    def __init__(self, *args, **kwargs):
        gobject_init(self, *args, **kwargs)
        Gio.Initable.init(self, None)

    __init__.__doc__ = gobject_init.__doc__
    cls.__init__ = __init__
    return cls


def _closing(cls):
    """``with obj: ...`` closes obj on exit."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()  # Stream.close() takes no stream; Buffer.close(stream=None)
        return False

    cls.__enter__ = __enter__
    cls.__exit__ = __exit__
    return cls


def _error(code, message):
    return GLib.Error(message, GLib.quark_to_string(CudaObj.error_quark()), code)


def _raise(code, message):
    raise _error(code, message)


# Buffer.close() calls so far: a launch's packed arguments that name a buffer
# are reused only while no buffer was closed since.
_closes = [0]
# The attribute that caches a Buffer's address for launches; Device.reset()
# renames it, since the reset closes every buffer of the old context.
_address_attr = ["_cudaobj_address"]


@_init_on_construction
class Device(CudaObj.Device):
    """A CUDA device; ``CudaObj.Device.get(0)`` gives the shared instance."""

    def __repr__(self):
        return "<CudaObj.Device %d: %s, sm_%s>" % (self.props.ordinal, self.props.name,
                                                  self.props.arch)

    def reset(self):
        """Resets the device after a fault (see the C documentation)."""
        # Addresses cached for launches belong to the old context.
        _closes[0] += 1
        _address_attr[0] = "_cudaobj_address_%d" % _closes[0]
        return CudaObj.Device.reset(self)


Device = _export(Device)


# Classes whose construction can fail: a plain constructor call raises.
for _name in ("Event", "DeviceMemoryResource", "PinnedMemoryResource",
              "ManagedMemoryResource", "SyncMemoryResource", "ObjectCode",
              "GraphBuilder", "Graph"):
    _base = getattr(CudaObj, _name, None)
    if _base is not None and issubclass(_base, Gio.Initable):
        globals()[_name] = _export(_init_on_construction(type(_name, (_base,), {"__module__": __name__})))


class _Capture:
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


if hasattr(CudaObj, "Stream"):

    @_closing
    @_init_on_construction
    class Stream(CudaObj.Stream):
        """A CUDA stream. ``with device.create_stream() as s: ...`` closes it on exit."""

        @property
        def __cuda_stream__(self):
            """The stream protocol (version 0, handle) that CuPy, PyTorch and cuda.core read."""
            return (0, self.get_handle())

        def capture(self, mode=None):
            """``with stream.capture() as builder: ...`` records what is enqueued on
            the stream into ``builder`` (a :class:`CudaObj.GraphBuilder`); the
            capture ends when the block ends normally and is aborted on an
            exception. Then ``builder.complete(...)`` gives the executable graph."""
            return _Capture(self, CudaObj.CaptureMode.GLOBAL if mode is None else mode)

        @classmethod
        def from_foreign(cls, obj, device=None):
            """Wraps another library's stream (anything with ``__cuda_stream__``,
            or a handle as int) without owning it; ``obj`` is kept alive."""
            if hasattr(obj, "__cuda_stream__"):
                protocol = obj.__cuda_stream__
                if callable(protocol):
                    protocol = protocol()
                handle = int(protocol[1])
            else:
                handle = int(obj)
            stream = CudaObj.Stream.new_from_handle(device or Device.get(0), handle, None)
            stream._cudaobj_owner = obj
            return stream

    Stream = _export(Stream)


if hasattr(CudaObj, "Buffer"):

    class _CudaArray:
        """A typed view of a Buffer for libraries that read
        ``__cuda_array_interface__`` (CuPy, Numba, PyTorch)."""

        def __init__(self, buffer, typestr, shape):
            self.buffer = buffer
            self.__cuda_array_interface__ = {
                "shape": tuple(shape), "typestr": typestr, "strides": None,
                "data": (buffer.get_handle(), False), "version": 3, "stream": None,
            }

    @_closing
    @_init_on_construction
    class Buffer(CudaObj.Buffer):
        """Memory on (or visible to) a device."""

        def __len__(self):
            return self.get_size()

        def close(self, stream=None):
            """Frees the buffer in ``stream``'s order (see the C documentation)."""
            self.__dict__.pop(_address_attr[0], None)
            _closes[0] += 1  # launches packed with this buffer's address are stale now
            return CudaObj.Buffer.close(self, stream)

        def __repr__(self):
            return "<CudaObj.Buffer 0x%x, %d bytes%s>" % (self.get_handle(), self.get_size(),
                                                          ", closed" if self.get_closed() else "")

        @property
        def __cuda_array_interface__(self):
            """The buffer as bytes (``|u1``); use :meth:`view` for a typed array."""
            return _CudaArray(self, "|u1", (self.get_size(),)).__cuda_array_interface__

        def view(self, dtype, shape=None):
            """An object with ``__cuda_array_interface__`` that sees the buffer as
            ``dtype`` elements (numpy dtype or its string), e.g. for ``cupy.asarray``."""
            import numpy
            dtype = numpy.dtype(dtype)
            if shape is None:
                shape = (self.get_size() // dtype.itemsize,)
            if int(numpy.prod(shape)) * dtype.itemsize > self.get_size():
                _raise(CudaObj.Error.INVALID_ARGUMENT, "a %s view of shape %s is larger than the buffer (%d bytes)"
                       % (dtype, tuple(shape), self.get_size()))
            return _CudaArray(self, dtype.str, shape)

        def host_array(self, dtype="uint8", shape=None):
            """A numpy array over the buffer's own memory, without copying, for
            host-accessible buffers (pinned or managed). Synchronize the work that
            uses the buffer before touching the array."""
            import ctypes
            import numpy
            if not self.get_is_host_accessible():
                _raise(CudaObj.Error.INVALID_ARGUMENT, "the buffer is not host-accessible")
            dtype = numpy.dtype(dtype)
            if shape is None:
                shape = (self.get_size() // dtype.itemsize,)
            nbytes = int(numpy.prod(shape)) * dtype.itemsize
            if nbytes > self.get_size():
                _raise(CudaObj.Error.INVALID_ARGUMENT, "a %s array of shape %s is larger than the buffer"
                       % (dtype, tuple(shape)))
            raw = (ctypes.c_uint8 * nbytes).from_address(self.get_handle())
            raw._cudaobj_buffer = self  # the memory lives as long as the array
            return numpy.frombuffer(raw, dtype=dtype).reshape(shape)

        def copy_from_numpy(self, array, offset=0, stream=None):
            """Copies a numpy array (or anything with the buffer protocol) into the
            buffer at ``offset`` straight from its memory; returns once done."""
            import numpy
            array = numpy.ascontiguousarray(array)
            self.copy_from_host(array.ctypes.data, array.nbytes, offset, stream)
            # The array's memory must outlive the copy: wait for it.
            (stream.synchronize() if stream is not None else self.get_device().synchronize())
            return self

        def copy_to_numpy(self, out=None, dtype="uint8", offset=0, stream=None):
            """Copies the buffer (from ``offset``) into ``out``, or into a new numpy
            array of ``dtype`` covering the rest of the buffer; returns the array."""
            import numpy
            if out is None:
                dtype = numpy.dtype(dtype)
                out = numpy.empty((self.get_size() - offset) // dtype.itemsize, dtype=dtype)
            elif not out.flags.c_contiguous or not out.flags.writeable:
                raise ValueError("out must be a writable C-contiguous array")
            self.copy_to_host(out.ctypes.data, out.nbytes, offset, stream)
            (stream.synchronize() if stream is not None else self.get_device().synchronize())
            return out

        @classmethod
        def from_numpy(cls, array, device=None, stream=None):
            """Allocates a buffer on ``device`` (default: device 0) from its default
            memory resource and copies ``array`` into it."""
            import numpy
            array = numpy.ascontiguousarray(array)
            device = device or Device.get(0)
            buffer = device.allocate(max(array.nbytes, 1), stream)
            return buffer.copy_from_numpy(array, 0, stream)

        @classmethod
        def from_cuda_array(cls, obj, device=None):
            """Wraps memory of another library (anything with
            ``__cuda_array_interface__``: CuPy, PyTorch, Numba) without copying or
            owning it; ``obj`` is kept alive as long as the buffer."""
            import numpy
            interface = obj.__cuda_array_interface__
            if interface.get("strides") not in (None, ()):
                itemsize = numpy.dtype(interface["typestr"]).itemsize
                expected, strides = itemsize, []
                for extent in reversed(interface["shape"]):
                    strides.insert(0, expected)
                    expected *= extent
                if tuple(interface["strides"]) != tuple(strides):
                    raise ValueError("only C-contiguous arrays can be wrapped")
            nbytes = int(numpy.prod(interface["shape"])) * numpy.dtype(interface["typestr"]).itemsize
            buffer = CudaObj.Buffer.new_from_handle(device or Device.get(0), interface["data"][0],
                                                    nbytes, None)
            buffer._cudaobj_owner = obj
            return buffer

    Buffer = _export(Buffer)


if hasattr(CudaObj, "Program"):

    class Program(CudaObj.Program):
        """Code to compile: CUDA C++ (NVRTC), PTX or NVVM IR."""

        def compile(self, target=None, name_expressions=None):
            """Compiles to ``target`` (a :class:`CudaObj.CodeType`, CUBIN by
            default), with optional name expressions for templates."""
            return CudaObj.Program.compile(self, CudaObj.CodeType.CUBIN if target is None else target,
                                           name_expressions)

    Program = _export(Program)


if hasattr(CudaObj, "Kernel"):
    import operator as _operator
    import struct as _struct
    import sys as _sys

    _introspected_launch = CudaObj.launch
    _launch_packed = CudaObj.launch_packed
    _INT_CODES = {1: ("b", "B"), 2: ("h", "H"), 4: ("i", "I"), 8: ("q", "Q")}
    _FLOAT_CODES = {2: "e", 4: "f", 8: "d"}
    _NUMPY_CODES = {"i": {1: "b", 2: "h", 4: "i", 8: "q"}, "u": {1: "B", 2: "H", 4: "I", 8: "Q"},
                    "f": {2: "e", 4: "f", 8: "d"}, "b": {1: "?"}}

    class _Plan:
        """A kernel's parameter layout and the struct formats seen for it."""

        def __init__(self, kernel):
            infos = [kernel.get_argument_info(i) for i in range(kernel.get_argument_count())]
            self.offsets = tuple(info[1] for info in infos)
            self.sizes = tuple(info[2] for info in infos)
            self.formats = {}
            # (arguments, packed bytes, _closes[0]) of the last launch whose
            # arguments are all immutable: the same objects pack the same.
            self.last = None

        def struct_for(self, codes):
            packer = self.formats.get(codes)
            if packer is None:
                parts, position = ["<"], 0
                for offset, size, code in zip(self.offsets, self.sizes, codes):
                    parts.append("%dx" % (offset - position) if offset > position else "")
                    parts.append(code)
                    position = offset + size
                packer = self.formats[codes] = _struct.Struct("".join(parts))
            return packer

    def _plan(kernel):
        plan = kernel.__dict__.get("_cudaobj_plan")
        if plan is None:
            plan = kernel._cudaobj_plan = _Plan(kernel)
        return plan

    def _buffer_address(buffer, index):
        attr = _address_attr[0]
        address = buffer.__dict__.get(attr)
        if address is None:
            if buffer.get_closed():
                raise _error(CudaObj.Error.CLOSED, "Argument %d is a closed buffer" % index)
            address = buffer.__dict__[attr] = buffer.get_handle()
        return address

    _IMMUTABLE = (int, float, bool, bytes)

    def _reusable(value):
        if type(value) in _IMMUTABLE or isinstance(value, CudaObj.Buffer):
            return True
        numpy = _sys.modules.get("numpy")
        return numpy is not None and isinstance(value, numpy.generic)

    def _code_and_value(value, index, size):
        """The struct code and value of one argument, by the parameter's size."""
        kind = type(value)
        if kind is int:
            if size not in _INT_CODES:
                raise TypeError("argument %d is an int, but the kernel's parameter is %d bytes" % (index, size))
            return _INT_CODES[size][value >= 0], value
        if kind is float:
            if size not in _FLOAT_CODES:
                raise TypeError("argument %d is a float, but the kernel's parameter is %d bytes" % (index, size))
            return _FLOAT_CODES[size], value
        if kind is bool:
            return ("?", value) if size == 1 else (_INT_CODES[size][1], int(value))
        if isinstance(value, CudaObj.Buffer):
            return "Q", _buffer_address(value, index)
        if isinstance(value, (bytes, bytearray, memoryview)):
            return "%ds" % size, _exact_bytes(bytes(value), index, size)
        if hasattr(value, "__cuda_array_interface__"):
            return "Q", value.__cuda_array_interface__["data"][0]
        if hasattr(value, "dtype") and hasattr(value, "tobytes"):
            # a numpy scalar or 0-d array: its own type, exactly
            code = _NUMPY_CODES.get(value.dtype.kind, {}).get(value.dtype.itemsize)
            if value.dtype.itemsize != size:
                raise TypeError("argument %d is %s (%d bytes), but the kernel's parameter is %d bytes"
                                % (index, value.dtype, value.dtype.itemsize, size))
            if code is None:
                return "%ds" % size, value.tobytes()
            return code, value.item()
        if isinstance(value, int):  # int subclasses, e.g. IntEnum
            return _code_and_value(int(value), index, size)
        if isinstance(value, float):
            return _code_and_value(float(value), index, size)
        if hasattr(value, "_fields_") or hasattr(value, "_length_"):
            return "%ds" % size, _exact_bytes(bytes(value), index, size)  # a ctypes struct or array
        raise TypeError("argument %d: cannot pass %s to a kernel" % (index, type(value).__name__))

    def _exact_bytes(data, index, size):
        if len(data) != size:
            raise TypeError("argument %d is %d bytes, but the kernel's parameter is %d bytes"
                            % (index, len(data), size))
        return data

    def launch(stream, config, kernel, *args):
        """Launches ``kernel`` on ``stream`` with ``config``.

        ``args`` are either one prepared :class:`CudaObj.KernelArgs` or the
        kernel's arguments as Python values, converted by the size of each of
        the kernel's parameters: an int in an 8-byte parameter is a 64-bit
        integer (or an address), a float in a 4-byte parameter a float32, a
        Buffer its device address; numpy scalars keep their own type (a size
        mismatch raises TypeError); bytes and ctypes structs go by value. The
        values are packed into the kernel's parameter buffer and launched in one
        call; launching again with the very same (immutable) objects reuses that
        packing, so the last such arguments of each kernel stay referenced until
        its next launch with others. A wrong count raises ``GLib.Error`` (``CudaObj.Error.INVALID_ARGUMENT``),
        a closed Buffer ``CudaObj.Error.CLOSED``, before anything is launched.
        """
        plan = kernel.__dict__.get("_cudaobj_plan") or _plan(kernel)
        last = plan.last
        # The common loop launches with the very same objects: reuse their packing.
        if (last is not None and len(args) == len(last[0]) and last[2] == _closes[0]
                and all(map(_operator.is_, args, last[0]))):
            return _launch_packed(stream, config, kernel, last[1])
        if len(args) == 1 and isinstance(args[0], CudaObj.KernelArgs):
            return _introspected_launch(stream, config, kernel, args[0])
        sizes = plan.sizes
        if len(args) != len(sizes):
            _raise(CudaObj.Error.INVALID_ARGUMENT, "Kernel %s takes %d argument%s, but %d %s given"
                   % (kernel.get_name(), len(sizes), "" if len(sizes) == 1 else "s", len(args),
                      "was" if len(args) == 1 else "were"))
        codes, values = [], []
        for index, value in enumerate(args):
            code, converted = _code_and_value(value, index, sizes[index])
            codes.append(code)
            values.append(converted)
        try:
            data = plan.struct_for(tuple(codes)).pack(*values)
        except _struct.error as e:
            raise TypeError("cannot pack the arguments of kernel %s: %s" % (kernel.get_name(), e)) from None
        generation = _closes[0]
        result = _launch_packed(stream, config, kernel, data)
        if all(map(_reusable, args)):
            plan.last = (args, data, generation)
        return result

    __all__.append("launch")
