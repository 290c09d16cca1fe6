/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* launch-overhead: what a kernel launch costs through libcudaobj's C API
 * next to raw cuLaunchKernel, in the same binary, on the same stream.
 *
 * Three kernels (bench-kernels.cu): no parameters; vector add (three
 * pointers and a uint64); a 2048-byte struct by value and a pointer.
 * Paths:
 *   raw cuLaunchKernel      the baseline: the CUfunction of the kernel in
 *                           the primary context, a void *[] of arguments
 *   raw cuLaunchKernelEx    what the library calls underneath (a CUkernel
 *                           and a CUlaunchConfig), without the library:
 *                           tells the driver's share of any gap from ours
 *   C prebuilt args         cuda_obj_launch() with KernelArgs built once
 *   C args per launch       a new KernelArgs filled and freed every launch
 * Two measures per kernel and path, each the median over the repeats:
 *   submit      host time per launch, launches back to back with no sync
 *               in between (in batches of 200, below the driver's queue
 *               depth, so the GPU's speed does not set the pace; the sync
 *               after each batch is not timed)
 *   round trip  one launch and a stream synchronize, per launch
 * The paths alternate within each repeat so drift hits all of them alike. */
#include <stdio.h>
#include <string.h>

#include "bench-util.h"

#define BATCH 200

typedef struct
{
  const char *name;
  CudaObjKernel *kernel;
  CUfunction function;
  CudaObjLaunchConfig *config;
  guint grid, block;
  /* The same arguments three ways: raw void *[], prebuilt KernelArgs, and
   * what it takes to build KernelArgs again. */
  CUdeviceptr pointers[3];
  guint64 n;
  guint8 *big;
  void *raw_params[4];
  guint n_params;
  CudaObjBuffer *buffers[3];
  CudaObjKernelArgs *args;
} Case;

typedef struct
{
  const BenchOptions *options;
  const CudaObjDriver *drv;
  CudaObjStream *stream;
  CUstream handle;
} Bench;

typedef void (*LaunchFunc) (Bench *bench, Case *c, guint count);

static void
launch_raw (Bench *bench, Case *c, guint count)
{
  for (guint i = 0; i < count; i++)
    bench_check_cu (bench->options, "cuLaunchKernel",
                    bench->drv->cuLaunchKernel (c->function, c->grid, 1, 1, c->block, 1, 1, 0, bench->handle,
                                                c->n_params > 0 ? c->raw_params : NULL, NULL));
}

static void
launch_raw_ex (Bench *bench, Case *c, guint count)
{
  CUlaunchConfig config = { 0 };
  CUfunction kernel = (CUfunction) (guintptr) cuda_obj_kernel_get_handle (c->kernel);

  config.gridDimX = c->grid;
  config.gridDimY = config.gridDimZ = 1;
  config.blockDimX = c->block;
  config.blockDimY = config.blockDimZ = 1;
  config.hStream = bench->handle;
  for (guint i = 0; i < count; i++)
    bench_check_cu (
        bench->options, "cuLaunchKernelEx",
        bench->drv->cuLaunchKernelEx (&config, kernel, c->n_params > 0 ? c->raw_params : NULL, NULL));
}

static void
launch_prebuilt (Bench *bench, Case *c, guint count)
{
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < count; i++)
    if (!cuda_obj_launch (bench->stream, c->config, c->kernel, c->args, &error))
      bench_check (bench->options, "cuda_obj_launch", error);
}

static void
fill_args (Case *c, CudaObjKernelArgs *args)
{
  if (c->n_params == 4)
    {
      cuda_obj_kernel_args_set_buffer (args, 0, c->buffers[0]);
      cuda_obj_kernel_args_set_buffer (args, 1, c->buffers[1]);
      cuda_obj_kernel_args_set_buffer (args, 2, c->buffers[2]);
      cuda_obj_kernel_args_set_uint64 (args, 3, c->n);
    }
  else if (c->n_params == 2)
    {
      cuda_obj_kernel_args_set_data (args, 0, c->big, BENCH_STRUCT_BYTES, 4);
      cuda_obj_kernel_args_set_buffer (args, 1, c->buffers[0]);
    }
}

static void
launch_rebuild (Bench *bench, Case *c, guint count)
{
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < count; i++)
    {
      g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new_for_kernel (c->kernel);

      fill_args (c, args);
      if (!cuda_obj_launch (bench->stream, c->config, c->kernel, args, &error))
        bench_check (bench->options, "cuda_obj_launch", error);
    }
}

static void
synchronize (Bench *bench)
{
  bench_check_cu (bench->options, "cuStreamSynchronize", bench->drv->cuStreamSynchronize (bench->handle));
}

/* Microseconds per launch over @n_launches, launched in untimed-sync batches. */
static double
time_submit (Bench *bench, Case *c, LaunchFunc launch, guint n_launches)
{
  gint64 total = 0;

  for (guint done = 0; done < n_launches; done += BATCH)
    {
      guint batch = MIN (BATCH, n_launches - done);
      gint64 start = bench_now_ns ();

      launch (bench, c, batch);
      total += bench_now_ns () - start;
      synchronize (bench);
    }
  return total / 1e3 / n_launches;
}

/* Microseconds per launch-and-synchronize, over @n. */
static double
time_round_trip (Bench *bench, Case *c, LaunchFunc launch, gboolean ours, guint n)
{
  g_autoptr (GError) error = NULL;
  gint64 start = bench_now_ns ();

  for (guint i = 0; i < n; i++)
    {
      launch (bench, c, 1);
      if (ours)
        {
          if (!cuda_obj_stream_synchronize (bench->stream, &error))
            bench_check (bench->options, "cuda_obj_stream_synchronize", error);
        }
      else
        synchronize (bench);
    }
  return (bench_now_ns () - start) / 1e3 / n;
}

static CudaObjBuffer *
allocate (Bench *bench, CudaObjDevice *device, gsize size)
{
  g_autoptr (GError) error = NULL;
  CudaObjBuffer *buffer = cuda_obj_device_allocate (device, size, bench->stream, &error);

  bench_check (bench->options, "allocate", error);
  cuda_obj_buffer_fill (buffer, 0, 1, 0, size, bench->stream, &error);
  bench_check (bench->options, "fill", error);
  return buffer;
}

static void
case_init (Bench *bench, Case *c, CudaObjDevice *device, CudaObjObjectCode *code, const char *name)
{
  CUkernel handle;

  memset (c, 0, sizeof *c);
  c->name = name;
  c->kernel = bench_get_kernel (bench->options, code, name);
  /* The baseline launches the kernel's CUfunction in the current (primary)
   * context, the way a C program using the driver API does. */
  handle = (CUkernel) (guintptr) cuda_obj_kernel_get_handle (c->kernel);
  bench_check_cu (bench->options, "cuKernelGetFunction",
                  bench->drv->cuKernelGetFunction (&c->function, handle));
  c->n_params = cuda_obj_kernel_get_argument_count (c->kernel);
  if (c->n_params == 4)
    {
      c->n = BENCH_VECTOR_N;
      c->block = BENCH_VECTOR_BLOCK;
      c->grid = BENCH_VECTOR_N / BENCH_VECTOR_BLOCK;
      for (guint i = 0; i < 3; i++)
        {
          c->buffers[i] = allocate (bench, device, BENCH_VECTOR_N * sizeof (float));
          c->pointers[i] = cuda_obj_buffer_get_handle (c->buffers[i]);
          c->raw_params[i] = &c->pointers[i];
        }
      c->raw_params[3] = &c->n;
    }
  else
    {
      c->block = BENCH_SMALL_BLOCK;
      c->grid = 1;
      if (c->n_params == 2)
        {
          c->big = g_malloc0 (BENCH_STRUCT_BYTES);
          for (guint i = 0; i < BENCH_STRUCT_BYTES / 4; i++)
            ((gint32 *) c->big)[i] = (gint32) i;
          c->buffers[0] = allocate (bench, device, sizeof (gint32));
          c->pointers[0] = cuda_obj_buffer_get_handle (c->buffers[0]);
          c->raw_params[0] = c->big;
          c->raw_params[1] = &c->pointers[0];
        }
    }
  c->config = cuda_obj_launch_config_new (c->grid, c->block);
  c->args = cuda_obj_kernel_args_new_for_kernel (c->kernel);
  fill_args (c, c->args);
}

static void
case_clear (Case *c)
{
  for (guint i = 0; i < 3; i++)
    g_clear_object (&c->buffers[i]);
  g_clear_object (&c->args);
  g_clear_object (&c->config);
  g_clear_object (&c->kernel);
  g_clear_pointer (&c->big, g_free);
}

/* The kernels really ran with the arguments given: the struct kernel wrote
 * values[0] + values[511] for every path. */
static void
check_results (Bench *bench, Case *c)
{
  g_autoptr (GError) error = NULL;
  gint32 out = 0;

  if (c->n_params != 2)
    return;
  cuda_obj_buffer_copy_to_host (c->buffers[0], (guint64) (guintptr) &out, sizeof out, 0, bench->stream,
                                &error);
  bench_check (bench->options, "copy_to_host", error);
  synchronize (bench);
  if (out != 511)
    {
      fprintf (stderr, "%s: struct_arg wrote %d, expected 511\n", bench->options->program, out);
      exit (1);
    }
}

int
main (int argc, char **argv)
{
  static const struct
  {
    const char *name;
    LaunchFunc launch;
    gboolean ours;
  } paths[] = {
    { "raw cuLaunchKernel", launch_raw, FALSE },
    { "raw cuLaunchKernelEx", launch_raw_ex, FALSE },
    { "C prebuilt args", launch_prebuilt, TRUE },
    { "C args per launch", launch_rebuild, TRUE },
  };
  static const char *const kernel_names[] = { "empty_kernel", "vector_add", "struct_arg" };
  enum
  {
    N_PATHS = G_N_ELEMENTS (paths),
    N_KERNELS = G_N_ELEMENTS (kernel_names)
  };
  BenchOptions options;
  Bench bench = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  Case cases[N_KERNELS];
  guint n_submit, n_round_trip;
  double *submit[N_KERNELS][N_PATHS], *round_trip[N_KERNELS][N_PATHS];
  double medians[2][N_KERNELS][N_PATHS];

  bench_parse_options (&options, "launch-overhead",
                       "Kernel launch cost: libcudaobj's C API next to raw cuLaunchKernel.", &argc, &argv);
  device = bench_device_or_skip (&options);
  n_submit = options.quick ? 2000 : 20000;
  n_round_trip = options.quick ? 200 : 2000;
  bench.options = &options;
  bench.drv = cuda_obj_driver_peek ();
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  bench_check (&options, "stream", error);
  bench.stream = stream;
  bench.handle = (CUstream) (guintptr) cuda_obj_stream_get_handle (stream);
  code = bench_compile_kernels (&options, device);
  for (guint k = 0; k < N_KERNELS; k++)
    case_init (&bench, &cases[k], device, code, kernel_names[k]);
  synchronize (&bench);
  bench_emit_meta (&options, device);

  /* Warm up every path: lazy module loads, first-launch costs, caches. */
  for (guint k = 0; k < N_KERNELS; k++)
    for (guint p = 0; p < N_PATHS; p++)
      {
        time_submit (&bench, &cases[k], paths[p].launch, 2 * BATCH);
        time_round_trip (&bench, &cases[k], paths[p].launch, paths[p].ours, 20);
      }

  for (guint k = 0; k < N_KERNELS; k++)
    for (guint p = 0; p < N_PATHS; p++)
      {
        submit[k][p] = g_new (double, options.repeats);
        round_trip[k][p] = g_new (double, options.repeats);
      }
  for (guint r = 0; r < options.repeats; r++)
    for (guint k = 0; k < N_KERNELS; k++)
      for (guint i = 0; i < N_PATHS; i++)
        {
          guint p = (i + r) % N_PATHS; /* rotate the order from repeat to repeat */

          submit[k][p][r] = time_submit (&bench, &cases[k], paths[p].launch, n_submit);
          round_trip[k][p][r]
              = time_round_trip (&bench, &cases[k], paths[p].launch, paths[p].ours, n_round_trip);
        }
  for (guint k = 0; k < N_KERNELS; k++)
    check_results (&bench, &cases[k]);

  for (guint m = 0; m < 2; m++)
    for (guint k = 0; k < N_KERNELS; k++)
      for (guint p = 0; p < N_PATHS; p++)
        {
          g_autofree char *case_name
              = g_strdup_printf ("%s, %s", kernel_names[k], m == 0 ? "submit" : "round trip");
          /* The target: prebuilt arguments within 5% of raw cuLaunchKernel. */
          double target = g_str_equal (paths[p].name, "C prebuilt args") ? 1.05 : 0;

          medians[m][k][p] = bench_emit_samples (
              "launch", case_name, paths[p].name, m == 0 ? submit[k][p] : round_trip[k][p], options.repeats,
              "us", m == 0 ? n_submit : n_round_trip, p == 0 ? NULL : paths[0].name, target, NULL);
        }

  printf (
      "\nKernel launch, microseconds per launch (median of %u repeats; %u launches each for submit, %u for"
      " round trip)\n",
      options.repeats, n_submit, n_round_trip);
  printf ("%-26s %-22s %12s %8s %12s %8s\n", "kernel", "path", "submit", "ratio", "round trip", "ratio");
  for (guint k = 0; k < N_KERNELS; k++)
    for (guint p = 0; p < N_PATHS; p++)
      printf ("%-26s %-22s %12.3f %8.3f %12.3f %8.3f\n", kernel_names[k], paths[p].name, medians[0][k][p],
              medians[0][k][p] / medians[0][k][0], medians[1][k][p], medians[1][k][p] / medians[1][k][0]);

  for (guint k = 0; k < N_KERNELS; k++)
    {
      for (guint p = 0; p < N_PATHS; p++)
        {
          g_free (submit[k][p]);
          g_free (round_trip[k][p]);
        }
      case_clear (&cases[k]);
    }
  return 0;
}
