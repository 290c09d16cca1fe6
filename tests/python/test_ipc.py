# SPDX-License-Identifier: LGPL-2.1-or-later
"""Sharing GPU memory between two Python processes: an ipc-enabled pool, a
buffer and an event handed over a socketpair with the GIO helpers. The
consumer is this file run again (``python test_ipc.py consumer``), its end of
the socketpair as fd 3."""
import os
import socket
import struct
import sys

import gi
import pytest

gi.require_version("CudaObj", "1.0")
gi.require_version("Gio", "2.0")
from gi.repository import CudaObj, Gio, GLib, GObject  # noqa: E402

N = 1 << 18

SOURCE = r"""
extern "C" __global__ void fill_pattern(unsigned int *out, unsigned long long n, long long spin_cycles)
{
    unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;
    long long start = clock64();
    while (clock64() - start < spin_cycles)
        ;
    if (i < n) out[i] = (unsigned int) i * 2654435761u + 17u;
}
"""


def expected(n):
    return [(i * 2654435761 + 17) & 0xFFFFFFFF for i in range(n)]


def connection_from_fd(fd):
    return Gio.Socket.new_from_fd(fd).connection_factory_create_connection()


def connection_pair():
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    return connection_from_fd(a.detach()), connection_from_fd(b.detach())


def send_word(connection, word):
    CudaObj.ipc_send_descriptor(connection, GLib.Bytes.new(word), None)


def receive_word(connection):
    return CudaObj.ipc_receive_descriptor(connection, None).get_data()


def error_code(info):
    assert info.value.matches(CudaObj.error_quark(), info.value.code)
    return info.value.code


# Without a GPU: the hand-over's framing and the descriptor checks.

def test_descriptor_frames_round_trip():
    a, b = connection_pair()
    for message in (b"", b"x", bytes(range(88)), b"\xff" * 65536):
        CudaObj.ipc_send_descriptor(a, GLib.Bytes.new(message), None)
        assert CudaObj.ipc_receive_descriptor(b, None).get_data() == message
    with pytest.raises(GLib.Error) as info:
        CudaObj.ipc_send_descriptor(a, GLib.Bytes.new(b"\0" * 65537), None)
    assert error_code(info) == CudaObj.Error.INVALID_ARGUMENT


def test_bad_descriptors_are_refused():
    mr = GObject.new(CudaObj.DeviceMemoryResource)
    header = b"CudaObjB" + struct.pack("<IIQ", 1, 0, 64)
    for bad in (b"", b"CudaObjB", header + b"\0" * 63, b"CudaObjX" + header[8:] + b"\0" * 64,
                b"CudaObjB" + struct.pack("<IIQ", 9, 0, 64) + b"\0" * 64):
        with pytest.raises(GLib.Error) as info:
            mr.import_buffer(GLib.Bytes.new(bad))
        assert error_code(info) == CudaObj.Error.INVALID_ARGUMENT
    # Well formed, but the resource was never initialized.
    with pytest.raises(GLib.Error) as info:
        mr.import_buffer(GLib.Bytes.new(header + b"\0" * 64))
    assert error_code(info) == CudaObj.Error.NOT_INITIALIZED
    for bad in (b"", b"CudaObjE" + b"\0" * 71, b"CudaObjB" + struct.pack("<II", 1, 0) + b"\0" * 64):
        with pytest.raises(GLib.Error) as info:
            CudaObj.Event.new_from_ipc(None, GLib.Bytes.new(bad))
        assert error_code(info) == CudaObj.Error.INVALID_ARGUMENT


def test_dbus_handle_checks():
    fd_list = Gio.UnixFDList.new()
    with pytest.raises(GLib.Error) as info:
        CudaObj.ipc_pool_from_dbus(None, GLib.Variant("i", 0), fd_list)
    assert error_code(info) == CudaObj.Error.INVALID_ARGUMENT
    with pytest.raises(GLib.Error) as info:
        CudaObj.ipc_pool_from_dbus(None, GLib.Variant("h", 0), fd_list)
    assert error_code(info) == CudaObj.Error.INVALID_ARGUMENT


# On a GPU: two real processes.

def ipc_resource(device):
    if not device.props.memory_pools_supported:
        pytest.skip("the device has no memory pools")
    try:
        return CudaObj.DeviceMemoryResource(device=device, ipc_enabled=True)
    except GLib.Error as e:
        if e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_SUPPORTED):
            pytest.skip(e.message)
        raise


def test_non_shared_pool_and_timed_event_are_refused(device):
    ipc_resource(device)
    plain = CudaObj.DeviceMemoryResource(device=device, own_pool=True)
    with pytest.raises(GLib.Error) as info:
        plain.export_pool_fd()
    assert error_code(info) == CudaObj.Error.INVALID_ARGUMENT
    with pytest.raises(GLib.Error) as info:
        CudaObj.Event(device=device, ipc=True, timing=True)
    assert error_code(info) == CudaObj.Error.INVALID_ARGUMENT


def test_producer_consumer(device):
    mr = ipc_resource(device)
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    launcher = Gio.SubprocessLauncher.new(Gio.SubprocessFlags.NONE)
    launcher.take_fd(theirs.detach(), 3)
    consumer = launcher.spawnv([sys.executable, os.path.abspath(__file__), "consumer"])
    connection = connection_from_fd(ours.detach())

    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch)
    code = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options).compile(CudaObj.CodeType.CUBIN, None)
    stream = CudaObj.Stream(device=device, non_blocking=True)
    buf = mr.allocate(N * 4, stream)
    # Late on purpose (about 50 ms): a consumer that did not wait reads zeros.
    CudaObj.launch(stream, CudaObj.LaunchConfig.new_for_size(N, 256), code.get_kernel("fill_pattern"),
                   buf, N, 100_000_000)
    event = CudaObj.Event(device=device, ipc=True, timing=False)
    event.record(stream)

    CudaObj.ipc_send_pool(connection, mr, None)
    CudaObj.ipc_send_descriptor(connection, mr.export_buffer(buf), None)
    CudaObj.ipc_send_descriptor(connection, event.export_ipc(), None)
    assert receive_word(connection) == b"done"
    # The driver's rule: the importer freed its import first.
    buf.close(stream)
    stream.synchronize()
    assert consumer.wait_check(None)


def run_consumer():
    connection = connection_from_fd(3)
    device = CudaObj.Device.get(0)
    mr = CudaObj.ipc_receive_pool(connection, device, None)
    assert mr.props.is_imported
    try:
        mr.allocate(256, None)
        raise AssertionError("an imported pool allocated")
    except GLib.Error as e:
        assert e.matches(CudaObj.error_quark(), CudaObj.Error.NOT_SUPPORTED), e.message
    buf = mr.import_buffer(CudaObj.ipc_receive_descriptor(connection, None))
    event = CudaObj.Event.new_from_ipc(device, CudaObj.ipc_receive_descriptor(connection, None))
    stream = CudaObj.Stream(device=device, non_blocking=True)
    stream.wait_event(event)
    data = buf.copy_to_bytes(0, -1, stream).get_data()
    values = struct.unpack("<%dI" % N, data)
    want = expected(N)
    if list(values) != want:
        first = next(i for i in range(N) if values[i] != want[i])
        raise AssertionError("element %d is %d, expected %d" % (first, values[first], want[first]))
    buf.close(stream)
    stream.synchronize()
    send_word(connection, b"done")


if __name__ == "__main__" and sys.argv[1:] == ["consumer"]:
    run_consumer()
