# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shared helpers of the Python benchmarks: JSON lines, medians, skips.

Every benchmark prints one JSON object per line (read by report.py) and a
table for people on the other lines; without what it needs (PyGObject, a
GPU) it exits 77 with a one-line reason on stderr.
"""
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
KERNELS_FILE = os.path.join(HERE, "bench-kernels.cu")

# Launch shapes shared with bench-util.h and launch-gjs.js.
VECTOR_N = 4096
VECTOR_BLOCK = 256
SMALL_BLOCK = 32
STRUCT_BYTES = 2048

now_ns = time.perf_counter_ns


def skip(program, reason):
    print("%s: skipped: %s" % (program, reason), file=sys.stderr)
    sys.exit(77)


def emit(obj):
    print(json.dumps(obj), flush=True)


def emit_meta(program, device, repeats, quick, **extra):
    major, minor = _driver_version()
    meta = {"type": "meta", "program": program, "device": device.props.name,
            "compute_capability": "%d.%d" % (device.props.compute_capability_major,
                                             device.props.compute_capability_minor),
            "cuda_driver_api": "%d.%d" % (major, minor), "python": sys.version.split()[0],
            "repeats": repeats, "quick": quick}
    meta.update(extra)
    emit(meta)


def _driver_version():
    from gi.repository import CudaObj
    try:
        ok, major, minor = CudaObj.get_driver_version()
        return major, minor
    except (TypeError, ValueError):
        major, minor = CudaObj.get_driver_version()
        return major, minor


def emit_samples(suite, case, path, samples, unit, iterations, baseline=None, targets=None, **extra):
    """Emits the median of ``samples`` (and their min and max) as a result row;
    returns the median."""
    median = statistics.median(samples)
    row = {"type": "result", "suite": suite, "case": case, "path": path, "median": median,
           "min": min(samples), "max": max(samples), "unit": unit, "repeats": len(samples),
           "iterations": iterations, "baseline": baseline}
    if targets:
        row["targets"] = targets
    row.update(extra)
    emit(row)
    return median


def emit_note(suite, text):
    """Something that was not measured, and why (a peer missing, a kernel a
    peer cannot take): report.py lists these under the tables."""
    emit({"type": "note", "suite": suite, "text": text})
    print("note: " + text, file=sys.stderr)


def import_cudaobj(program):
    """CudaObj through PyGObject and our overrides, or a skip (exit 77)."""
    try:
        import gi
        gi.require_version("CudaObj", "1.0")
        from gi.repository import CudaObj, GLib
    except (ImportError, ValueError, AttributeError) as e:
        # (AttributeError: a bare namespace "gi", our overrides folder alone)
        skip(program, "no PyGObject with the CudaObj typelib in this Python (%s): run it through "
             "run-all.sh, or see build-pygobject.sh" % e)
    try:
        count = CudaObj.Device.get_count()
    except GLib.Error as e:
        skip(program, "no usable CUDA driver: " + e.message)
    if count == 0:
        skip(program, "the CUDA driver found no device")
    return CudaObj, GLib


def compile_kernels(CudaObj, device):
    """bench-kernels.cu compiled to CUBIN for ``device`` with our Program."""
    with open(KERNELS_FILE) as f:
        source = f.read()
    options = CudaObj.ProgramOptions(arch="sm_" + device.props.arch, std="c++17")
    program = CudaObj.Program.new(source, CudaObj.ProgramCodeType.CXX, options)
    return source, program.compile(CudaObj.CodeType.CUBIN, None)


def interleaved(repeats, names, measure):
    """Runs ``measure(name)`` for every name, ``repeats`` times, rotating the
    order from repeat to repeat; returns {name: [samples]}."""
    samples = {name: [] for name in names}
    for r in range(repeats):
        for i in range(len(names)):
            name = names[(i + r) % len(names)]
            samples[name].append(measure(name))
    return samples
