# SPDX-License-Identifier: LGPL-2.1-or-later
"""Pool-based pinned and managed memory, managed-memory advice, graph
memory, batched copies and a replaceable Device:memory-resource, as Python
sees them."""
import ctypes

import gi
import pytest

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib, GObject  # noqa: E402


def pattern(size, seed=1):
    return bytes((i * 31 + seed) & 0xFF for i in range(size))


def raises(code, domain=None):
    """A context manager checking a GLib.Error's domain and code."""
    class Check:
        def __enter__(self):
            self.info = pytest.raises(GLib.Error)
            return self.info.__enter__()

        def __exit__(self, *exc):
            result = self.info.__exit__(*exc)
            assert self.info.excinfo.value.matches(domain or CudaObj.error_quark(), code)
            return result
    return Check()


# Without a GPU.

def test_pinned_pool_numa_node_checked():
    with raises(CudaObj.Error.INVALID_ARGUMENT) as info:
        CudaObj.PinnedMemoryResource(numa_node=-2)
    assert "NUMA node -2" in info.value.message


def test_managed_mode_properties():
    # GObject.new constructs without the override's initialization.
    mr = GObject.new(CudaObj.ManagedMemoryResource, mode=CudaObj.ManagedMemoryMode.POOL)
    assert mr.props.mode == CudaObj.ManagedMemoryMode.POOL
    assert mr.props.preferred_location is None
    assert GObject.new(CudaObj.ManagedMemoryResource).get_mode() == CudaObj.ManagedMemoryMode.LEGACY
    with raises(CudaObj.Error.NOT_INITIALIZED):
        mr.allocate(64, None)


def test_copy_batch_checks():
    batch = CudaObj.CopyBatch()
    assert batch.props.count == 0 and not batch.props.used_batch_api
    batch.submit(None)  # an empty batch queues nothing
    closed = GObject.new(CudaObj.Buffer)
    with raises(CudaObj.Error.CLOSED) as info:
        batch.add(closed, 0, closed, 0, 16, CudaObj.CopyHints.NONE)
    assert "destination" in info.value.message
    assert batch.get_count() == 0


def test_discard_needs_a_stream():
    with raises(CudaObj.Error.INVALID_ARGUMENT):
        GObject.new(CudaObj.Buffer).discard(None)


# With a GPU.

def test_pinned_pool_round_trip(device):
    try:
        pinned = CudaObj.PinnedMemoryResource(device=device, release_threshold=GLib.MAXUINT64)
    except GLib.Error as e:
        if e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_SUPPORTED):
            pytest.skip(e.message)
        raise
    assert pinned.props.numa_node == -1
    assert pinned.props.release_threshold == GLib.MAXUINT64
    stream = device.create_stream()
    buffer = pinned.allocate(4096, stream)
    assert buffer.props.is_host_accessible and buffer.props.is_device_accessible
    assert pinned.props.used_memory_current >= 4096
    buffer.fill(0x42, 1, 0, 4096, stream)
    stream.synchronize()
    assert ctypes.string_at(buffer.props.handle, 4096) == b"B" * 4096
    buffer.close(stream)
    stream.synchronize()
    assert pinned.props.used_memory_current == 0


def test_managed_pool_or_clear_fallback(device):
    try:
        managed = CudaObj.ManagedMemoryResource(device=device, mode=CudaObj.ManagedMemoryMode.POOL,
                                                preferred_location=device)
    except GLib.Error as e:
        assert e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_SUPPORTED)
        assert "legacy mode" in e.message
        pytest.skip(e.message)
    assert managed.props.preferred_location is device
    stream = device.create_stream()
    buffer = managed.allocate(1000, stream)
    data = pattern(1000)
    buffer.copy_from_bytes(GLib.Bytes.new(data), 0, stream)
    stream.synchronize()
    assert ctypes.string_at(buffer.props.handle, 1000) == data
    buffer.close(stream)


def test_advice_and_prefetch(device):
    if not device.props.concurrent_managed_access:
        pytest.skip("the device has no concurrent managed access")
    stream = device.create_stream()
    buffer = CudaObj.ManagedMemoryResource(device=device).allocate(1 << 16, stream)
    buffer.advise(CudaObj.MemoryAdvice.SET_READ_MOSTLY, None)
    buffer.advise(CudaObj.MemoryAdvice.SET_PREFERRED_LOCATION, device)
    buffer.advise(CudaObj.MemoryAdvice.SET_ACCESSED_BY, None)
    buffer.prefetch(device, stream)
    buffer.fill(0x7E, 1, 0, 1 << 16, stream)
    buffer.prefetch(None, stream)
    stream.synchronize()
    assert ctypes.string_at(buffer.props.handle, 16) == b"~" * 16
    buffer.discard(stream)
    buffer.close(stream)

    plain = device.allocate(64, stream)
    for call in (lambda: plain.advise(CudaObj.MemoryAdvice.SET_READ_MOSTLY, None),
                 lambda: plain.prefetch(None, stream), lambda: plain.discard(stream)):
        with raises(CudaObj.Error.INVALID_ARGUMENT) as info:
            call()
        assert "not managed memory" in info.value.message
    plain.close(stream)
    stream.synchronize()


def test_graph_memory_replays(device):
    resource = CudaObj.GraphMemoryResource(device=device)
    stream = device.create_stream()
    with raises(CudaObj.Error.INVALID_ARGUMENT):
        resource.allocate(64, stream)
    result = device.allocate(4096, stream)
    builder = CudaObj.GraphBuilder.new(stream, CudaObj.CaptureMode.GLOBAL)
    scratch = resource.allocate(4096, stream)
    scratch.fill(0x33, 1, 0, 4096, stream)
    scratch.copy_to(result, 0, 0, 4096, stream)
    scratch.close(stream)
    builder.end()
    graph = builder.complete(CudaObj.GraphInstantiateFlags.NONE, None)
    resource.reset_peaks()
    graph.launch(stream)
    stream.synchronize()
    ok, used, used_high, reserved, reserved_high = resource.get_usage()
    assert used_high >= 4096 and reserved_high >= 4096
    for _ in range(100):
        graph.launch(stream)
    stream.synchronize()
    assert resource.get_usage()[4] == reserved_high
    assert result.copy_to_bytes(0, -1, stream).get_data() == b"\x33" * 4096
    result.close(stream)


def test_copy_batch_round_trip(device):
    stream = device.create_stream()
    chunks, size = 16, 4096
    data = pattern(chunks * size)
    src = device.allocate(chunks * size, stream)
    src.copy_from_bytes(GLib.Bytes.new(data), 0, stream)
    dst = device.allocate(chunks * size, stream)
    batch = CudaObj.CopyBatch()
    for i in range(chunks):
        batch.add(dst, i * size, src, (chunks - 1 - i) * size, size, CudaObj.CopyHints.NONE)
    batch.submit(stream)
    assert batch.props.used_batch_api
    out = dst.copy_to_bytes(0, -1, stream).get_data()
    for i in range(chunks):
        assert out[i * size:(i + 1) * size] == data[(chunks - 1 - i) * size:(chunks - i) * size]
    src.close(stream)
    dst.close(stream)


def test_device_memory_resource_writable(device):
    default = device.props.memory_resource
    managed = CudaObj.ManagedMemoryResource(device=device)
    try:
        device.set_memory_resource(managed)
        assert device.props.memory_resource is managed
        buffer = device.allocate(128, None)
        assert buffer.props.memory_resource is managed and buffer.props.is_host_accessible
        buffer.close(None)

        uninitialized = GObject.new(CudaObj.SyncMemoryResource)
        with raises(CudaObj.Error.NOT_INITIALIZED):
            device.set_memory_resource(uninitialized)
        assert device.props.memory_resource is managed
        device.props.memory_resource = uninitialized
        with raises(CudaObj.Error.NOT_INITIALIZED):
            device.allocate(128, None)
    finally:
        device.props.memory_resource = None
    assert device.props.memory_resource is default
