# SPDX-License-Identifier: LGPL-2.1-or-later
"""Device status (NVML), checkpointing and GPU file I/O (cuFile) from Python."""
import os

import gi
import pytest

gi.require_version("CudaObj", "1.0")
from gi.module import get_introspection_module  # noqa: E402
from gi.repository import CudaObj, GLib  # noqa: E402

ERR = CudaObj.error_quark()


def raises_code(code, func, *args):
    with pytest.raises(GLib.Error) as info:
        func(*args)
    assert info.value.matches(ERR, code), info.value.message
    return info.value


# -- DeviceStatus ---------------------------------------------------------


def test_device_status_uninitialized():
    status = GObjectNew(CudaObj.DeviceStatus)
    raises_code(CudaObj.Error.NOT_INITIALIZED, status.refresh)
    raises_code(CudaObj.Error.NOT_INITIALIZED, status.get_processes)
    assert status.props.temperature == -1
    assert status.props.driver_version is None


def GObjectNew(cls):
    """An instance made without g_initable_init, as a careless binding would."""
    return get_introspection_module("CudaObj").__dict__[cls.__name__]()


def status_or_skip(device, interval=0):
    try:
        return CudaObj.DeviceStatus.new(device, interval)
    except GLib.Error as e:
        assert e.matches(ERR, CudaObj.Error.LIBRARY_NOT_FOUND), e.message
        pytest.skip(e.message)


def test_device_status_readings(device):
    status = status_or_skip(device)
    assert "." in status.props.driver_version
    assert status.props.driver_branch
    _, major, minor = CudaObj.get_driver_version()
    assert status.props.cuda_driver_version == major * 1000 + minor * 10
    assert status.props.memory_total > 0
    assert status.props.memory_used + status.props.memory_free <= status.props.memory_total
    assert -1 <= status.props.gpu_utilization <= 100
    assert status.props.fan_speed >= -1
    assert status.props.power_limit >= -1  # virtual machines report 0


def test_device_status_refresh_notifies(device):
    status = status_or_skip(device)
    seen = set()
    status.connect("notify", lambda obj, pspec: seen.add(pspec.name))
    buffer = CudaObj.SyncMemoryResource.new(device).allocate(256 << 20, None)
    status.refresh()
    assert "memory-used" in seen
    assert "memory-total" not in seen
    buffer.close(None)


def test_device_status_processes(device):
    status = status_or_skip(device)
    CudaObj.SyncMemoryResource.new(device).allocate(1 << 20, None)
    processes = status.get_processes()
    for process in processes:
        assert process.pid > 0
        assert process.used_memory >= -1


def test_device_status_periodic_update_binds(device):
    """The GTK use: bind a property and let the main loop keep it current."""
    from gi.repository import GObject

    status = status_or_skip(device, 20)

    class Label(GObject.Object):
        text = GObject.Property(type=str, default="")

    label = Label()
    status.bind_property(
        "memory-used",
        label,
        "text",
        GObject.BindingFlags.SYNC_CREATE,
        lambda binding, value: "%d MiB" % (value >> 20),
    )
    first = label.props.text
    assert first.endswith(" MiB")
    buffer = CudaObj.SyncMemoryResource.new(device).allocate(512 << 20, None)
    context = GLib.MainContext.default()
    deadline = GLib.get_monotonic_time() + 10 * 1000000
    while label.props.text == first and GLib.get_monotonic_time() < deadline:
        context.iteration(True)
    assert label.props.text != first
    status.props.update_interval = 0
    buffer.close(None)


# -- Checkpoint -----------------------------------------------------------


@pytest.mark.parametrize("pid", [0, -1, os.getpid()])
def test_checkpoint_bad_pid(pid):
    for func in (CudaObj.checkpoint_lock,):
        raises_code(CudaObj.Error.INVALID_ARGUMENT, func, pid, 0)
    for func in (
        CudaObj.checkpoint_get_state,
        CudaObj.checkpoint_checkpoint,
        CudaObj.checkpoint_restore,
        CudaObj.checkpoint_unlock,
        CudaObj.checkpoint_get_restore_thread_id,
    ):
        raises_code(CudaObj.Error.INVALID_ARGUMENT, func, pid)


def test_checkpoint_supported_or_says_why(device):
    try:
        assert CudaObj.checkpoint_is_supported()
    except GLib.Error as e:
        assert e.matches(ERR, CudaObj.Error.NOT_SUPPORTED), e.message
        assert "checkpoint" in e.message


def test_checkpoint_process_state_enum():
    assert CudaObj.ProcessState.RUNNING == 0
    assert CudaObj.ProcessState.CHECKPOINTED.value_nick == "checkpointed"


# -- FileHandle -----------------------------------------------------------


def test_file_handle_bad_arguments(tmp_path):
    raises_code(CudaObj.Error.IO, CudaObj.FileHandle.new, str(tmp_path / "missing"), False)
    raises_code(CudaObj.Error.INVALID_ARGUMENT, CudaObj.FileHandle.new_for_fd, -1)
    r, w = os.pipe()
    try:
        raises_code(CudaObj.Error.INVALID_ARGUMENT, CudaObj.FileHandle.new_for_fd, r)
    finally:
        os.close(r)
        os.close(w)


def test_constructors_raise():
    with pytest.raises(GLib.Error) as info:
        CudaObj.FileHandle()
    assert info.value.matches(ERR, CudaObj.Error.INVALID_ARGUMENT)
    with pytest.raises(GLib.Error):
        CudaObj.DeviceStatus()


def test_file_handle_uninitialized():
    handle = GObjectNew(CudaObj.FileHandle)
    raises_code(CudaObj.Error.NOT_INITIALIZED, handle.close)
    assert handle.props.closed
    assert handle.props.size == 0


def handle_or_skip(path, writable):
    try:
        return CudaObj.FileHandle.new(str(path), writable)
    except GLib.Error as e:
        assert e.matches(ERR, CudaObj.Error.LIBRARY_NOT_FOUND) or e.matches(ERR, CudaObj.Error.NOT_SUPPORTED)
        pytest.skip(e.message)


def test_file_handle_round_trip(device, tmp_path):
    path = tmp_path / "data"
    handle = handle_or_skip(path, True)
    data = os.urandom((1 << 20) + 77)
    resource = CudaObj.SyncMemoryResource.new(device)
    src = resource.allocate(len(data), None)
    dst = resource.allocate(len(data), None)
    src.copy_from_bytes(GLib.Bytes.new(data), 0, None)
    assert handle.write(src, len(data), 0, 0) == len(data)
    assert path.read_bytes() == data
    assert handle.props.size == len(data)
    assert handle.read(dst, len(data), 0, 0) == len(data)
    assert dst.copy_to_bytes(0, -1, None).get_data() == data
    assert isinstance(handle.props.compat_mode, bool)
    if not handle.props.cufile:  # cuFile refused the file: libcudaobj's POSIX path
        assert handle.props.compat_mode and not handle.props.direct
    # Past the end of the file, and a buffer too small.
    raises_code(CudaObj.Error.IO, handle.read, dst, 16, len(data) + 1, 0)
    raises_code(CudaObj.Error.INVALID_ARGUMENT, handle.read, dst, len(data) + 1, 0, 0)
    handle.close()
    raises_code(CudaObj.Error.CLOSED, handle.read, dst, 16, 0, 0)
    with CudaObj.FileHandle(path=str(path)) as again:
        assert not again.props.writable
    assert again.props.closed


def test_file_handle_stream_ordered(device, tmp_path):
    path = tmp_path / "data"
    data = os.urandom(3 << 20)
    path.write_bytes(data)
    handle = handle_or_skip(path, False)
    stream = device.create_stream()
    buffer = CudaObj.SyncMemoryResource.new(device).allocate(len(data), None)
    loop = GLib.MainLoop()
    results = []

    def done(source, result):
        results.append(source.read_finish(result))
        loop.quit()

    handle.read_async(buffer, len(data), 0, 0, stream, None, done)
    GLib.timeout_add_seconds(30, loop.quit)
    loop.run()
    assert results == [len(data)]
    stream.synchronize()
    assert buffer.copy_to_bytes(0, -1, None).get_data() == data
