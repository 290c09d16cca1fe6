/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* signal-latency: how soon a GLib main loop hears that GPU work finished,
 * through CudaObjEvent's "completed" signal, next to a thread that blocks
 * in cuStreamSynchronize.
 *
 * Every iteration launches the empty kernel (raw cuLaunchKernel, the same
 * call in every row, so that only the way of waiting differs) and measures
 * from just before the launch until the waiter knows it is done:
 *   raw cuStreamSynchronize          the baseline: the thread blocks in the
 *                                    driver until the stream is idle
 *   Event::completed in GMainLoop    cuda_obj_event_record() with a handler
 *                                    connected, then g_main_loop_run() until
 *                                    the handler runs (the signal is emitted
 *                                    from an idle source that a driver host
 *                                    function attaches to the loop's context)
 *   Event::completed, waiter thread  the same with the event's completion
 *                                    mode WAITER_THREAD: a pool thread waits
 *                                    in cuEventSynchronize (spinning: the
 *                                    event has no blocking-sync) and
 *                                    attaches the idle source
 *   raw cuLaunchHostFunc + GCond     the driver's host-function callback
 *                                    signalling a condition variable: the
 *                                    floor of any callback-based notice
 * Rows are medians over the repeats of the mean time per iteration; the
 * paths alternate within each repeat. */
#include <stdio.h>

#include "bench-util.h"

typedef struct
{
  const BenchOptions *options;
  const CudaObjDriver *drv;
  CudaObjStream *stream;
  CUstream handle;
  CUfunction function;
  CudaObjEvent *event;
  GMainLoop *loop;
  gint64 signalled_at;
  GMutex lock;
  GCond cond;
  gboolean done;
} Bench;

static void
launch (Bench *b)
{
  bench_check_cu (
      b->options, "cuLaunchKernel",
      b->drv->cuLaunchKernel (b->function, 1, 1, 1, BENCH_SMALL_BLOCK, 1, 1, 0, b->handle, NULL, NULL));
}

static void
on_completed (CudaObjEvent *event, Bench *b)
{
  b->signalled_at = bench_now_ns ();
  g_main_loop_quit (b->loop);
}

static void CUDA_CB
host_func (void *data)
{
  Bench *b = data;

  g_mutex_lock (&b->lock);
  b->done = TRUE;
  g_cond_signal (&b->cond);
  g_mutex_unlock (&b->lock);
}

typedef enum
{
  SYNCHRONIZE,
  SIGNAL,
  SIGNAL_WAITER,
  HOST_FUNC,
  N_PATHS
} Path;

static const char *const path_names[] = {
  "raw cuStreamSynchronize",
  "Event::completed in GMainLoop",
  "Event::completed, waiter thread",
  "raw cuLaunchHostFunc + GCond",
};

/* Microseconds from launch to notice, averaged over @n. */
static double
time_path (Bench *b, Path path, guint n)
{
  g_autoptr (GError) error = NULL;
  gint64 total = 0;

  for (guint i = 0; i < n; i++)
    {
      gint64 start = bench_now_ns ();

      launch (b);
      switch (path)
        {
        case SYNCHRONIZE:
          bench_check_cu (b->options, "cuStreamSynchronize", b->drv->cuStreamSynchronize (b->handle));
          total += bench_now_ns () - start;
          break;
        case SIGNAL:
        case SIGNAL_WAITER:
          cuda_obj_event_set_completion_mode (b->event, path == SIGNAL
                                                            ? CUDA_OBJ_COMPLETION_MODE_HOST_FUNCTION
                                                            : CUDA_OBJ_COMPLETION_MODE_WAITER_THREAD);
          b->signalled_at = 0;
          cuda_obj_event_record (b->event, b->stream, &error);
          bench_check (b->options, "record", error);
          g_main_loop_run (b->loop);
          if (b->signalled_at == 0)
            {
              fprintf (stderr, "%s: the main loop returned without the signal\n", b->options->program);
              exit (1);
            }
          total += b->signalled_at - start;
          break;
        case HOST_FUNC:
        default:
          b->done = FALSE;
          bench_check_cu (b->options, "cuLaunchHostFunc", b->drv->cuLaunchHostFunc (b->handle, host_func, b));
          g_mutex_lock (&b->lock);
          while (!b->done)
            g_cond_wait (&b->cond, &b->lock);
          g_mutex_unlock (&b->lock);
          total += bench_now_ns () - start;
          /* The stream is idle for the next iteration. */
          bench_check_cu (b->options, "cuStreamSynchronize", b->drv->cuStreamSynchronize (b->handle));
          break;
        }
    }
  return total / 1e3 / n;
}

int
main (int argc, char **argv)
{
  BenchOptions options;
  Bench bench = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjEvent) event = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  double *samples[N_PATHS];
  double medians[N_PATHS];
  guint n;

  bench_parse_options (&options, "signal-latency",
                       "Completion notice: Event::completed in a GLib main loop next to cuStreamSynchronize.",
                       &argc, &argv);
  device = bench_device_or_skip (&options);
  n = options.quick ? 200 : 2000;
  bench.options = &options;
  bench.drv = cuda_obj_driver_peek ();
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  bench_check (&options, "stream", error);
  bench.stream = stream;
  bench.handle = (CUstream) (guintptr) cuda_obj_stream_get_handle (stream);
  code = bench_compile_kernels (&options, device);
  kernel = bench_get_kernel (&options, code, "empty_kernel");
  bench_check_cu (&options, "cuKernelGetFunction",
                  bench.drv->cuKernelGetFunction (&bench.function,
                                                  (CUkernel) (guintptr) cuda_obj_kernel_get_handle (kernel)));
  event = cuda_obj_event_new (device, FALSE, FALSE, &error);
  bench_check (&options, "event", error);
  bench.event = event;
  loop = g_main_loop_new (NULL, FALSE);
  bench.loop = loop;
  g_mutex_init (&bench.lock);
  g_cond_init (&bench.cond);
  g_signal_connect (event, "completed", G_CALLBACK (on_completed), &bench);
  bench_emit_meta (&options, device);

  for (guint p = 0; p < N_PATHS; p++)
    {
      samples[p] = g_new (double, options.repeats);
      time_path (&bench, p, 50); /* warm up */
    }
  for (guint r = 0; r < options.repeats; r++)
    for (guint i = 0; i < N_PATHS; i++)
      {
        Path p = (i + r) % N_PATHS;

        samples[p][r] = time_path (&bench, p, n);
      }

  for (guint p = 0; p < N_PATHS; p++)
    {
      /* The target: the signal, in the mode the user chooses for latency,
       * within 2x of the synchronize round trip. */
      medians[p] = bench_emit_samples (
          "signal", "empty kernel, launch to notice", path_names[p], samples[p], options.repeats, "us", n,
          p == SYNCHRONIZE ? NULL : path_names[SYNCHRONIZE], p == SIGNAL_WAITER ? 2.0 : 0, NULL);
      g_free (samples[p]);
    }

  printf (
      "\nLaunch of an empty kernel until the waiter knows it finished, microseconds (median of %u repeats of"
      " %u)\n",
      options.repeats, n);
  printf ("%-32s %12s %8s\n", "path", "latency", "ratio");
  for (guint p = 0; p < N_PATHS; p++)
    printf ("%-32s %12.2f %8.3f\n", path_names[p], medians[p], medians[p] / medians[SYNCHRONIZE]);

  g_mutex_clear (&bench.lock);
  g_cond_clear (&bench.cond);
  return 0;
}
