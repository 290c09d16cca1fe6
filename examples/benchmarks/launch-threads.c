/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* launch-threads: kernel launches from 8 threads at once, each thread with
 * its own non-blocking stream, through libcudaobj's C API next to raw
 * cuLaunchKernel from the same 8 threads.
 *
 * The kernel is vector_add (three pointers and a uint64), each thread with
 * its own buffers and prebuilt KernelArgs. Every thread launches in batches
 * of 200 (the synchronize after each batch is part of the time here: the
 * measure is the aggregate throughput, launches per second over all
 * threads, from the moment all threads start until the last finishes).
 * Rows: millions of launches per second, the median over the repeats; the
 * target is the library's aggregate at least 0.9x the raw driver's, which
 * holds only if the launch path takes no lock that the threads contend on. */
#include <stdio.h>

#include "bench-util.h"

#define N_THREADS 8
#define BATCH 200

typedef struct
{
  const BenchOptions *options;
  const CudaObjDriver *drv;
  CudaObjDevice *device;
  CudaObjKernel *kernel;
  CUfunction function;
  CudaObjLaunchConfig *config;
  guint n_launches;
  gboolean raw;
  /* All threads start together. */
  GMutex lock;
  GCond cond;
  guint ready;
  gboolean go;
} Shared;

typedef struct
{
  Shared *shared;
  CudaObjStream *stream;
  CUstream handle;
  CudaObjBuffer *buffers[3];
  CUdeviceptr pointers[3];
  guint64 n;
  void *raw_params[4];
  CudaObjKernelArgs *args;
} Worker;

static gpointer
run_worker (gpointer data)
{
  Worker *w = data;
  Shared *s = w->shared;
  g_autoptr (GError) error = NULL;
  guint grid = BENCH_VECTOR_N / BENCH_VECTOR_BLOCK;

  g_mutex_lock (&s->lock);
  s->ready++;
  g_cond_broadcast (&s->cond);
  while (!s->go)
    g_cond_wait (&s->cond, &s->lock);
  g_mutex_unlock (&s->lock);

  for (guint done = 0; done < s->n_launches; done += BATCH)
    {
      for (guint i = 0; i < BATCH; i++)
        if (s->raw)
          bench_check_cu (s->options, "cuLaunchKernel",
                          s->drv->cuLaunchKernel (s->function, grid, 1, 1, BENCH_VECTOR_BLOCK, 1, 1, 0,
                                                  w->handle, w->raw_params, NULL));
        else if (!cuda_obj_launch (w->stream, s->config, s->kernel, w->args, &error))
          bench_check (s->options, "launch", error);
      bench_check_cu (s->options, "cuStreamSynchronize", s->drv->cuStreamSynchronize (w->handle));
    }
  return NULL;
}

/* Millions of launches per second over all threads. */
static double
time_path (Shared *s, Worker *workers, gboolean raw)
{
  GThread *threads[N_THREADS];
  gint64 start;

  s->raw = raw;
  s->ready = 0;
  s->go = FALSE;
  for (guint t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("launcher", run_worker, &workers[t]);
  g_mutex_lock (&s->lock);
  while (s->ready < N_THREADS)
    g_cond_wait (&s->cond, &s->lock);
  start = bench_now_ns ();
  s->go = TRUE;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);
  return (double) N_THREADS * s->n_launches / ((bench_now_ns () - start) / 1e9) / 1e6;
}

int
main (int argc, char **argv)
{
  BenchOptions options;
  Shared shared = { 0 };
  Worker workers[N_THREADS] = { { 0 } };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjLaunchConfig) config = NULL;
  static const char *const path_names[] = { "raw cuLaunchKernel", "C prebuilt args" };
  double *samples[2];
  double medians[2];

  bench_parse_options (&options, "launch-threads",
                       "Kernel launches from 8 threads, each with its own stream, next to the raw driver.",
                       &argc, &argv);
  device = bench_device_or_skip (&options);
  shared.options = &options;
  shared.drv = cuda_obj_driver_peek ();
  shared.device = device;
  shared.n_launches = options.quick ? 2000 : 20000;
  g_mutex_init (&shared.lock);
  g_cond_init (&shared.cond);
  code = bench_compile_kernels (&options, device);
  kernel = bench_get_kernel (&options, code, "vector_add");
  shared.kernel = kernel;
  bench_check_cu (&options, "cuKernelGetFunction",
                  shared.drv->cuKernelGetFunction (
                      &shared.function, (CUkernel) (guintptr) cuda_obj_kernel_get_handle (kernel)));
  config = cuda_obj_launch_config_new (BENCH_VECTOR_N / BENCH_VECTOR_BLOCK, BENCH_VECTOR_BLOCK);
  shared.config = config;

  for (guint t = 0; t < N_THREADS; t++)
    {
      Worker *w = &workers[t];

      w->shared = &shared;
      w->stream = cuda_obj_stream_new (device, TRUE, 0, &error);
      bench_check (&options, "stream", error);
      w->handle = (CUstream) (guintptr) cuda_obj_stream_get_handle (w->stream);
      w->args = cuda_obj_kernel_args_new_for_kernel (kernel);
      for (guint i = 0; i < 3; i++)
        {
          w->buffers[i]
              = cuda_obj_device_allocate (device, BENCH_VECTOR_N * sizeof (float), w->stream, &error);
          bench_check (&options, "allocate", error);
          w->pointers[i] = cuda_obj_buffer_get_handle (w->buffers[i]);
          w->raw_params[i] = &w->pointers[i];
          cuda_obj_kernel_args_set_buffer (w->args, i, w->buffers[i]);
        }
      w->n = BENCH_VECTOR_N;
      w->raw_params[3] = &w->n;
      cuda_obj_kernel_args_set_uint64 (w->args, 3, BENCH_VECTOR_N);
    }
  bench_emit_meta (&options, device);

  for (guint p = 0; p < 2; p++)
    {
      samples[p] = g_new (double, options.repeats);
      time_path (&shared, workers, p == 0); /* warm up: threads, queues */
    }
  for (guint r = 0; r < options.repeats; r++)
    for (guint i = 0; i < 2; i++)
      {
        guint p = (i + r) % 2;

        samples[p][r] = time_path (&shared, workers, p == 0);
      }

  /* Throughput: higher is better, so the ratio target is raw / ours. */
  for (guint p = 0; p < 2; p++)
    medians[p] = bench_median (samples[p], options.repeats);
  for (guint p = 0; p < 2; p++)
    {
      double min = samples[p][0], max = samples[p][0];
      g_autofree char *extra = NULL;

      for (guint r = 1; r < options.repeats; r++)
        {
          min = MIN (min, samples[p][r]);
          max = MAX (max, samples[p][r]);
        }
      if (p == 1)
        extra = g_strdup_printf (", \"targets\": [{\"min_ratio\": 0.9, \"vs\": \"%s\"}]", path_names[0]);
      bench_emit ("launch-threads", "vector_add, 8 threads, own streams", path_names[p], medians[p], min, max,
                  "M launches/s", options.repeats, (guint64) N_THREADS * shared.n_launches,
                  p == 0 ? NULL : path_names[0], 0, extra);
    }

  printf ("\nvector_add launched from %d threads, each with its own stream, millions of launches per second "
          "(median of %u repeats)\n",
          N_THREADS, options.repeats);
  printf ("%-24s %12s %8s\n", "path", "aggregate", "ratio");
  for (guint p = 0; p < 2; p++)
    printf ("%-24s %12.3f %8.3f\n", path_names[p], medians[p], medians[p] / medians[0]);

  for (guint t = 0; t < N_THREADS; t++)
    {
      for (guint i = 0; i < 3; i++)
        {
          cuda_obj_buffer_close (workers[t].buffers[i], workers[t].stream, NULL);
          g_object_unref (workers[t].buffers[i]);
        }
      g_object_unref (workers[t].args);
      g_object_unref (workers[t].stream);
    }
  for (guint p = 0; p < 2; p++)
    g_free (samples[p]);
  g_mutex_clear (&shared.lock);
  g_cond_clear (&shared.cond);
  return 0;
}
