#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""compile_python: a compile served by a cache, from Python: our Program
with its on-disk CompileCache next to CuPy's cached RawModule, same source
(the templated saxpy of compile-cache.c, two instantiations), same process.

Rows (milliseconds, medians over the repeats):
  CudaObj cold compile           cache off: NVRTC to CUBIN every time
  CudaObj cache hit, new Program a new Program of the same source each time,
                                 its compile served by the cache (the key
                                 computed, the entry found in memory or on
                                 disk), no module loaded
  CudaObj same Program again     the same Program compiled again, nothing
                                 changed: the in-process memo
  CudaObj cache hit + get_kernel a new Program's hit, then the kernel loaded
                                 on the device: comparable with CuPy's rows
  cuda.core FileStreamProgramCache hit
                                 cuda.core's cache key computed for the same
                                 source and options, the ObjectCode read from
                                 its file cache (the peer of our new-Program
                                 hit)
  CuPy RawModule cold            a variant new to CuPy's cache (a define
                                 that changes per run): NVRTC, the cache
                                 write, the module load
  CuPy RawModule disk-cache hit  CuPy's in-process memo cleared, so the
                                 binary comes from its on-disk cache, then
                                 loaded
  CuPy RawModule memo hit        the same RawModule again in the process:
                                 CuPy's in-memory memo, nothing compiled or
                                 loaded
Each library caches in a fresh temporary directory, removed at the end.
The C benchmark compile-cache.c holds the target (hit under 1 ms and 10x
faster than cold); these rows are the peer comparison.

Usage: compile_python.py [--repeats N] [--quick]
"""
import argparse
import os
import shutil
import tempfile

import benchlib

PROGRAM = "compile_python"
SUITE = "compile-python"
SOURCE = r"""
template <typename T>
__global__ void saxpy (T a, const T *x, T *y, unsigned n)
{
  unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    y[i] = a * x[i] + y[i];
}
"""
NAMES = ["saxpy<float>", "saxpy<double>"]
CASE = "saxpy<float>, saxpy<double> to CUBIN"


def timed_ms(fn):
    start = benchlib.now_ns()
    fn()
    return (benchlib.now_ns() - start) / 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--quick", action="store_true", help="fewer repeats: a smoke run, not a measurement")
    opts = parser.parse_args()
    repeats = 3 if opts.quick else opts.repeats
    work = tempfile.mkdtemp(prefix="cudaobj-bench-")
    # CuPy reads its cache directory from the environment: set before it loads.
    os.environ["CUPY_CACHE_DIR"] = os.path.join(work, "cupy")
    try:
        run(opts, repeats, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(opts, repeats, work):
    CudaObj, _ = benchlib.import_cudaobj(PROGRAM)
    device = CudaObj.Device.get(0)
    benchlib.emit_meta(PROGRAM, device, repeats, opts.quick)
    arch = "sm_" + device.props.arch
    cache = CudaObj.CompileCache.new(os.path.join(work, "cudaobj"))
    options = CudaObj.ProgramOptions(arch=arch, std="c++17")
    program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
    program.set_cache(cache)

    def compile_ours():
        return program.compile(CudaObj.CodeType.CUBIN, NAMES)

    def compile_new_program():
        fresh = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options)
        fresh.set_cache(cache)
        return fresh.compile(CudaObj.CodeType.CUBIN, NAMES)

    def per_call_ms(fn, n):
        start = benchlib.now_ns()
        for _ in range(n):
            fn()
        return (benchlib.now_ns() - start) / 1e6 / n

    n_fast = 20 if opts.quick else 200
    program.props.use_cache = False
    compile_ours()  # loads NVRTC; not part of any row
    cold = [timed_ms(compile_ours) for _ in range(repeats)]
    program.props.use_cache = True
    compile_ours()  # stores it
    hits = cache.get_hits()
    hit = [per_call_ms(compile_new_program, n_fast) for _ in range(repeats)]
    memo = [per_call_ms(compile_ours, n_fast) for _ in range(repeats)]
    hit_load = [timed_ms(lambda: compile_new_program().get_kernel("saxpy<float>")) for _ in range(repeats)]
    expected = repeats * (2 * n_fast + 1)
    if cache.get_hits() - hits != expected:
        raise SystemExit("%s: expected %d cache hits, got %d" % (PROGRAM, expected, cache.get_hits() - hits))

    ours_cold = "CudaObj cold compile"
    ours_hit = "CudaObj cache hit, new Program"
    ours_memo = "CudaObj same Program again"
    benchlib.emit_samples(SUITE, CASE, ours_cold, cold, "ms", 1)
    core_path = "cuda.core FileStreamProgramCache hit"
    core = cuda_core_cache_hits(work, arch, repeats, n_fast, per_call_ms)
    hit_targets = [{"vs": core_path, "max_ratio": 1.0}] if core is not None else None
    benchlib.emit_samples(SUITE, CASE, ours_hit, hit, "ms", n_fast, baseline=ours_cold, targets=hit_targets)
    benchlib.emit_samples(SUITE, CASE, ours_memo, memo, "ms", n_fast, baseline=ours_cold,
                          targets=[{"max_value": 0.005}])
    benchlib.emit_samples(SUITE, CASE, "CudaObj cache hit + get_kernel", hit_load, "ms", 1, baseline=ours_cold)
    rows = [(ours_cold, cold), (ours_hit, hit), (ours_memo, memo), ("CudaObj cache hit + get_kernel", hit_load)]
    if core is not None:
        benchlib.emit_samples(SUITE, CASE, core_path, core, "ms", n_fast, baseline=ours_cold)
        rows.append((core_path, core))

    try:
        import cupy
        import cupy._util
    except ImportError as e:
        benchlib.emit_note(SUITE, "CuPy is not importable here (%s): no CuPy rows" % e)
    else:
        cupy.cuda.Device(0).use()

        def load(code):
            module = cupy.RawModule(code=code, options=("--std=c++17",), name_expressions=NAMES)
            module.get_function("saxpy<float>")

        load(SOURCE + "\n// warm-up\n")  # loads NVRTC; not part of any row
        cupy_cold = [timed_ms(lambda i=i: load(SOURCE + "\n#define RUN %d\n" % i)) for i in range(repeats)]
        load(SOURCE)  # stores it

        cupy_memo = [per_call_ms(lambda: load(SOURCE), n_fast) for _ in range(repeats)]
        name_cold = "CuPy RawModule cold"
        benchlib.emit_samples(SUITE, CASE, name_cold, cupy_cold, "ms", 1, baseline=ours_cold)
        rows.append((name_cold, cupy_cold))
        # CuPy memoizes modules in the process; clearing that memo makes the
        # next RawModule read CuPy's on-disk cache, like our hit reads ours.
        clear_memo = getattr(cupy._util, "clear_memo", None)
        if clear_memo is None:
            benchlib.emit_note(SUITE, "this CuPy has no cupy._util.clear_memo: no disk-cache hit row")
        else:
            def disk_hit():
                clear_memo()
                load(SOURCE)

            cupy_disk = [timed_ms(disk_hit) for _ in range(repeats)]
            benchlib.emit_samples(SUITE, CASE, "CuPy RawModule disk-cache hit", cupy_disk, "ms", 1,
                                  baseline=ours_cold)
            rows.append(("CuPy RawModule disk-cache hit", cupy_disk))
        benchlib.emit_samples(SUITE, CASE, "CuPy RawModule memo hit", cupy_memo, "ms", n_fast, baseline=ours_cold)
        rows.append(("CuPy RawModule memo hit", cupy_memo))

    import statistics
    print("\nCompile of a templated kernel (2 instantiations) to CUBIN for %s from Python, "
          "milliseconds (median of %d)" % (arch, repeats))
    for name, samples in rows:
        print("  %-34s %10.3f" % (name, statistics.median(samples)))


def cuda_core_cache_hits(work, arch, repeats, n, per_call_ms):
    """cuda.core's file-stream program cache: the key made for the same
    source and options, then the ObjectCode read back, as samples in ms per
    hit; None (with a note) where this cuda.core has no such cache."""
    try:
        try:
            from cuda.core.utils import FileStreamProgramCache, make_program_cache_key
        except ImportError:
            from cuda.core.experimental.utils import FileStreamProgramCache, make_program_cache_key
        try:
            from cuda.core import Device, Program, ProgramOptions
        except ImportError:
            from cuda.core.experimental import Device, Program, ProgramOptions
    except ImportError as e:
        benchlib.emit_note(SUITE, "cuda.core has no FileStreamProgramCache here (%s): no cuda.core row" % e)
        return None
    try:
        Device(0).set_current()
        core_options = ProgramOptions(arch=arch, std="c++17")
        cache = FileStreamProgramCache(os.path.join(work, "cuda-core"))

        def key():
            try:
                return make_program_cache_key(code=SOURCE, code_type="c++", options=core_options,
                                              target_type="cubin", name_expressions=NAMES)
            except TypeError:  # a cuda.core whose keys take no name expressions
                return make_program_cache_key(code=SOURCE, code_type="c++", options=core_options,
                                              target_type="cubin")

        cache[key()] = Program(SOURCE, "c++", options=core_options).compile("cubin", name_expressions=NAMES)

        def hit():
            code = cache[key()]
            if code is None:
                raise RuntimeError("cuda.core's cache missed")
            return code

        hit()
        return [per_call_ms(hit, n) for _ in range(repeats)]
    except Exception as e:  # an API of another shape in this cuda.core: say so, measure the rest
        benchlib.emit_note(SUITE, "cuda.core's FileStreamProgramCache could not be used here (%s: %s)"
                           % (type(e).__name__, e))
        return None


if __name__ == "__main__":
    main()
