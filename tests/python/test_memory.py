# SPDX-License-Identifier: LGPL-2.1-or-later
"""Memory resources and buffers from Python, including a resource written in
Python that implements CudaObj.MemoryResource."""
import ctypes
import gc

import gi
import pytest

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib, GObject  # noqa: E402


def pattern(size, seed=0):
    return bytes((i * 7 + seed) & 0xFF for i in range(size))


class Recording(GObject.Object, CudaObj.MemoryResource):
    """A resource in Python: memory from an inner resource (or none), every
    call recorded."""

    device = GObject.Property(type=CudaObj.Device)
    is_device_accessible = GObject.Property(type=bool, default=True)
    is_host_accessible = GObject.Property(type=bool, default=False)

    def __init__(self, inner=None, device=None):
        super().__init__(device=device if device is not None else inner and inner.get_device())
        self.inner = inner
        self.live = {}
        self.allocations = []
        self.deallocations = []

    def do_allocate(self, size, stream):
        self.allocations.append((size, stream))
        if self.inner is None:
            raise GLib.Error.new_literal(CudaObj.error_quark(), "no memory here",
                                         CudaObj.Error.NOT_SUPPORTED)
        block = self.inner.allocate(size, stream)
        self.live[block.get_handle()] = block
        return CudaObj.Buffer.new_for_resource(self, block.get_handle(), size)

    def do_deallocate(self, handle, size, stream):
        self.deallocations.append((handle, size, stream))
        block = self.live.pop(handle, None)
        if block is not None:
            block.close(stream)
        return True


# Without a GPU.

def test_python_resource_dispatch():
    resource = Recording()
    assert isinstance(resource, CudaObj.MemoryResource)
    assert resource.get_is_device_accessible() and not resource.get_is_host_accessible()
    assert resource.get_device() is None
    assert resource.deallocate(0x7F0000001000, 4096, None)
    assert resource.deallocations == [(0x7F0000001000, 4096, None)]
    # The zero size is refused before Python sees it.
    with pytest.raises(GLib.Error) as info:
        resource.allocate(0, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert resource.allocations == []
    # A GLib.Error raised in do_allocate reaches the caller.
    with pytest.raises(GLib.Error) as info:
        resource.allocate(64, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.NOT_SUPPORTED)
    assert info.value.message == "no memory here"
    assert resource.allocations == [(64, None)]


def test_buffer_construction_checks():
    resource = Recording()
    with pytest.raises(GLib.Error) as info:
        CudaObj.Buffer.new_for_resource(resource, 0x1000, 64)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert "no device" in info.value.message
    with pytest.raises(GLib.Error) as info:
        CudaObj.Buffer.new_for_resource(resource, 0, 64)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert resource.deallocations == []


def test_resources_without_driver_raise(no_driver):
    for cls in (CudaObj.DeviceMemoryResource, CudaObj.LegacyPinnedMemoryResource,
                CudaObj.ManagedMemoryResource, CudaObj.SyncMemoryResource):
        with pytest.raises(GLib.Error) as info:
            cls.new(None) if cls is not CudaObj.DeviceMemoryResource else cls.new(None, False)
        assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND)
        with pytest.raises(GLib.Error) as info:
            cls()
        assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND)


# With a GPU.

def test_allocate_round_trip_close(device):
    buffer = device.allocate(4096, None)
    assert buffer.props.size == 4096 and buffer.get_size() == 4096
    assert buffer.props.handle != 0 and buffer.props.device is device
    assert buffer.props.is_device_accessible and not buffer.props.is_host_accessible
    assert isinstance(buffer.props.memory_resource, CudaObj.MemoryResource)
    data = pattern(4096)
    buffer.copy_from_bytes(GLib.Bytes.new(data), 0, None)
    assert buffer.copy_to_bytes(0, -1, None).get_data() == data
    assert buffer.copy_to_bytes(100, 10, None).get_data() == data[100:110]
    assert buffer.close(None)
    assert buffer.props.closed and buffer.props.handle == 0
    assert buffer.close(None)


def test_each_resource(device):
    resources = [CudaObj.LegacyPinnedMemoryResource.new(device), CudaObj.ManagedMemoryResource.new(device),
                 CudaObj.SyncMemoryResource.new(device)]
    if device.props.memory_pools_supported:
        resources += [CudaObj.DeviceMemoryResource.new(device, False),
                      CudaObj.DeviceMemoryResource(device=device, own_pool=True)]
    stream = device.create_stream()
    for resource in resources:
        buffer = resource.allocate(1000, stream)
        assert buffer.props.memory_resource is resource
        assert buffer.props.is_host_accessible == resource.props.is_host_accessible
        data = pattern(1000, 3)
        buffer.copy_from_bytes(GLib.Bytes.new(data), 0, stream)
        assert buffer.copy_to_bytes(0, -1, stream).get_data() == data
        assert buffer.close(stream)
    stream.synchronize()


def test_pinned_buffer_maps_to_host(device):
    pinned = CudaObj.LegacyPinnedMemoryResource.new(device).allocate(256, None)
    assert pinned.get_is_host_accessible()
    pinned.fill(0x41, 1, 0, 256, None)
    device.synchronize()
    # The handle is a host address the CPU reads directly.
    assert ctypes.string_at(pinned.get_handle(), 256) == b"A" * 256
    pinned.close(None)


def test_copy_host_addresses(device):
    buffer = device.allocate(64, None)
    source = ctypes.create_string_buffer(pattern(64, 5), 64)
    target = ctypes.create_string_buffer(64)
    stream = device.create_stream()
    buffer.copy_from_host(ctypes.addressof(source), 64, 0, stream)
    buffer.copy_to_host(ctypes.addressof(target), 32, 32, stream)
    stream.synchronize()
    assert target.raw[:32] == pattern(64, 5)[32:]


def test_copy_to_and_fill(device):
    a, b = device.allocate(1024, None), device.allocate(1024, None)
    a.fill(0xBEEF, 2, 0, 512, None)
    a.copy_to(b, 0, 0, 1024, None)
    assert b.copy_to_bytes(0, -1, None).get_data() == b"\xef\xbe" * 512
    b.fill(0x01020304, 4, 1020, 1, None)
    assert b.copy_to_bytes(1020, 4, None).get_data() == b"\x04\x03\x02\x01"


def test_errors_leave_buffers_usable(device):
    buffer = device.allocate(128, None)
    with pytest.raises(GLib.Error) as info:
        buffer.copy_from_bytes(GLib.Bytes.new(b"x" * 129), 0, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert "129 bytes at offset 0" in info.value.message
    with pytest.raises(GLib.Error) as info:
        buffer.fill(0, 3, 0, 1, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    with pytest.raises(GLib.Error) as info:
        device.allocate(0, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    with pytest.raises(GLib.Error) as info:
        device.allocate(1 << 50, None)
    assert info.value.matches(CudaObj.driver_error_quark(), CudaObj.DriverError.OUT_OF_MEMORY)
    buffer.copy_from_bytes(GLib.Bytes.new(b"y" * 128), 0, None)
    assert buffer.copy_to_bytes(0, -1, None).get_data() == b"y" * 128
    buffer.close(None)
    with pytest.raises(GLib.Error) as info:
        buffer.copy_to_bytes(0, -1, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.CLOSED)
    assert info.value.message == "Buffer is closed"


def test_new_from_handle_keeps_owner(device):
    memory = device.allocate(256, None)
    owner = GObject.Object()
    finalized = []
    # A GObject weak reference: the Python wrapper may go while the GObject lives.
    watch = owner.weak_ref(lambda: finalized.append(True))
    wrapped = CudaObj.Buffer.new_from_handle(device, memory.get_handle(), 256, owner)
    del owner
    gc.collect()
    assert not finalized and isinstance(wrapped.props.owner, GObject.Object)
    assert wrapped.props.memory_resource is None
    wrapped.fill(7, 1, 0, 256, None)
    assert memory.copy_to_bytes(0, 4, None).get_data() == b"\x07" * 4
    wrapped.close(None)
    gc.collect()
    assert finalized == [True] and wrapped.props.owner is None
    del watch
    # The memory was not freed.
    assert memory.copy_to_bytes(0, -1, None).get_data() == b"\x07" * 256


def test_python_resource_allocates(device):
    resource = Recording(device.get_memory_resource())
    assert resource.get_device() is device
    stream = device.create_stream()
    buffer = resource.allocate(512, stream)
    assert buffer.props.memory_resource is resource
    assert buffer.props.device is device and buffer.get_size() == 512
    assert resource.allocations == [(512, stream)]
    handle = buffer.get_handle()
    buffer.fill(0x5A, 1, 0, 512, stream)
    assert buffer.copy_to_bytes(0, -1, stream).get_data() == b"Z" * 512
    # close() calls back do_deallocate once, with the stream.
    assert buffer.close(stream)
    assert resource.deallocations == [(handle, 512, stream)]
    assert resource.live == {}
    buffer.close(stream)
    assert len(resource.deallocations) == 1
    # Through the CudaObj.MemoryResource interface, from C's side.
    other = CudaObj.MemoryResource.allocate(resource, 64, None)
    handle = other.get_handle()
    del other
    gc.collect()
    # Dropped without close: deallocated on the legacy stream.
    assert resource.deallocations[-1] == (handle, 64, None)
    stream.synchronize()


REUSE_POLICIES = ("reuse_follow_event_dependencies", "reuse_allow_opportunistic",
                  "reuse_allow_internal_dependencies")


def test_pool_properties_before_initialization():
    # GObject.new constructs without the override's initialization.
    mr = GObject.new(CudaObj.DeviceMemoryResource, reuse_allow_opportunistic=False, release_threshold=5)
    assert mr.props.reuse_allow_opportunistic is False
    assert mr.props.reuse_follow_event_dependencies is True
    assert mr.props.release_threshold == 5
    assert mr.props.used_memory_high == 0
    with pytest.raises(GLib.Error) as info:
        mr.reset_high_watermarks()
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.NOT_INITIALIZED)


def test_pool_tuning_properties(device):
    if not device.props.memory_pools_supported:
        pytest.skip("the device has no memory pools")
    for name in REUSE_POLICIES:
        mr = CudaObj.DeviceMemoryResource(device=device, own_pool=True, **{name: False})
        assert mr.get_property(name.replace("_", "-")) is False
        getattr(mr, "set_" + name)(True)
        assert getattr(mr, "get_" + name)() is True

    size = 16 << 20
    mr = CudaObj.DeviceMemoryResource(device=device, own_pool=True, max_size=256 << 20,
                                      release_threshold=GLib.MAXUINT64)
    assert mr.props.max_size == 256 << 20
    buf = mr.allocate(size, None)
    assert mr.props.used_memory_current >= size
    buf.close(None)
    device.synchronize()
    assert mr.props.used_memory_current == 0
    assert mr.props.used_memory_high >= size
    assert mr.props.reserved_memory_high >= size
    mr.reset_high_watermarks()
    assert mr.props.used_memory_high == 0
    assert mr.props.reserved_memory_high == mr.props.reserved_memory_current
