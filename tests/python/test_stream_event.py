# SPDX-License-Identifier: LGPL-2.1-or-later
"""Streams and events from Python through PyGObject."""
import threading

import gi
import pytest

gi.require_version("CudaObj", "1.0")
from gi.module import get_introspection_module  # noqa: E402
from gi.repository import CudaObj, GLib  # noqa: E402

# The C API as introspected, for objects the overrides would initialize.
C = get_introspection_module("CudaObj")


def run_loop_until(loop, seconds=30):
    """Runs loop; fails the test if nothing quits it within seconds."""
    timed_out = []

    def on_timeout():
        timed_out.append(True)
        loop.quit()
        return GLib.SOURCE_REMOVE

    source = GLib.timeout_add_seconds(seconds, on_timeout)
    loop.run()
    if not timed_out:
        GLib.source_remove(source)
    assert not timed_out, "timed out waiting for the GPU"


def test_construct_without_device_raises():
    try:
        CudaObj.Library.load(CudaObj.Library.DRIVER)
        expected = CudaObj.Error.INVALID_ARGUMENT
    except GLib.Error:
        expected = CudaObj.Error.LIBRARY_NOT_FOUND
    with pytest.raises(GLib.Error) as info:
        CudaObj.Stream()
    assert info.value.matches(CudaObj.error_quark(), expected)
    with pytest.raises(GLib.Error) as info:
        CudaObj.Event(timing=False)
    assert info.value.matches(CudaObj.error_quark(), expected)


def test_stream_create_and_properties(device):
    stream = device.create_stream()
    assert stream.props.device is device
    assert stream.props.handle != 0
    assert stream.props.non_blocking
    assert stream.props.priority == 0
    assert stream.props.owns_handle
    assert not stream.props.closed
    ok, lowest, highest = CudaObj.Stream.get_priority_range(device)
    assert ok and lowest == 0 and highest < 0
    high = CudaObj.Stream(device=device, priority=highest)
    assert high.props.priority == highest
    assert stream.query()
    assert stream.synchronize()


def test_stream_invalid_priority_raises(device):
    _, lowest, highest = CudaObj.Stream.get_priority_range(device)
    with pytest.raises(GLib.Error) as info:
        CudaObj.Stream.new(device, True, highest - 1)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert "from %d (lowest) to %d (highest)" % (lowest, highest) in info.value.message
    assert CudaObj.Stream.new(device, False, lowest).synchronize()


def test_record_completed_and_elapsed_time(device):
    stream = device.create_stream()
    start = stream.record(None)
    end = CudaObj.Event(device=device)
    assert end.props.timing and not end.props.recorded
    loop = GLib.MainLoop()
    seen = []

    def on_completed(event):
        seen.append(threading.current_thread() is threading.main_thread())
        assert event.query()
        loop.quit()

    end.connect("completed", on_completed)
    assert end.record(stream)
    assert end.props.recorded
    run_loop_until(loop)
    assert seen == [True]
    ms = start.elapsed_time(end)
    assert isinstance(ms, float) and ms >= 0.0


def test_elapsed_time_errors(device):
    stream = device.create_stream()
    untimed = CudaObj.Event.new(device, False, False)
    timed = device.create_event()
    with pytest.raises(GLib.Error) as info:
        timed.elapsed_time(timed)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert "never recorded" in info.value.message
    stream.record(untimed)
    stream.record(timed)
    stream.synchronize()
    with pytest.raises(GLib.Error) as info:
        timed.elapsed_time(untimed)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert "timing off" in info.value.message
    assert timed.elapsed_time(timed) == 0.0


def test_ipc_requires_timing_off(device):
    with pytest.raises(GLib.Error) as info:
        CudaObj.Event(device=device, ipc=True)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert CudaObj.Event(device=device, ipc=True, timing=False).props.ipc


def test_synchronize_async_and_wait_async(device):
    stream = device.create_stream()
    event = stream.record(None)
    loop = GLib.MainLoop()
    results = []

    def on_synchronized(source, result):
        results.append(("stream", source.synchronize_finish(result)))
        event.wait_async(None, on_waited)

    def on_waited(source, result):
        results.append(("event", source.wait_finish(result)))
        loop.quit()

    stream.synchronize_async(None, on_synchronized)
    run_loop_until(loop)
    assert results == [("stream", True), ("event", True)]


def test_wait_event_and_wait_stream(device):
    first = device.create_stream()
    second = device.create_stream()
    assert second.wait_event(first.record(None))
    assert second.wait_stream(first)
    assert second.wait_stream(second)
    assert second.record(None).synchronize()
    assert first.query() and second.query()


def test_closed_stream_raises(device):
    stream = device.create_stream()
    event = device.create_event()
    assert stream.close()
    assert stream.props.closed and stream.props.handle == 0
    assert stream.close()
    for call in (stream.synchronize, stream.query, lambda: stream.record(None),
                 lambda: event.record(stream), lambda: stream.wait_event(event)):
        with pytest.raises(GLib.Error) as info:
            call()
        assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.CLOSED)
        assert info.value.message == "Stream is closed"
    assert device.create_stream().synchronize()


def test_new_from_handle(device):
    original = device.create_stream()
    wrapper = CudaObj.Stream.new_from_handle(device, original.props.handle, original)
    assert wrapper.props.handle == original.props.handle
    assert not wrapper.props.owns_handle
    assert wrapper.record(None).synchronize()
    wrapper.close()
    assert original.synchronize() and original.query()
    legacy = CudaObj.Stream.new_from_handle(device, 0, None)
    assert legacy.props.handle == 0 and legacy.synchronize()


def test_event_new_from_handle_zero_raises():
    # A device never initialized: the handle is checked first.
    with pytest.raises(GLib.Error) as info:
        CudaObj.Event.new_from_handle(C.Device(), 0, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT)
    assert "handle 0" in info.value.message


def test_event_new_from_handle_without_driver_raises(no_driver):
    with pytest.raises(GLib.Error) as info:
        CudaObj.Event.new_from_handle(C.Device(), 0x1234, None)
    assert info.value.matches(CudaObj.error_quark(), CudaObj.Error.LIBRARY_NOT_FOUND)


def test_event_new_from_handle(device):
    stream = device.create_stream()
    owned = CudaObj.Event.new(device, True, False)
    wrapper = CudaObj.Event.new_from_handle(device, owned.props.handle, owned)
    assert wrapper.props.handle == owned.props.handle
    assert owned.props.owns_handle and not wrapper.props.owns_handle
    start = device.create_event()
    assert start.record(stream) and wrapper.record(stream)
    assert wrapper.synchronize() and wrapper.query()
    assert start.elapsed_time(wrapper) >= 0.0
    assert stream.wait_event(wrapper)
    del wrapper
    assert owned.query() and owned.synchronize()
