#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""streams_events: two kernels on two streams, timed with events, and told
of their completion by the Event "completed" signal in a GLib main loop.

Nothing here blocks while the GPU works: the main loop stays free (for a
GTK window, say) until both streams' end events report completion; then
each stream's kernel time is read from its pair of events.

Exit status: 0 when both results are right, 1 when one is not (or the GPU
never reports), 77 (skip) when there is no usable CUDA device.
"""
import sys

import gi

try:
    import numpy
except ImportError:
    print("streams_events: skipped: this example needs numpy, which is not installed", file=sys.stderr)
    sys.exit(77)

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

# Two independent kernels on 32-bit integers, whose results the host can
# reproduce exactly: rounds of a linear congruential step and of xorshift.
SOURCE = r"""
extern "C" __global__ void lcg(unsigned int *x, int rounds, size_t n)
{
    size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
    if (i < n) {
        unsigned int v = x[i];
        for (int r = 0; r < rounds; r++)
            v = v * 1664525u + 1013904223u;
        x[i] = v;
    }
}

extern "C" __global__ void xorshift(unsigned int *x, int rounds, size_t n)
{
    size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
    if (i < n) {
        unsigned int v = x[i];
        for (int r = 0; r < rounds; r++) {
            v ^= v << 13;
            v ^= v >> 17;
            v ^= v << 5;
        }
        x[i] = v;
    }
}
"""

N = 1 << 20
ROUNDS = 64
TIMEOUT_SECONDS = 30


def lcg(x, rounds):
    x = x.copy()
    for _ in range(rounds):
        x = x * numpy.uint32(1664525) + numpy.uint32(1013904223)  # wraps like the GPU
    return x


def xorshift(x, rounds):
    x = x.copy()
    for _ in range(rounds):
        x ^= x << numpy.uint32(13)
        x ^= x >> numpy.uint32(17)
        x ^= x << numpy.uint32(5)
    return x


def main():
    try:
        device = CudaObj.Device.get(0)
    except GLib.Error as e:
        print("streams_events: no CUDA device:", e.message, file=sys.stderr)
        return 77

    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    code = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options).compile(CudaObj.CodeType.CUBIN)
    config = CudaObj.LaunchConfig.new_for_size(N, 256)
    inputs = numpy.arange(1, N + 1, dtype=numpy.uint32)

    loop = GLib.MainLoop()
    jobs = []
    for name, reference in (("lcg", lcg), ("xorshift", xorshift)):
        stream = device.create_stream()
        buffer = CudaObj.Buffer.from_numpy(inputs, device, stream)
        job = {"name": name, "reference": reference, "stream": stream, "buffer": buffer}

        # stream.record() makes a timing event at this point of the stream.
        job["start"] = stream.record()
        CudaObj.launch(stream, config, code.get_kernel(name), buffer, ROUNDS, N)
        job["end"] = end = device.create_event()

        # Connect before recording: each record made while a handler is
        # connected is reported once, in this thread's main context.
        def on_completed(event, job=job):
            job["ms"] = job["start"].elapsed_time(event)
            print("streams_events: %-8s completed on stream 0x%x in %.3f ms"
                  % (job["name"], job["stream"].get_handle(), job["ms"]))
            if all("ms" in j for j in jobs):
                loop.quit()

        end.connect("completed", on_completed)
        end.record(stream)
        jobs.append(job)

    # A guard, so that a GPU that never reports does not hang the program.
    timed_out = []

    def on_timeout():
        timed_out.append(True)
        loop.quit()
        return GLib.SOURCE_REMOVE

    guard = GLib.timeout_add_seconds(TIMEOUT_SECONDS, on_timeout)
    loop.run()
    if timed_out:
        print("streams_events: no completion within %d s" % TIMEOUT_SECONDS, file=sys.stderr)
        return 1
    GLib.source_remove(guard)

    failures = 0
    for job in jobs:
        result = job["buffer"].copy_to_numpy(dtype=numpy.uint32, stream=job["stream"])
        job["buffer"].close(job["stream"])
        wrong = numpy.flatnonzero(result != job["reference"](inputs, ROUNDS))
        if wrong.size:
            print("streams_events: %s: %d of %d elements wrong, first at %d"
                  % (job["name"], wrong.size, N, wrong[0]), file=sys.stderr)
            failures += 1
        else:
            print("streams_events: %-8s %d elements x %d rounds: all correct" % (job["name"], N, ROUNDS))
        job["stream"].close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
