#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""launch_python: kernel launch cost from Python, our PyGObject path next to
cuda.core and CuPy, all in one interpreter, on the same GPU and context.

The kernels are bench-kernels.cu (the C benchmark's): no parameters; vector
add (three pointers and a uint64); a 2048-byte struct by value and a
pointer. Paths:
  CudaObj.launch(values)     our overrides with Python values: Buffers and
                             an int, converted by the kernel's parameter
                             sizes (bytes for the struct)
  CudaObj.launch(KernelArgs) our overrides with KernelArgs built once
  cuda.core launch           cuda.core's launch() with its Buffers and a
                             Python int (its fast path: an 8-byte value),
                             on the very CUBIN our Program compiled
                             (ObjectCode.from_cubin)
  CuPy RawKernel             CuPy's RawKernel over the same source (CuPy
                             compiles it with NVRTC itself), CuPy arrays
                             and numpy.uint64 for the count, on a CuPy stream
  cuda.bindings cuLaunchKernel  the raw driver binding with a prebuilt
                             argument array: the floor of a launch from
                             Python (no target; it shows what is Python's)
Measures (medians over the repeats), as in launch-overhead.c:
  submit      time per launch call, back to back, in batches of 200 whose
              trailing synchronize is not timed
  round trip  one launch and that library's stream synchronize
Each library uses its own stream object; all streams are non-blocking and
belong to device 0's primary context. A peer that is not importable, or a
kernel a peer cannot take (cuda.core has no struct arguments), is a note
in the report rather than a row.

Usage: launch_python.py [--repeats N] [--quick]
"""
import argparse
import ctypes
import sys

import benchlib

PROGRAM = "launch_python"
SUITE = "launch-python"
BATCH = 200
OURS_VALUES = "CudaObj.launch(values)"
OURS_PREBUILT = "CudaObj.launch(KernelArgs)"
CUDA_CORE = "cuda.core launch"
CUPY = "CuPy RawKernel"
BINDINGS = "cuda.bindings cuLaunchKernel"
KERNELS = ("empty_kernel", "vector_add", "struct_arg")


class Path:
    """One way of launching one kernel: ``run(count)`` launches ``count``
    times, ``sync()`` waits for that path's stream."""

    def __init__(self, run, sync, round_trip):
        self.run = run
        self.sync = sync
        self.round_trip = round_trip


def shape(name):
    if name == "vector_add":
        return benchlib.VECTOR_N // benchlib.VECTOR_BLOCK, benchlib.VECTOR_BLOCK
    return 1, benchlib.SMALL_BLOCK


def struct_bytes():
    import array
    return array.array("i", range(benchlib.STRUCT_BYTES // 4)).tobytes()


def struct_scalar():
    """The 2048-byte struct as a numpy structured scalar (what the peers take)."""
    import numpy
    value = numpy.zeros((), numpy.dtype([("values", numpy.int32, (benchlib.STRUCT_BYTES // 4,))]))
    value["values"] = numpy.arange(benchlib.STRUCT_BYTES // 4, dtype=numpy.int32)
    return value[()]


def ours(CudaObj, device, code, stream):
    """Our paths, {kernel: {path: Path}}, and a check of their results."""
    launch = CudaObj.launch
    paths = {}
    keep = []
    for name in KERNELS:
        kernel = code.get_kernel(name)
        grid, block = shape(name)
        config = CudaObj.LaunchConfig.new(grid, block)
        kargs = CudaObj.KernelArgs.new_for_kernel(kernel)
        if name == "vector_add":
            buffers = [device.allocate(benchlib.VECTOR_N * 4, stream) for _ in range(3)]
            values = (buffers[0], buffers[1], buffers[2], benchlib.VECTOR_N)
            for i in range(3):
                kargs.set_buffer(i, buffers[i])
            kargs.set_uint64(3, benchlib.VECTOR_N)
        elif name == "struct_arg":
            out = device.allocate(4, stream)
            big = struct_bytes()
            values = (big, out)
            kargs.set_data(0, big, 4)
            kargs.set_buffer(1, out)
            keep.append(out)
        else:
            values = ()
        sync = stream.synchronize

        def values_run(count, s=stream, c=config, k=kernel, v=values):
            for _ in range(count):
                launch(s, c, k, *v)

        def values_rt(count, s=stream, c=config, k=kernel, v=values):
            for _ in range(count):
                launch(s, c, k, *v)
                s.synchronize()

        def prebuilt_run(count, s=stream, c=config, k=kernel, a=kargs):
            for _ in range(count):
                launch(s, c, k, a)

        def prebuilt_rt(count, s=stream, c=config, k=kernel, a=kargs):
            for _ in range(count):
                launch(s, c, k, a)
                s.synchronize()

        paths[name] = {OURS_VALUES: Path(values_run, sync, values_rt),
                       OURS_PREBUILT: Path(prebuilt_run, sync, prebuilt_rt)}

    def check():
        import numpy
        out = keep[0].copy_to_numpy(dtype=numpy.int32, stream=stream)
        if int(out[0]) != benchlib.STRUCT_BYTES // 4 - 1:
            raise SystemExit("%s: struct_arg wrote %d through our path, expected %d"
                             % (PROGRAM, out[0], benchlib.STRUCT_BYTES // 4 - 1))
    return paths, check


def cuda_core_paths(cubin):
    try:
        try:
            from cuda.core import Device, LaunchConfig, ObjectCode, launch
        except ImportError:
            from cuda.core.experimental import Device, LaunchConfig, ObjectCode, launch
    except ImportError as e:
        benchlib.emit_note(SUITE, "cuda.core is not importable here (%s): no cuda.core rows" % e)
        return {}
    try:
        dev = Device(0)
        dev.set_current()
        stream = dev.create_stream()
        module = ObjectCode.from_cubin(cubin)
    except Exception as e:  # noqa: BLE001 - a peer that cannot start is a note, not a failure
        benchlib.emit_note(SUITE, "cuda.core could not set up here (%s: %s): no cuda.core rows" % (type(e).__name__, e))
        return {}
    paths = {}
    for name in KERNELS:
        try:
            kernel = module.get_kernel(name)
            grid, block = shape(name)
            config = LaunchConfig(grid=grid, block=block)
            if name == "vector_add":
                args = tuple(dev.allocate(benchlib.VECTOR_N * 4, stream=stream) for _ in range(3))
                args += (benchlib.VECTOR_N,)
            elif name == "struct_arg":
                args = (struct_scalar(), dev.allocate(4, stream=stream))
            else:
                args = ()
            launch(stream, config, kernel, *args)
            stream.sync()
        except Exception as e:  # noqa: BLE001 - any refusal means "cannot take it"
            benchlib.emit_note(SUITE, "cuda.core cannot launch %s here (%s: %s)" % (name, type(e).__name__, e))
            continue

        def run(count, s=stream, c=config, k=kernel, a=args):
            for _ in range(count):
                launch(s, c, k, *a)

        def rt(count, s=stream, c=config, k=kernel, a=args):
            for _ in range(count):
                launch(s, c, k, *a)
                s.sync()

        paths[name] = Path(run, stream.sync, rt)
    return paths


def cupy_paths(source):
    try:
        import cupy
        import numpy
    except ImportError as e:
        benchlib.emit_note(SUITE, "CuPy is not importable here (%s): no CuPy rows" % e)
        return {}
    try:
        cupy.cuda.Device(0).use()
        stream = cupy.cuda.Stream(non_blocking=True)
    except Exception as e:  # noqa: BLE001
        benchlib.emit_note(SUITE, "CuPy could not set up here (%s: %s): no CuPy rows" % (type(e).__name__, e))
        return {}
    paths = {}
    for name in KERNELS:
        grid, block = shape(name)
        grid, block = (grid,), (block,)
        try:
            kernel = cupy.RawKernel(source, name, options=("--std=c++17",))
            with stream:
                if name == "vector_add":
                    args = tuple(cupy.zeros(benchlib.VECTOR_N, dtype=cupy.float32) for _ in range(3))
                    args += (numpy.uint64(benchlib.VECTOR_N),)
                elif name == "struct_arg":
                    args = (struct_scalar(), cupy.zeros(1, dtype=cupy.int32))
                else:
                    args = ()
                kernel(grid, block, args)
                stream.synchronize()
        except Exception as e:  # noqa: BLE001
            benchlib.emit_note(SUITE, "CuPy cannot launch %s here (%s: %s)" % (name, type(e).__name__, e))
            continue

        def run(count, s=stream, k=kernel, g=grid, b=block, a=args):
            with s:
                for _ in range(count):
                    k(g, b, a)

        def rt(count, s=stream, k=kernel, g=grid, b=block, a=args):
            with s:
                for _ in range(count):
                    k(g, b, a)
                    s.synchronize()

        paths[name] = Path(run, stream.synchronize, rt)
    return paths


def bindings_paths(CudaObj, code, stream):
    """The raw driver binding: cuLaunchKernel on the kernel's CUfunction with
    an argument array built once (ctypes), on our stream's handle."""
    try:
        from cuda.bindings import driver
    except ImportError as e:
        benchlib.emit_note(SUITE, "cuda.bindings is not importable here (%s): no raw binding rows" % e)
        return {}
    paths = {}
    handle = driver.CUstream(stream.get_handle())

    def sync():
        (err,) = driver.cuStreamSynchronize(handle)
        if err != driver.CUresult.CUDA_SUCCESS:
            raise RuntimeError("cuStreamSynchronize: %s" % err)

    keep = []
    for name in KERNELS:
        try:
            kernel = code.get_kernel(name)
            err, function = driver.cuKernelGetFunction(driver.CUkernel(kernel.get_handle()))
            if err != driver.CUresult.CUDA_SUCCESS:
                raise RuntimeError("cuKernelGetFunction: %s" % err)
            grid, block = shape(name)
            if name == "vector_add":
                values = [ctypes.c_uint64(0) for _ in range(3)] + [ctypes.c_uint64(benchlib.VECTOR_N)]
            elif name == "struct_arg":
                values = [(ctypes.c_int32 * (benchlib.STRUCT_BYTES // 4))(), ctypes.c_uint64(0)]
            else:
                values = []
            if name != "empty_kernel":
                # Memory the kernels may write: one device allocation they all share.
                buf = CudaObj.Device.get(0).allocate(benchlib.VECTOR_N * 4, stream)
                keep.append(buf)
                for v in values[:3] if name == "vector_add" else values[1:]:
                    v.value = buf.get_handle()
            params = (ctypes.c_void_p * max(1, len(values)))(*[ctypes.addressof(v) for v in values])
            keep.append((values, params))
            address = ctypes.addressof(params) if values else None
            launch = driver.cuLaunchKernel
            args = (function, grid, 1, 1, block, 1, 1, 0, handle, address, None)
            (err,) = launch(*args)
            if err != driver.CUresult.CUDA_SUCCESS:
                raise RuntimeError("cuLaunchKernel: %s" % err)
            sync()
        except Exception as e:  # noqa: BLE001
            benchlib.emit_note(SUITE, "cuda.bindings cuLaunchKernel of %s failed here (%s: %s)"
                               % (name, type(e).__name__, e))
            continue

        def run(count, f=launch, a=args):
            for _ in range(count):
                f(*a)

        def rt(count, f=launch, a=args):
            for _ in range(count):
                f(*a)
                sync()

        paths[name] = Path(run, sync, rt)
    paths["_keep"] = keep
    return paths


def time_submit(path, n):
    total = 0
    done = 0
    while done < n:
        batch = min(BATCH, n - done)
        start = benchlib.now_ns()
        path.run(batch)
        total += benchlib.now_ns() - start
        path.sync()
        done += batch
    return total / 1e3 / n


def time_round_trip(path, n):
    start = benchlib.now_ns()
    path.round_trip(n)
    return (benchlib.now_ns() - start) / 1e3 / n


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--quick", action="store_true", help="fewer launches: a smoke run, not a measurement")
    opts = parser.parse_args()
    CudaObj, _ = benchlib.import_cudaobj(PROGRAM)
    device = CudaObj.Device.get(0)
    source, code = benchlib.compile_kernels(CudaObj, device)
    cubin = code.get_code().get_data()
    stream = CudaObj.Stream.new(device, True, 0)
    n_submit = 2000 if opts.quick else 20000
    n_round_trip = 200 if opts.quick else 2000

    import gi
    benchlib.emit_meta(PROGRAM, device, opts.repeats, opts.quick, pygobject=gi.__version__)
    ours_by_kernel, check = ours(CudaObj, device, code, stream)
    peers = {CUDA_CORE: cuda_core_paths(cubin), CUPY: cupy_paths(source)}
    device.make_current()  # the raw binding needs device 0's primary context current
    peers[BINDINGS] = bindings_paths(CudaObj, code, stream)

    medians = {}
    for name in KERNELS:
        paths = dict(ours_by_kernel[name])
        for peer, by_kernel in peers.items():
            if name in by_kernel:
                paths[peer] = by_kernel[name]
        order = [p for p in (OURS_VALUES, OURS_PREBUILT, CUDA_CORE, CUPY, BINDINGS) if p in paths]
        for p in order:  # warm up
            time_submit(paths[p], 2 * BATCH)
            time_round_trip(paths[p], 20)
        submit = benchlib.interleaved(opts.repeats, order, lambda p: time_submit(paths[p], n_submit))
        round_trip = benchlib.interleaved(opts.repeats, order, lambda p: time_round_trip(paths[p], n_round_trip))
        for measure, samples, n in (("submit", submit, n_submit), ("round trip", round_trip, n_round_trip)):
            case = "%s, %s" % (name, measure)
            for p in order:
                targets = None
                if p == OURS_VALUES and name == "vector_add" and measure == "submit":
                    # The target: at or below cuda.core's and CuPy's time.
                    targets = [{"vs": CUDA_CORE, "max_ratio": 1.0}, {"vs": CUPY, "max_ratio": 1.0}]
                medians[(case, p)] = benchlib.emit_samples(
                    SUITE, case, p, samples[p], "us", n, baseline=None if p == CUDA_CORE else CUDA_CORE,
                    targets=targets)
    check()

    print("\nKernel launch from Python %s, microseconds per launch (median of %d repeats)"
          % (sys.version.split()[0], opts.repeats))
    print("%-28s %-30s %10s %12s" % ("kernel, measure", "path", "median", "/ cuda.core"))
    for (case, p), value in medians.items():
        base = medians.get((case, CUDA_CORE))
        print("%-28s %-30s %10.3f %12s" % (case, p, value, "%.3f" % (value / base) if base else "-"))


if __name__ == "__main__":
    main()
