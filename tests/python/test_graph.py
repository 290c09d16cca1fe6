# SPDX-License-Identifier: LGPL-2.1-or-later
"""Graphs and host callbacks from Python: capture, replay, update, callbacks
in a GLib main loop."""
import struct
import threading

import gi
import pytest

gi.require_version("CudaObj", "1.0")
from gi.module import get_introspection_module  # noqa: E402
from gi.repository import CudaObj, GLib  # noqa: E402

# The C API as introspected, for objects the overrides would initialize.
C = get_introspection_module("CudaObj")

N = 1024  # 32-bit elements


def run_loop_until(loop, done, seconds=30):
    """Runs loop until done() is true; fails the test after seconds."""
    timed_out = []

    def on_timeout():
        timed_out.append(True)
        loop.quit()
        return GLib.SOURCE_REMOVE

    def poll():
        if done():
            loop.quit()
            return GLib.SOURCE_REMOVE
        return GLib.SOURCE_CONTINUE

    source = GLib.timeout_add_seconds(seconds, on_timeout)
    GLib.timeout_add(5, poll)
    loop.run()
    if not timed_out:
        GLib.source_remove(source)
    assert not timed_out, "timed out waiting for the GPU"


def values(buffer, stream):
    data = buffer.copy_to_bytes(0, -1, stream).get_data()
    return set(struct.unpack("<%dI" % (len(data) // 4), data))


def new_buffer(device, stream):
    buffer = device.allocate(N * 4, stream)
    assert buffer.fill(0, 4, 0, N, stream)
    assert stream.synchronize()
    return buffer


def construct(cls, **props):
    """Constructs and initializes: the overrides may run GInitable's init in
    the constructor already; running it again is harmless."""
    obj = cls(**props)
    obj.init(None)
    return obj


# Without a GPU.

def test_builder_without_stream_raises():
    with pytest.raises(GLib.Error) as info:
        construct(CudaObj.GraphBuilder)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert "stream" in info.value.message


def test_graph_is_not_constructed_directly():
    with pytest.raises(GLib.Error) as info:
        construct(CudaObj.Graph)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert "complete" in info.value.message


def test_enums():
    assert int(CudaObj.CaptureMode.GLOBAL) == 0
    assert int(CudaObj.CaptureMode.THREAD_LOCAL) == 1
    assert int(CudaObj.CaptureMode.RELAXED) == 2
    assert int(CudaObj.GraphInstantiateFlags.AUTO_FREE_ON_LAUNCH) == 1
    assert int(CudaObj.GraphInstantiateFlags.DEVICE_LAUNCH) == 4


# With a GPU.

def test_callback_on_closed_stream_raises(device):
    stream = device.create_stream()
    assert stream.close()
    calls = []
    with pytest.raises(GLib.Error) as info:
        stream.add_callback(lambda: calls.append(1))
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.CLOSED)
    assert calls == []


def test_capture_fills_and_replay(device):
    stream = device.create_stream()
    a = new_buffer(device, stream)
    b = new_buffer(device, stream)
    builder = CudaObj.GraphBuilder.new(stream, CudaObj.CaptureMode.GLOBAL)
    assert builder.props.capturing and builder.props.stream is stream
    assert a.fill(7, 4, 0, N, stream)
    assert a.copy_to(b, 0, 0, N * 4, stream)
    assert builder.get_node_count() == 2
    assert builder.end()
    assert builder.props.ended and not builder.props.capturing
    assert "digraph" in builder.to_dot(False)
    assert values(b, stream) == {0}

    graph = builder.complete(CudaObj.GraphInstantiateFlags.NONE, stream)
    assert graph.props.device is device and graph.props.handle != 0
    for i in range(3):
        assert b.fill(i + 100, 4, 0, N, stream)
        assert graph.launch(stream)
        assert values(b, stream) == {7}


def test_update_and_shape_mismatch(device):
    stream = device.create_stream()
    a = new_buffer(device, stream)

    def capture(*fills):
        builder = construct(CudaObj.GraphBuilder, stream=stream, mode=CudaObj.CaptureMode.RELAXED)
        for value in fills:
            assert a.fill(value, 4, 0, N, stream)
        assert builder.end()
        return builder

    graph = capture(1).complete(CudaObj.GraphInstantiateFlags.NONE, None)
    assert graph.launch(stream) and values(a, stream) == {1}
    assert graph.update(capture(2))
    assert graph.launch(stream) and values(a, stream) == {2}
    with pytest.raises(GLib.Error) as info:
        graph.update(capture(3, 4))
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert "topology changed" in info.value.message
    assert a.fill(0, 4, 0, N, stream)
    assert graph.launch(stream) and values(a, stream) == {2}


def test_capture_error_leaves_stream_usable(device):
    stream = device.create_stream()
    a = new_buffer(device, stream)
    builder = CudaObj.GraphBuilder.new(stream, CudaObj.CaptureMode.GLOBAL)
    assert a.fill(5, 4, 0, N, stream)
    with pytest.raises(GLib.Error) as info:
        stream.synchronize()
    assert info.value.domain == GLib.quark_to_string(CudaObj.driver_error_quark())
    with pytest.raises(GLib.Error) as info:
        builder.end()
    assert info.value.matches(CudaObj.driver_error_quark(),
                              CudaObj.DriverError.STREAM_CAPTURE_INVALIDATED)
    assert not builder.props.capturing
    assert a.fill(6, 4, 0, N, stream)
    assert values(a, stream) == {6}


def test_host_callback_in_main_loop(device):
    stream = device.create_stream()
    loop = GLib.MainLoop()
    seen = []

    def on_done():
        seen.append(threading.current_thread() is threading.main_thread())

    assert stream.add_callback(on_done)
    run_loop_until(loop, lambda: len(seen) == 1)
    assert seen == [True]


def test_graph_host_callback_replays(device):
    stream = device.create_stream()
    a = new_buffer(device, stream)
    loop = GLib.MainLoop()
    seen = []

    def on_done():
        # Not a driver thread: CUDA calls are fine here.
        seen.append(values(a, stream))

    builder = CudaObj.GraphBuilder.new(stream, CudaObj.CaptureMode.GLOBAL)
    assert a.fill(9, 4, 0, N, stream)
    assert stream.add_callback(on_done)
    assert builder.end()
    graph = builder.complete(CudaObj.GraphInstantiateFlags.NONE, None)
    del builder
    for _ in range(3):
        assert graph.launch(stream)
    run_loop_until(loop, lambda: len(seen) == 3)
    assert seen == [{9}] * 3


def test_capture_context_manager(device):
    with device.create_stream() as stream, device.allocate(64, stream) as buf:
        with stream.capture() as builder:
            buf.fill(5, 4, 0, 16, stream)
        assert builder.get_ended() and not builder.get_capturing()
        graph = builder.complete(CudaObj.GraphInstantiateFlags.NONE, None)
        graph.launch(stream)
        assert buf.copy_to_bytes(0, 4, stream).get_data() == b"\x05\x00\x00\x00"
        # An exception inside the block aborts the capture; the stream stays usable.
        with pytest.raises(RuntimeError):
            with stream.capture() as failed:
                raise RuntimeError("stop")
        assert not failed.get_capturing()
        stream.synchronize()


def test_graph_new_from_handle_zero_raises():
    # A device never initialized: the handle is checked first.
    with pytest.raises(GLib.Error) as info:
        CudaObj.Graph.new_from_handle(C.Device(), 0, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert "handle 0" in info.value.message


def test_graph_new_from_handle_without_driver_raises(no_driver):
    with pytest.raises(GLib.Error) as info:
        CudaObj.Graph.new_from_handle(C.Device(), 0x1234, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND)


def test_graph_new_from_handle(device):
    stream = device.create_stream()
    buffer = new_buffer(device, stream)
    definition = CudaObj.GraphDefinition.new(device)
    definition.add_memset(buffer, 7, 4, 0, N, None)
    owned = definition.instantiate(CudaObj.GraphInstantiateFlags.NONE, None)
    wrapper = CudaObj.Graph.new_from_handle(device, owned.props.handle, owned)
    assert wrapper.props.handle == owned.props.handle
    assert owned.props.owns_handle and not wrapper.props.owns_handle
    assert wrapper.props.device is device
    assert wrapper.props.flags == CudaObj.GraphInstantiateFlags.NONE
    assert wrapper.upload(stream) and wrapper.launch(stream)
    assert values(buffer, stream) == {7}
    with pytest.raises(GLib.Error) as info:
        wrapper.get_node_count()
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.NOT_SUPPORTED)
    del wrapper
    assert buffer.fill(0, 4, 0, N, stream)
    assert owned.launch(stream)
    assert values(buffer, stream) == {7}
