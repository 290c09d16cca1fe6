/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared helpers of the C benchmarks: timing, medians, the device or a
 * skip (exit 77), the benchmark kernels, and the two kinds of output every
 * benchmark prints on stdout: one JSON object per line (a line starting
 * with '{', read by report.py) and a table for people (every other line).
 *
 * The benchmarks link the library's internal static archive, like the
 * tests, so that the baselines call the very driver entry points the
 * library resolved (the table of cudaobj-loader-private.h) in the same binary. */
#pragma once

#include "cudaobj-loader-private.h"
#include "cudaobj-device-private.h"

G_BEGIN_DECLS

/* Launch shapes shared with launch_python.py and launch-gjs.js. */
#define BENCH_VECTOR_N 4096
#define BENCH_VECTOR_BLOCK 256
#define BENCH_SMALL_BLOCK 32
#define BENCH_STRUCT_BYTES 2048

typedef struct
{
  const char *program; /* e.g. "launch-overhead", for messages */
  guint repeats;       /* medians are taken over this many repeats */
  gboolean quick;      /* --quick: fewer iterations, for a smoke run */
} BenchOptions;

/* Parses --repeats N and --quick; prints usage and exits 2 on anything else. */
void bench_parse_options (BenchOptions *options, const char *program, const char *summary, int *argc,
                          char ***argv);

/* Device 0 with its primary context current on this thread, or exits 77
 * with a one-line reason on stderr when there is no usable GPU. */
CudaObjDevice *bench_device_or_skip (const BenchOptions *options);

/* Exits 1 with "<program>: <what>: <message>" when @error is set. */
void bench_check (const BenchOptions *options, const char *what, GError *error);

/* Exits 1 with the driver's error name when @result is not CUDA_SUCCESS. */
void bench_check_cu (const BenchOptions *options, const char *call, CUresult result);

/* A monotonic clock in nanoseconds. */
gint64 bench_now_ns (void);

/* Median of @n values (sorts them in place). */
double bench_median (double *values, guint n);

/* Compiles bench-kernels.cu for the device's architecture to CUBIN. */
CudaObjObjectCode *bench_compile_kernels (const BenchOptions *options, CudaObjDevice *device);

/* The kernel @name of @code, or exits 1. */
CudaObjKernel *bench_get_kernel (const BenchOptions *options, CudaObjObjectCode *code, const char *name);

/* Prints the JSON line that describes the run: program, device, compute
 * capability, CUDA driver API version, library version. */
void bench_emit_meta (const BenchOptions *options, CudaObjDevice *device);

/* A measured value, as a JSON line. @suite and @case_name group rows into
 * one comparison; @baseline names the path of the same group that @path is
 * compared with (NULL for the baseline itself); @target_max_ratio is the
 * largest value/baseline the target allows (0: no target). @extra is
 * NULL or more JSON members, starting with a comma. */
void bench_emit (const char *suite, const char *case_name, const char *path, double median, double min,
                 double max, const char *unit, guint repeats, guint64 iterations, const char *baseline,
                 double target_max_ratio, const char *extra);

/* Median, min and max of @n samples (sorted in place), emitted with bench_emit(). */
double bench_emit_samples (const char *suite, const char *case_name, const char *path, double *samples,
                           guint n, const char *unit, guint64 iterations, const char *baseline,
                           double target_max_ratio, const char *extra);

G_END_DECLS
