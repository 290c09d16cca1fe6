/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* green-latency: how long a small "interactive" kernel takes, launch to
 * completion, while a long computation occupies the device, with and
 * without a green-context partition that reserves SMs for it.
 *
 *   idle device            the small kernel alone: the floor
 *   busy, shared SMs       a background grid of spinning blocks fills every
 *                          SM (primary context); the small kernel, on
 *                          another stream, waits for blocks to retire
 *   busy, green partition  the background runs in a green context on the
 *                          remainder of the SMs, the small kernel in one
 *                          of RESERVED_SMS SMs: it should start at once
 *
 * Each sample: start the background, let it fill the device, then time
 * (host clock) from just before the small kernel's launch until its
 * stream's synchronize returns. Rows are medians over the samples. */
#include <stdio.h>

#include "bench-util.h"

#define RESERVED_SMS 16
/* Each background block spins this long; two 1024-thread blocks fill an SM. */
#define BLOCK_SPIN_NS 1000000
#define BACKGROUND_WAVES 20

static const char source[]
    = "extern \"C\" __global__ void spin (unsigned long long ns)\n"
      "{\n"
      "  unsigned long long start, now;\n"
      "  asm volatile (\"mov.u64 %0, %%globaltimer;\" : \"=l\"(start));\n"
      "  do asm volatile (\"mov.u64 %0, %%globaltimer;\" : \"=l\"(now)); while (now - start < ns);\n"
      "}\n"
      "extern \"C\" __global__ void tiny (unsigned int *out)\n"
      "{\n"
      "  out[threadIdx.x] += threadIdx.x;\n"
      "}\n";

typedef struct
{
  const BenchOptions *options;
  CudaObjKernel *spin;
  CudaObjKernel *tiny;
  CudaObjKernelArgs *spin_args;
  CudaObjKernelArgs *tiny_args;
  CudaObjLaunchConfig *background;
  CudaObjLaunchConfig *small;
} Bench;

/* One sample in µs: @work_stream busy (or not), @ui_stream timed. */
static double
sample (Bench *b, CudaObjStream *work_stream, CudaObjStream *ui_stream)
{
  g_autoptr (GError) error = NULL;
  gint64 start;
  double elapsed;

  if (work_stream != NULL)
    {
      cuda_obj_launch (work_stream, b->background, b->spin, b->spin_args, &error);
      bench_check (b->options, "background launch", error);
      /* Let the background reach every SM it may use. */
      g_usleep (2000);
    }
  start = bench_now_ns ();
  cuda_obj_launch (ui_stream, b->small, b->tiny, b->tiny_args, &error);
  bench_check (b->options, "small launch", error);
  cuda_obj_stream_synchronize (ui_stream, &error);
  bench_check (b->options, "small synchronize", error);
  elapsed = (bench_now_ns () - start) / 1e3;
  if (work_stream != NULL)
    {
      cuda_obj_stream_synchronize (work_stream, &error);
      bench_check (b->options, "background synchronize", error);
    }
  return elapsed;
}

int
main (int argc, char **argv)
{
  BenchOptions options;
  Bench bench = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjProgramOptions) program_options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) spin = NULL;
  g_autoptr (CudaObjKernel) tiny = NULL;
  g_autoptr (CudaObjKernelArgs) spin_args = NULL;
  g_autoptr (CudaObjKernelArgs) tiny_args = NULL;
  g_autoptr (CudaObjLaunchConfig) background = NULL;
  g_autoptr (CudaObjLaunchConfig) small = NULL;
  g_autoptr (CudaObjStream) work = NULL;
  g_autoptr (CudaObjStream) ui = NULL;
  g_autoptr (CudaObjDeviceResource) whole = NULL;
  g_autoptr (CudaObjDeviceResource) rest = NULL;
  g_autoptr (GPtrArray) groups = NULL;
  g_autoptr (CudaObjContext) ui_context = NULL;
  g_autoptr (CudaObjContext) work_context = NULL;
  g_autoptr (CudaObjStream) green_work = NULL;
  g_autoptr (CudaObjStream) green_ui = NULL;
  g_autoptr (CudaObjBuffer) out = NULL;
  g_autofree char *arch = NULL;
  g_autofree char *extra = NULL;
  g_autofree double *idle = NULL;
  g_autofree double *shared = NULL;
  g_autofree double *partitioned = NULL;
  guint n, sm_count;

  bench_parse_options (
      &options, "green-latency",
      "Latency of a small kernel on a busy device, with and without a green-context partition.", &argc,
      &argv);
  device = bench_device_or_skip (&options);
  if (cuda_obj_device_get_compute_capability_major (device) < 9)
    {
      fprintf (stderr, "green-latency: green contexts need compute capability 9.0\n");
      return 77;
    }
  n = options.quick ? 5 : 30;
  bench.options = &options;
  bench_emit_meta (&options, device);

  arch = g_strdup_printf ("sm_%s", cuda_obj_device_get_arch (device));
  program_options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, program_options);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  bench_check (&options, "compile", error);
  spin = bench_get_kernel (&options, code, "spin");
  tiny = bench_get_kernel (&options, code, "tiny");
  bench.spin = spin;
  bench.tiny = tiny;

  sm_count = (guint) cuda_obj_device_get_multiprocessor_count (device);
  background = cuda_obj_launch_config_new (sm_count * 2 * BACKGROUND_WAVES, 1024);
  small = cuda_obj_launch_config_new (1, 32);
  bench.background = background;
  bench.small = small;

  work = cuda_obj_stream_new (device, TRUE, 0, &error);
  bench_check (&options, "stream", error);
  ui = cuda_obj_stream_new (device, TRUE, 0, &error);
  bench_check (&options, "stream", error);
  out = cuda_obj_device_allocate (device, 32 * sizeof (guint32), ui, &error);
  bench_check (&options, "allocate", error);
  spin_args = cuda_obj_kernel_args_new_for_kernel (spin);
  cuda_obj_kernel_args_set_uint64 (spin_args, 0, BLOCK_SPIN_NS);
  tiny_args = cuda_obj_kernel_args_new_for_kernel (tiny);
  cuda_obj_kernel_args_set_buffer (tiny_args, 0, out);
  bench.spin_args = spin_args;
  bench.tiny_args = tiny_args;

  whole = cuda_obj_device_get_sm_resource (device, &error);
  bench_check (&options, "SM resource", error);
  groups = cuda_obj_device_resource_split_by_count (whole, RESERVED_SMS, 1, &rest, &error);
  bench_check (&options, "split", error);
  if (rest == NULL)
    {
      fprintf (stderr, "green-latency: no SMs left for the background after reserving %u\n", RESERVED_SMS);
      return 1;
    }
  ui_context = cuda_obj_context_new_green (g_ptr_array_index (groups, 0), &error);
  bench_check (&options, "green context", error);
  work_context = cuda_obj_context_new_green (rest, &error);
  bench_check (&options, "green context", error);
  green_ui = cuda_obj_context_create_stream (ui_context, TRUE, 0, &error);
  bench_check (&options, "green stream", error);
  green_work = cuda_obj_context_create_stream (work_context, TRUE, 0, &error);
  bench_check (&options, "green stream", error);

  /* Warm up: load the kernels in every context. */
  sample (&bench, NULL, ui);
  sample (&bench, NULL, green_ui);
  sample (&bench, NULL, green_work);

  idle = g_new (double, n);
  shared = g_new (double, n);
  partitioned = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      idle[i] = sample (&bench, NULL, ui);
      shared[i] = sample (&bench, work, ui);
      partitioned[i] = sample (&bench, green_work, green_ui);
    }

  extra = g_strdup_printf (", \"reserved_sms\": %u, \"background_sms\": %u, \"block_spin_us\": %d",
                           cuda_obj_device_resource_get_sm_count (g_ptr_array_index (groups, 0)),
                           cuda_obj_device_resource_get_sm_count (rest), BLOCK_SPIN_NS / 1000);
  bench_emit_samples ("green-context", "small kernel latency", "idle device", idle, n, "us", n, NULL, 0,
                      extra);
  bench_emit_samples ("green-context", "small kernel latency", "busy, shared SMs", shared, n, "us", n,
                      "idle device", 0, extra);
  bench_emit_samples ("green-context", "small kernel latency", "busy, green partition", partitioned, n, "us",
                      n, "idle device", 3, extra);
  return 0;
}
