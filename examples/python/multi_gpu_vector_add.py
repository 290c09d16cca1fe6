#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""multi_gpu_vector_add: c = a + b split across every GPU present, from Python.

Each device gets a contiguous slice of the vectors, its own stream and its
own compiled kernel (devices may differ in architecture). All the work of
all devices is queued before the program waits for anything: copies in,
the kernel, and the copy of the slice's result into one buffer on device 0
(Buffer.copy_to between devices: a direct peer copy where peer access is
enabled, staged through the host otherwise). Device 0's stream then waits
for the others, the result comes back to the host and every element is
checked against numpy. One device is a valid case: its slice is the whole
vector.

Exit status: 0 when every element is right, 1 when one is not, 77 (skip)
when there is no usable CUDA device.
"""
import sys
import time

import gi

try:
    import numpy
except ImportError:
    print("multi_gpu_vector_add: skipped: this example needs numpy, which is not installed", file=sys.stderr)
    sys.exit(77)

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

SOURCE = r"""
extern "C" __global__ void vector_add(const float *a, const float *b, float *c, size_t n)
{
    size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
    if (i < n)
        c[i] = a[i] + b[i];
}
"""

N = 1 << 24


def enable_peers(devices):
    """Enables peer access between device 0 and each other device in both
    directions where the hardware allows it; prints each pair."""
    for k, other in enumerate(devices[1:], start=1):
        states = []
        for a, b in ((k, 0), (0, k)):
            if devices[a].can_access_peer(devices[b]):
                devices[a].enable_peer_access(devices[b])
                states.append("%d -> %d: enabled" % (a, b))
            else:
                states.append("%d -> %d: not possible" % (a, b))
        print("multi_gpu_vector_add: peer access %s, %s" % tuple(states))


def main():
    try:
        devices = CudaObj.Device.get_all()
    except GLib.Error as e:
        print("multi_gpu_vector_add: no CUDA device:", e.message, file=sys.stderr)
        return 77
    if not devices:
        print("multi_gpu_vector_add: no CUDA device: the driver found none", file=sys.stderr)
        return 77
    count = len(devices)
    for device in devices:
        print("multi_gpu_vector_add: device %d: %s (sm_%s)"
              % (device.props.ordinal, device.props.name, device.props.arch))
    if count == 1:
        print("multi_gpu_vector_add: one device: no peers, the gather is a copy on device 0")
    enable_peers(devices)

    # One compilation per architecture present.
    kernels = {}
    for device in devices:
        arch = device.props.arch
        if arch not in kernels:
            options = CudaObj.ProgramOptions(arch="sm_" + arch, std="c++17")
            program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
            kernels[arch] = program.compile(CudaObj.CodeType.CUBIN).get_kernel("vector_add")

    rng = numpy.random.default_rng(2024)
    a = rng.random(N, dtype=numpy.float32)
    b = rng.random(N, dtype=numpy.float32)

    streams = [device.create_stream() for device in devices]
    # The result is allocated in stream order on device 0's stream: the
    # other streams wait for that before their copies write into it.
    result = devices[0].allocate(N * 4, streams[0])

    started = time.perf_counter()
    jobs = []
    for k, (device, stream) in enumerate(zip(devices, streams)):
        lo, hi = k * N // count, (k + 1) * N // count
        size = (hi - lo) * 4
        d_a = device.allocate(size, stream)
        d_b = device.allocate(size, stream)
        d_c = device.allocate(size, stream)
        # a and b stay alive until the end, as the queued copies require.
        d_a.copy_from_host(a[lo:].ctypes.data, size, 0, stream)
        d_b.copy_from_host(b[lo:].ctypes.data, size, 0, stream)

        begin = stream.record()
        CudaObj.launch(stream, CudaObj.LaunchConfig.new_for_size(hi - lo, 256),
                       kernels[device.props.arch], d_a, d_b, d_c, hi - lo)
        computed = stream.record()
        stream.wait_stream(streams[0])  # the result buffer exists
        d_c.copy_to(result, 0, lo * 4, size, stream)
        gathered = stream.record()
        jobs.append({"device": device, "stream": stream, "range": (lo, hi),
                     "buffers": (d_a, d_b, d_c), "events": (begin, computed, gathered)})
    queued = time.perf_counter()

    # Everything is queued; now device 0's stream waits for the others, and
    # copy_to_numpy waits for device 0's stream.
    for stream in streams[1:]:
        streams[0].wait_stream(stream)
    c = result.copy_to_numpy(dtype=numpy.float32, stream=streams[0])
    finished = time.perf_counter()

    for job in jobs:
        begin, computed, gathered = job["events"]
        lo, hi = job["range"]
        print("multi_gpu_vector_add: device %d: elements [%d, %d): kernel %.3f ms, copy to device 0 %.3f ms"
              % (job["device"].props.ordinal, lo, hi, begin.elapsed_time(computed),
                 computed.elapsed_time(gathered)))
        for buffer in job["buffers"]:
            buffer.close(job["stream"])
    result.close(streams[0])
    for stream in streams:
        stream.synchronize()
        stream.close()
    print("multi_gpu_vector_add: queued in %.3f ms, result on the host after %.3f ms"
          % ((queued - started) * 1e3, (finished - started) * 1e3))

    # A single float addition rounds the same on every GPU and in numpy.
    wrong = numpy.flatnonzero(c != a + b)
    if wrong.size:
        i = wrong[0]
        print("multi_gpu_vector_add: %d of %d elements wrong, first c[%d] = %r, expected %r"
              % (wrong.size, N, i, c[i], a[i] + b[i]), file=sys.stderr)
        return 1
    print("multi_gpu_vector_add: %d elements over %d device(s) OK" % (N, count))
    return 0


if __name__ == "__main__":
    sys.exit(main())
