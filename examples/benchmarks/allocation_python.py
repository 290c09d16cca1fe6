#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""allocation_python: stream-ordered allocate + free from Python, our
PyGObject path next to cuda.core's Device.allocate, in one interpreter.

  CudaObj Device.allocate    device.allocate(size, stream) (the device's
                             default DeviceMemoryResource: the default pool,
                             cuMemAllocFromPoolAsync), then buffer.close(stream)
  cuda.core Device.allocate  Device.allocate(size, stream=s) (its default
                             memory resource over the same pool), then
                             buffer.close(s)
One iteration is one allocation and its free, back to back, no sync (in
batches of 500; the sync after each is not timed). Sizes 4 KiB, 1 MiB and
256 MiB; medians over the repeats of the mean time per pair. The C
benchmark (allocation.c) compares the C path with the raw driver calls.

Usage: allocation_python.py [--repeats N] [--quick]
"""
import argparse

import benchlib

PROGRAM = "allocation_python"
SUITE = "allocation-python"
BATCH = 500
OURS = "CudaObj Device.allocate"
CUDA_CORE = "cuda.core Device.allocate"
SIZES = ((4096, "4 KiB"), (1 << 20, "1 MiB"), (256 << 20, "256 MiB"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--quick", action="store_true", help="fewer iterations: a smoke run, not a measurement")
    opts = parser.parse_args()
    CudaObj, _ = benchlib.import_cudaobj(PROGRAM)
    device = CudaObj.Device.get(0)
    stream = CudaObj.Stream.new(device, True, 0)
    n = 2000 if opts.quick else 10000
    benchlib.emit_meta(PROGRAM, device, opts.repeats, opts.quick)

    def ours(size, count, allocate=device.allocate, s=stream):
        for _ in range(count):
            allocate(size, s).close(s)

    runs = {OURS: (ours, stream.synchronize)}
    try:
        try:
            from cuda.core import Device
        except ImportError:
            from cuda.core.experimental import Device
    except ImportError as e:
        benchlib.emit_note(SUITE, "cuda.core is not importable here (%s): no cuda.core rows" % e)
    else:
        dev = Device(0)
        dev.set_current()
        cstream = dev.create_stream()

        def theirs(size, count, allocate=dev.allocate, s=cstream):
            for _ in range(count):
                allocate(size, stream=s).close(s)

        runs[CUDA_CORE] = (theirs, cstream.sync)
        device.make_current()

    def measure(path, size):
        run, sync = runs[path]
        total = 0
        done = 0
        while done < n:
            batch = min(BATCH, n - done)
            start = benchlib.now_ns()
            run(size, batch)
            total += benchlib.now_ns() - start
            sync()
            done += batch
        return total / 1e3 / n

    order = list(runs)
    medians = {}
    for size, label in SIZES:
        for p in order:
            measure(p, size)  # warm up: the pool grows once
        samples = benchlib.interleaved(opts.repeats, order, lambda p: measure(p, size))
        for p in order:
            medians[(label, p)] = benchlib.emit_samples(
                SUITE, "allocate + free, " + label, p, samples[p], "us", n,
                baseline=None if p == CUDA_CORE else CUDA_CORE,
                targets=None if p == CUDA_CORE else [{"vs": CUDA_CORE, "max_ratio": 1.0}])

    print("\nStream-ordered allocate + free from Python, microseconds per pair (median of %d repeats of %d)"
          % (opts.repeats, n))
    print("%-10s %-28s %10s %12s" % ("size", "path", "median", "/ cuda.core"))
    for (label, p), value in medians.items():
        base = medians.get((label, CUDA_CORE))
        print("%-10s %-28s %10.3f %12s" % (label, p, value, "%.3f" % (value / base) if base else "-"))


if __name__ == "__main__":
    main()
