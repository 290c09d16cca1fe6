/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* streams-events: two kernels on two streams, timed with events, and a main
 * loop told of their completion by the events' "completed" signal.
 *
 * Each stream records a timing event, runs its kernel and records a second
 * event whose "completed" signal is connected. The signal is emitted in the
 * main loop (never on a CUDA driver thread) once the GPU has finished the
 * work before the event, so the program sleeps in g_main_loop_run() instead
 * of blocking on the GPU; the loop quits when both streams are done. Then
 * each kernel's GPU time comes from its pair of events, and both results
 * are checked. Exits with 77 (a skip for meson) when there is no CUDA
 * device, with 1 on any error, wrong result or time-out. */
#include <cudaobj.h>
#include <stdio.h>
#include <stdlib.h>

#define EXIT_SKIP 77
#define N (1 << 22)
#define ROUNDS 64

/* Two kernels with results the host can recompute: per element, ROUNDS
 * steps of a linear congruential generator, or of xorshift. */
static const char source[]
    = "extern \"C\" __global__ void lcg (unsigned int *out, size_t n, int rounds)\n"
      "{\n"
      "  size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;\n"
      "  if (i >= n)\n"
      "    return;\n"
      "  unsigned int v = (unsigned int) i;\n"
      "  for (int r = 0; r < rounds; r++)\n"
      "    v = v * 1664525u + 1013904223u;\n"
      "  out[i] = v;\n"
      "}\n"
      "extern \"C\" __global__ void xorshift (unsigned int *out, size_t n, int rounds)\n"
      "{\n"
      "  size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;\n"
      "  if (i >= n)\n"
      "    return;\n"
      "  unsigned int v = (unsigned int) i + 1u;\n"
      "  for (int r = 0; r < rounds; r++)\n"
      "    {\n"
      "      v ^= v << 13;\n"
      "      v ^= v >> 17;\n"
      "      v ^= v << 5;\n"
      "    }\n"
      "  out[i] = v;\n"
      "}\n";

static guint32
lcg_reference (guint32 i)
{
  guint32 v = i;

  for (int r = 0; r < ROUNDS; r++)
    v = v * 1664525u + 1013904223u;
  return v;
}

static guint32
xorshift_reference (guint32 i)
{
  guint32 v = i + 1u;

  for (int r = 0; r < ROUNDS; r++)
    {
      v ^= v << 13;
      v ^= v >> 17;
      v ^= v << 5;
    }
  return v;
}

/* What the main loop waits for. */
typedef struct
{
  GMainLoop *loop;
  guint pending;
  gboolean timed_out;
} Waiter;

/* One kernel on its own stream, between two events. */
typedef struct
{
  const char *kernel_name;
  guint32 (*reference) (guint32 i);
  Waiter *waiter;
  CudaObjStream *stream;
  CudaObjBuffer *output;
  CudaObjEvent *start;
  CudaObjEvent *end;
} Job;

static void
job_clear (Job *job)
{
  g_clear_object (&job->end);
  g_clear_object (&job->start);
  g_clear_object (&job->output);
  g_clear_object (&job->stream);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Job, job_clear)

/* Emitted in the main loop once the GPU has reached job->end. */
static void
on_completed (CudaObjEvent *event, gpointer user_data)
{
  Job *job = user_data;

  printf ("streams-events: %s completed\n", job->kernel_name);
  if (--job->waiter->pending == 0)
    g_main_loop_quit (job->waiter->loop);
}

static gboolean
on_timeout (gpointer user_data)
{
  Waiter *waiter = user_data;

  waiter->timed_out = TRUE;
  g_main_loop_quit (waiter->loop);
  return G_SOURCE_REMOVE;
}

/* Queues start event, kernel and end event on a new stream; returns at once. */
static gboolean
job_start (Job *job, CudaObjDevice *device, CudaObjObjectCode *code, GError **error)
{
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_for_size (N, 256);

  kernel = cuda_obj_object_code_get_kernel (code, job->kernel_name, error);
  if (kernel == NULL)
    return FALSE;
  job->stream = cuda_obj_device_create_stream (device, error);
  if (job->stream == NULL)
    return FALSE;
  job->output = cuda_obj_device_allocate (device, N * sizeof (guint32), job->stream, error);
  if (job->output == NULL)
    return FALSE;

  /* record (NULL) makes and records a new timing event. */
  job->start = cuda_obj_stream_record (job->stream, NULL, error);
  if (job->start == NULL)
    return FALSE;

  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_buffer (args, 0, job->output);
  cuda_obj_kernel_args_set_uint64 (args, 1, N);
  cuda_obj_kernel_args_set_int32 (args, 2, ROUNDS);
  if (!cuda_obj_launch (job->stream, config, kernel, args, error))
    return FALSE;

  /* Connect before recording: only records made while a handler is
   * connected are reported, in the thread-default main context of the
   * thread that records (here the global default one, which the loop runs). */
  job->end = cuda_obj_device_create_event (device, error);
  if (job->end == NULL)
    return FALSE;
  g_signal_connect (job->end, "completed", G_CALLBACK (on_completed), job);
  return cuda_obj_event_record (job->end, job->stream, error);
}

/* After completion: the GPU time between the events, and the check.
 * Returns the number of wrong elements, or -1 with @error set. */
static gssize
job_finish (Job *job, guint index, GError **error)
{
  g_autoptr (GBytes) result = NULL;
  GError *timing_error = NULL;
  const guint32 *values;
  double ms;
  gssize n_bad = 0;

  /* Both events have completed, as elapsed_time requires. */
  ms = cuda_obj_event_elapsed_time (job->start, job->end, &timing_error);
  if (timing_error != NULL)
    {
      g_propagate_error (error, timing_error);
      return -1;
    }
  result = cuda_obj_buffer_copy_to_bytes (job->output, 0, -1, job->stream, error);
  if (result == NULL)
    return -1;
  values = g_bytes_get_data (result, NULL);
  for (guint32 i = 0; i < N; i++)
    if (values[i] != job->reference (i) && n_bad++ < 5)
      fprintf (stderr, "streams-events: %s: out[%u] is %u, expected %u\n", job->kernel_name, i, values[i],
               job->reference (i));
  if (n_bad == 0)
    printf ("streams-events: stream %u: %-8s %d elements OK, %.3f ms on the GPU\n", index, job->kernel_name,
            N, ms);
  return n_bad;
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *arch = NULL;
  Waiter waiter = { loop, 0, FALSE };
  g_auto (Job) first = { "lcg", lcg_reference, &waiter, NULL, NULL, NULL, NULL };
  g_auto (Job) second = { "xorshift", xorshift_reference, &waiter, NULL, NULL, NULL, NULL };
  Job *jobs[] = { &first, &second };
  gint64 launched;
  guint timeout_id;

  device = cuda_obj_device_get (0, &error);
  if (device == NULL)
    {
      fprintf (stderr, "streams-events: no CUDA device: %s\n", error->message);
      return EXIT_SKIP;
    }

  arch = g_strdup_printf ("sm_%s", cuda_obj_device_get_arch (device));
  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, "std", "c++17", NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  if (code == NULL)
    {
      fprintf (stderr, "streams-events: compile: %s\n", error->message);
      return EXIT_FAILURE;
    }

  /* Both streams get their work at once; neither waits for the other. */
  launched = g_get_monotonic_time ();
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      if (!job_start (jobs[i], device, code, &error))
        {
          fprintf (stderr, "streams-events: %s: %s\n", jobs[i]->kernel_name, error->message);
          return EXIT_FAILURE;
        }
      waiter.pending++;
    }

  /* Sleep in the main loop until both "completed" signals came; a failed
   * kernel never completes, hence the time-out. */
  timeout_id = g_timeout_add_seconds (60, on_timeout, &waiter);
  g_main_loop_run (loop);
  if (waiter.timed_out)
    {
      fprintf (stderr, "streams-events: timed out waiting for the GPU\n");
      return EXIT_FAILURE;
    }
  g_source_remove (timeout_id);
  printf ("streams-events: both streams done %.3f ms after the first launch\n",
          (g_get_monotonic_time () - launched) / 1000.0);

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      gssize n_bad = job_finish (jobs[i], i + 1, &error);

      if (n_bad < 0)
        {
          fprintf (stderr, "streams-events: %s: %s\n", jobs[i]->kernel_name, error->message);
          return EXIT_FAILURE;
        }
      if (n_bad > 0)
        {
          fprintf (stderr, "streams-events: %s: %" G_GSSIZE_FORMAT " of %d elements are wrong\n",
                   jobs[i]->kernel_name, n_bad, N);
          return EXIT_FAILURE;
        }
    }
  printf ("streams-events: 2 kernels on 2 streams OK on %s\n", cuda_obj_device_get_name (device));
  return EXIT_SUCCESS;
}
