# SPDX-License-Identifier: LGPL-2.1-or-later
"""GraphicsResource from Python: the checks made before the driver is asked
(the GL interop itself is tested in C, headless through EGL)."""
import gi
import pytest

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib, GObject  # noqa: E402

BUFFER, IMAGE = CudaObj.GraphicsResourceKind.BUFFER, CudaObj.GraphicsResourceKind.IMAGE
F = CudaObj.GraphicsRegisterFlags
GL_TEXTURE_2D = 0x0DE1

# (id, construct properties, part of the message)
REFUSED = [
    ("buffer-name-0", dict(kind=BUFFER), "0 is not a GL buffer object name"),
    ("image-name-0", dict(kind=IMAGE, gl_target=GL_TEXTURE_2D), "0 is not a GL image name"),
    ("read-only-and-discard", dict(kind=BUFFER, gl_name=3, register_flags=F.READ_ONLY | F.WRITE_DISCARD),
     "exclude each other"),
    ("buffer-surface", dict(kind=BUFFER, gl_name=3, register_flags=F.SURFACE_LOAD_STORE), "are for GL images"),
    ("image-target-0", dict(kind=IMAGE, gl_name=3), "GL target 0x0000 cannot be registered"),
    ("image-target-buffer", dict(kind=IMAGE, gl_name=3, gl_target=0x8892), "GL target 0x8892"),
    ("no-device", dict(kind=IMAGE, gl_name=3, gl_target=GL_TEXTURE_2D), "device must not be NULL"),
]


@pytest.mark.parametrize("properties, message", [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_registration_refused(properties, message):
    with pytest.raises(GLib.Error) as info:
        CudaObj.GraphicsResource(**properties)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert message in info.value.message


def test_uninitialized_methods_raise():
    # Made without GInitable's init, as a careless binding user can.
    resource = GObject.new(CudaObj.GraphicsResource)
    assert resource.get_closed() and not resource.get_mapped()
    for call in (lambda: resource.map(None), lambda: resource.unmap(None), resource.get_mapped_buffer,
                 lambda: resource.get_mapped_array_handle(0, 0),
                 lambda: resource.get_mapped_array(0, 0), resource.close,
                 lambda: resource.set_map_usage(CudaObj.GraphicsMapUsage.WRITE_DISCARD)):
        with pytest.raises(GLib.Error) as info:
            call()
        assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED)

