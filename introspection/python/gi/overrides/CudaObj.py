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
import threading

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


def _raise(code, message):
    raise GLib.Error(message, CudaObj.error_quark(), code)


@_init_on_construction
class Device(CudaObj.Device):
    """A CUDA device; ``CudaObj.Device.get(0)`` gives the shared instance."""

    def __repr__(self):
        return "<CudaObj.Device %d: %s, sm_%s>" % (self.props.ordinal, self.props.name,
                                                  self.props.arch)


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
    _thread_state = threading.local()
    _introspected_launch = CudaObj.launch

    def _kernel_layout(kernel):
        layout = getattr(kernel, "_cudaobj_sizes", None)
        if layout is None:
            layout = tuple(kernel.get_argument_info(i)[2] for i in range(kernel.get_argument_count()))
            kernel._cudaobj_sizes = layout
        return layout

    def _set_argument(kargs, index, value, size):
        if isinstance(value, CudaObj.Buffer):
            kargs.set_buffer(index, value)
        elif isinstance(value, bool):
            if size == 1:
                kargs.set_bool(index, value)
            else:
                _set_int(kargs, index, int(value), size)
        elif isinstance(value, int):
            _set_int(kargs, index, value, size)
        elif isinstance(value, float):
            if size == 4:
                kargs.set_float(index, value)
            else:
                kargs.set_double(index, value)
        elif isinstance(value, (bytes, bytearray, memoryview)):
            kargs.set_data(index, bytes(value), 1)
        elif hasattr(value, "__cuda_array_interface__"):
            kargs.set_pointer(index, value.__cuda_array_interface__["data"][0])
        elif hasattr(value, "dtype") and hasattr(value, "tobytes"):
            # a numpy scalar or 0-d array: its own type, exactly
            data = value.tobytes()
            if len(data) != size:
                raise TypeError("argument %d is %s (%d bytes), but the kernel's parameter is %d bytes"
                                % (index, value.dtype, len(data), size))
            kargs.set_data(index, data, value.dtype.alignment)
        elif hasattr(value, "_fields_") or hasattr(value, "_length_"):
            kargs.set_data(index, bytes(value), 1)  # a ctypes struct or array
        else:
            raise TypeError("argument %d: cannot pass %s to a kernel" % (index, type(value).__name__))

    def _set_int(kargs, index, value, size):
        if size == 8:
            (kargs.set_int64 if value < 0 else kargs.set_uint64)(index, value)
        elif size == 4:
            (kargs.set_int32 if value < 0 else kargs.set_uint32)(index, value)
        elif size == 2:
            (kargs.set_int16 if value < 0 else kargs.set_uint16)(index, value)
        elif size == 1:
            (kargs.set_int8 if value < 0 else kargs.set_uint8)(index, value)
        else:
            raise TypeError("argument %d is an int, but the kernel's parameter is %d bytes" % (index, size))

    def launch(stream, config, kernel, *args):
        """Launches ``kernel`` on ``stream`` with ``config``.

        ``args`` are either one prepared :class:`CudaObj.KernelArgs` or the
        kernel's arguments as Python values, converted by the size of each of
        the kernel's parameters. Wrong counts and sizes raise ``GLib.Error``
        (``CudaObj.Error.INVALID_ARGUMENT``) before anything is launched.
        """
        if len(args) == 1 and isinstance(args[0], CudaObj.KernelArgs):
            return _introspected_launch(stream, config, kernel, args[0])
        sizes = _kernel_layout(kernel)
        if len(args) != len(sizes):
            _raise(CudaObj.Error.INVALID_ARGUMENT, "Kernel %s takes %d argument%s, but %d %s given"
                   % (kernel.get_name(), len(sizes), "" if len(sizes) == 1 else "s", len(args),
                      "was" if len(args) == 1 else "were"))
        # Prepared arguments are reused per kernel and thread: each launch only
        # sets the slots.
        cache = getattr(_thread_state, "args", None)
        if cache is None:
            cache = _thread_state.args = {}
        key = kernel.get_handle()
        entry = cache.get(key)
        if entry is None or entry[0] is not kernel:
            entry = cache[key] = (kernel, CudaObj.KernelArgs.new_for_kernel(kernel))
        kargs = entry[1]
        for index, value in enumerate(args):
            _set_argument(kargs, index, value, sizes[index])
        return _introspected_launch(stream, config, kernel, kargs)

    __all__.append("launch")
