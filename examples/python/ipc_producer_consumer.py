#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""ipc_producer_consumer: two processes share GPU memory.

The producer fills a buffer from a shareable (ipc-enabled) memory pool with
a kernel, records an interprocess event after it and, without waiting for
the GPU, hands the pool (a file descriptor, sent as SCM_RIGHTS), the
buffer's descriptor and the event's descriptor to a consumer over a Unix
socketpair. The consumer is this script again, started with
Gio.Subprocess: it imports all three, makes its stream wait for the event,
reads and checks the data, frees its import and says "done"; only then does
the producer free the buffer (the driver's rule: importers free first).

Exit status: 0 when the consumer read the right data, 1 on an error, 77
(skip) when there is no usable CUDA device or it cannot share pools.
"""
import os
import socket
import struct
import sys

import gi

gi.require_version("CudaObj", "1.0")
gi.require_version("Gio", "2.0")
from gi.repository import CudaObj, Gio, GLib  # noqa: E402

N = 1 << 20

SOURCE = r"""
extern "C" __global__ void fill(unsigned int *out, size_t n)
{
    size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
    if (i < n) out[i] = (unsigned int) i * 3u + 7u;
}
"""


def connection_from_fd(fd):
    return Gio.Socket.new_from_fd(fd).connection_factory_create_connection()


def consume():
    # fd 3 is the consumer's end of the socketpair.
    connection = connection_from_fd(3)
    device = CudaObj.Device.get(0)
    pool = CudaObj.ipc_receive_pool(connection, device, None)
    buf = pool.import_buffer(CudaObj.ipc_receive_descriptor(connection, None))
    ready = CudaObj.Event.new_from_ipc(device, CudaObj.ipc_receive_descriptor(connection, None))

    stream = device.create_stream()
    stream.wait_event(ready)  # the GPU, not this thread, waits for the producer
    values = struct.unpack("<%dI" % N, buf.copy_to_bytes(0, -1, stream).get_data())
    wrong = [i for i in range(N) if values[i] != (i * 3 + 7) & 0xFFFFFFFF]
    if wrong:
        i = wrong[0]
        print("ipc_producer_consumer: out[%d] is %d, expected %d" % (i, values[i], i * 3 + 7), file=sys.stderr)
        return 1
    print("ipc_producer_consumer: consumer read %d elements written by the producer, all OK" % N)

    buf.close(stream)  # free the import, and see it done, before the producer frees
    stream.synchronize()
    CudaObj.ipc_send_descriptor(connection, GLib.Bytes.new(b"done"), None)
    return 0


def produce():
    try:
        device = CudaObj.Device.get(0)
        pool = CudaObj.DeviceMemoryResource(device=device, ipc_enabled=True)
    except GLib.Error as e:
        print("ipc_producer_consumer: skipped: " + e.message, file=sys.stderr)
        return 77

    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch)
    code = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options).compile(CudaObj.CodeType.CUBIN, None)
    stream = device.create_stream()
    buf = pool.allocate(N * 4, stream)
    CudaObj.launch(stream, CudaObj.LaunchConfig.new_for_size(N, 256), code.get_kernel("fill"), buf, N)
    ready = CudaObj.Event(device=device, ipc=True, timing=False)
    ready.record(stream)

    # The consumer: this script again, with its end of a socketpair as fd 3.
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    launcher = Gio.SubprocessLauncher.new(Gio.SubprocessFlags.NONE)
    launcher.take_fd(theirs.detach(), 3)
    consumer = launcher.spawnv([sys.executable, os.path.abspath(__file__), "--consume"])
    connection = connection_from_fd(ours.detach())

    # Sent while the kernel may still run: the event orders the consumer.
    CudaObj.ipc_send_pool(connection, pool, None)
    CudaObj.ipc_send_descriptor(connection, pool.export_buffer(buf), None)
    CudaObj.ipc_send_descriptor(connection, ready.export_ipc(), None)
    CudaObj.ipc_receive_descriptor(connection, None)  # "done"

    buf.close(stream)  # the consumer freed its import: now the producer may
    stream.synchronize()
    consumer.wait_check(None)
    print("ipc_producer_consumer: producer shared %d bytes with its consumer" % (N * 4))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(consume() if sys.argv[1:] == ["--consume"] else produce())
    except GLib.Error as e:
        print("ipc_producer_consumer: " + e.message, file=sys.stderr)
        sys.exit(1)
