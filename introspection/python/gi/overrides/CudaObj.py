"""PyGObject overrides for CudaObj: what a Python user expects beyond the
introspected C API."""
from ..importer import modules
from ..overrides import override

CudaObj = modules["CudaObj"]._introspection_module
from gi.repository import Gio  # noqa: E402

__all__ = []


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


@_init_on_construction
class Device(CudaObj.Device):
    """A CUDA device; ``CudaObj.Device.get(0)`` gives the shared instance."""

    def __repr__(self):
        return "<CudaObj.Device %d: %s, sm_%s>" % (self.props.ordinal, self.props.name,
                                                  self.props.arch)


Device = override(Device)
__all__.append("Device")
