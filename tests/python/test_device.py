# SPDX-License-Identifier: LGPL-2.1-or-later
"""Device, loader and errors from Python through PyGObject."""
import re

import gi
import pytest

gi.require_version("CudaObj", "1.0")
from gi.module import get_introspection_module  # noqa: E402
from gi.repository import CudaObj, Gio, GLib  # noqa: E402


def test_driver_error_enum_names_every_code():
    assert CudaObj.DriverError.OUT_OF_MEMORY == 2
    assert CudaObj.DriverError.UNKNOWN == 999
    assert CudaObj.driver_error_get_name(2) == "CUDA_ERROR_OUT_OF_MEMORY"
    assert CudaObj.driver_error_get_name(123456) is None


def test_device_attribute_enum():
    assert CudaObj.DeviceAttribute.WARP_SIZE == 10
    assert CudaObj.DeviceAttribute.MAX_THREADS_PER_BLOCK == 1


def test_loader_loads_nvrtc():
    CudaObj.Library.load(CudaObj.Library.NVRTC)
    path = CudaObj.Library.get_path(CudaObj.Library.NVRTC)
    assert path and "libnvrtc" in path
    ok, major, minor = CudaObj.get_nvrtc_version()
    assert ok and major >= 12 and minor >= 0


def test_loader_report():
    report = CudaObj.get_loader_report()
    assert "NVRTC" in report and "CUDA driver" in report


def test_loader_search_paths(monkeypatch):
    monkeypatch.setenv("CUDA_PATH", "/opt/toolkit")
    paths = CudaObj.Library.get_search_paths(CudaObj.Library.NVJITLINK)
    # Wheel layouts under the site directories come first, then CUDA_PATH.
    toolkit = [p for p in paths if p.startswith("/opt/toolkit/")]
    assert toolkit[0] == "/opt/toolkit/lib64/libnvJitLink.so.13"
    assert CudaObj.Library.get_override_variable(CudaObj.Library.NVVM) == "CUDA_OBJ_NVVM_LIBRARY"


def test_no_driver_raises_clear_error(no_driver):
    with pytest.raises(GLib.Error) as info:
        CudaObj.Device.get(0)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND)
    assert "libcuda.so.1" in info.value.message
    # Constructing directly goes through GInitable and raises too.
    with pytest.raises(GLib.Error):
        CudaObj.Device(ordinal=0)


def _initable_class_names():
    introspected = get_introspection_module("CudaObj")
    return sorted(name for name in dir(introspected)
                  if isinstance(getattr(introspected, name), type)
                  and issubclass(getattr(introspected, name), Gio.Initable))


def test_every_initable_class_has_an_override_constructor():
    names = _initable_class_names()
    assert {"Buffer", "Device", "Event", "Graph", "GraphBuilder", "ObjectCode", "Stream"} <= set(names)
    missing = [name for name in names
               if getattr(CudaObj, name).__module__ != "gi.overrides.CudaObj"
               or "__init__" not in vars(getattr(CudaObj, name))]
    # A new GInitable class needs its `class X(CudaObj.X)` with an __init__
    # that runs Gio.Initable.init, or its constructor returns broken objects.
    assert missing == [], "no raising constructor in the overrides for: " + ", ".join(missing)


# Constructions that fail with or without a driver and a GPU: (class,
# properties, code with a driver, code without one).
FAILING_CONSTRUCTIONS = [
    ("Buffer", {}, CudaObj.Error.INVALID_ARGUMENT, CudaObj.Error.INVALID_ARGUMENT),
    ("Device", {"ordinal": 4096}, CudaObj.Error.NO_DEVICE, CudaObj.Error.LIBRARY_NOT_FOUND),
    ("Stream", {}, CudaObj.Error.INVALID_ARGUMENT, CudaObj.Error.LIBRARY_NOT_FOUND),
    ("Event", {}, CudaObj.Error.INVALID_ARGUMENT, CudaObj.Error.LIBRARY_NOT_FOUND),
    ("ObjectCode", {}, CudaObj.Error.INVALID_ARGUMENT, CudaObj.Error.INVALID_ARGUMENT),
    ("GraphBuilder", {}, CudaObj.Error.INVALID_ARGUMENT, CudaObj.Error.INVALID_ARGUMENT),
    ("Graph", {}, CudaObj.Error.INVALID_ARGUMENT, CudaObj.Error.INVALID_ARGUMENT),
    ("GraphCondition", {}, CudaObj.Error.INVALID_ARGUMENT, CudaObj.Error.INVALID_ARGUMENT),
    ("GraphicsResource", {}, CudaObj.Error.INVALID_ARGUMENT, CudaObj.Error.INVALID_ARGUMENT),
]


@pytest.mark.parametrize("name, properties, with_driver, without_driver", FAILING_CONSTRUCTIONS,
                         ids=[case[0] for case in FAILING_CONSTRUCTIONS])
def test_constructor_raises_instead_of_returning_a_broken_object(name, properties, with_driver,
                                                                 without_driver):
    try:
        CudaObj.Library.load(CudaObj.Library.DRIVER)
        expected = with_driver
    except GLib.Error:
        expected = without_driver
    with pytest.raises(GLib.Error) as info:
        getattr(CudaObj, name)(**properties)
    assert info.value.matches(CudaObj.error_quark(), expected), info.value.message
    # The library stays usable.
    assert CudaObj.ProgramOptions(arch="sm_90").to_argv() == ["--gpu-architecture=sm_90"]


def test_device_properties(device):
    assert device.props.name
    assert device.props.arch == "%d%d" % (device.props.compute_capability_major,
                                          device.props.compute_capability_minor)
    assert device.props.total_memory > 1 << 30
    assert device.props.warp_size == 32
    assert device.get_max_threads_per_block() == 1024
    assert re.fullmatch(r"GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", device.props.uuid)
    assert device.props.ordinal == 0


def test_device_shared_instance(device):
    assert CudaObj.Device.get(0) is device
    assert [d.props.ordinal for d in CudaObj.Device.get_all()] == list(range(CudaObj.Device.get_count()))


def test_device_attribute_and_memory(device):
    assert device.get_attribute(CudaObj.DeviceAttribute.WARP_SIZE) == 32
    ok, free, total = device.get_memory_info()
    assert ok and 0 < free <= total == device.props.total_memory


def test_device_bad_input_raises(device):
    with pytest.raises(GLib.Error) as info:
        CudaObj.Device.get(CudaObj.Device.get_count())
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.NO_DEVICE)
    # Still usable afterwards.
    assert device.get_attribute(CudaObj.DeviceAttribute.WARP_SIZE) == 32


def test_device_peer_self_and_sync(device):
    assert device.can_access_peer(device)
    assert device.enable_peer_access(device)
    assert device.enable_peer_access(device)
    assert device.synchronize()
    assert device.make_current()
