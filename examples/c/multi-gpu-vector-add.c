/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* multi-gpu-vector-add: one vector add, split across every GPU present.
 *
 * Each device gets a contiguous slice of the vectors and its own stream.
 * The kernel is compiled once per distinct architecture among the devices:
 * a CudaObjKernel is independent of devices, so the one compiled for sm_90
 * launches on every sm_90 device. All the work is queued before anything
 * waits: each stream copies its slice of the inputs in, adds, and copies
 * its slice of the sum into one result buffer on device 0. Between two
 * devices that copy is a peer copy: direct where peer access to device 0
 * is enabled (below, wherever the devices allow it), staged through the
 * host otherwise. Device 0's stream then waits for every other stream,
 * the sum is copied to the host and every element checked; events on each
 * stream time its steps. One device is a valid case. Exits with 77 (a skip
 * for meson) when there is no CUDA device, with 1 on any error or wrong
 * result. */
#include <cudaobj.h>
#include <stdio.h>
#include <stdlib.h>

#define EXIT_SKIP 77
/* Odd on purpose: the slices of several devices differ by one element. */
#define N ((1 << 24) + 7)

static const char source[]
    = "extern \"C\" __global__ void vector_add (const float *a, const float *b, float *c, size_t n)\n"
      "{\n"
      "  size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;\n"
      "  if (i < n)\n"
      "    c[i] = a[i] + b[i];\n"
      "}\n";

/* Inputs whose sums are exact in float: a[i] + b[i] == 3 a[i]. */
static float
a_at (gsize i)
{
  return (float) (i % 4096);
}

/* One device's part of the work. */
typedef struct
{
  CudaObjDevice *device; /* owned */
  gsize first, count;    /* the elements [first, first + count) */
  CudaObjStream *stream;
  CudaObjBuffer *a, *b, *c;
  CudaObjEvent *events[4]; /* start, inputs copied in, added, gathered on device 0 */
} Slice;

static void
slice_free (gpointer data)
{
  Slice *slice = data;

  for (guint e = 0; e < G_N_ELEMENTS (slice->events); e++)
    g_clear_object (&slice->events[e]);
  g_clear_object (&slice->c);
  g_clear_object (&slice->b);
  g_clear_object (&slice->a);
  g_clear_object (&slice->stream);
  g_clear_object (&slice->device);
  g_free (slice);
}

static int
fail (const char *what, const GError *error)
{
  fprintf (stderr, "multi-gpu-vector-add: %s: %s\n", what, error->message);
  return EXIT_FAILURE;
}

static int
fail_on_device (guint ordinal, const GError *error)
{
  fprintf (stderr, "multi-gpu-vector-add: device %u: %s\n", ordinal, error->message);
  return EXIT_FAILURE;
}

/* Prints which devices each device can access as a peer, and enables peer
 * access from every other device to device 0, which the gathering copies
 * write to. */
static gboolean
set_up_peer_access (GPtrArray *devices, GError **error)
{
  CudaObjDevice *first = devices->pdata[0];

  for (guint i = 0; i < devices->len; i++)
    {
      g_autoptr (GString) peers = g_string_new (NULL);

      for (guint j = 0; j < devices->len; j++)
        {
          GError *local_error = NULL;

          if (i == j)
            continue;
          if (cuda_obj_device_can_access_peer (devices->pdata[i], devices->pdata[j], &local_error))
            g_string_append_printf (peers, " %u", j);
          else if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
        }
      printf ("multi-gpu-vector-add: device %u: %s (sm_%s), peer access to:%s\n", i,
              cuda_obj_device_get_name (devices->pdata[i]), cuda_obj_device_get_arch (devices->pdata[i]),
              peers->len > 0 ? peers->str : " none");
    }

  for (guint i = 1; i < devices->len; i++)
    {
      GError *local_error = NULL;

      if (cuda_obj_device_can_access_peer (devices->pdata[i], first, &local_error))
        {
          if (!cuda_obj_device_enable_peer_access (devices->pdata[i], first, error))
            return FALSE;
          printf ("multi-gpu-vector-add: peer access %u -> 0 enabled: direct copies\n", i);
        }
      else if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      else
        printf ("multi-gpu-vector-add: no peer access %u -> 0: copies staged through the host\n", i);
    }
  return TRUE;
}

/* Makes the slice's stream and allocates its memory on its device. */
static gboolean
slice_prepare (Slice *slice, GError **error)
{
  g_autoptr (CudaObjSyncMemoryResource) memory = NULL;
  gsize bytes = slice->count * sizeof (float);

  /* cuMemAlloc memory: peer access covers it (memory from a stream-ordered
   * pool has an access list of its own instead). Each buffer keeps the
   * resource alive. */
  return (slice->stream = cuda_obj_device_create_stream (slice->device, error)) != NULL
         && (memory = cuda_obj_sync_memory_resource_new (slice->device, error)) != NULL
         && (slice->a = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (memory), bytes,
                                                           slice->stream, error))
                != NULL
         && (slice->b = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (memory), bytes,
                                                           slice->stream, error))
                != NULL
         && (slice->c = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (memory), bytes,
                                                           slice->stream, error))
                != NULL;
}

/* Queues the slice's whole part of the work on its stream, between timing
 * events: its inputs copied in, the add, and its part of the sum copied
 * into device 0's @result at the slice's offset. Waits for nothing (from
 * pageable host memory the driver only stages the inputs before the copy
 * calls return). */
static gboolean
slice_start (Slice *slice, CudaObjKernel *kernel, GBytes *a_bytes, GBytes *b_bytes, CudaObjBuffer *result,
             GError **error)
{
  gsize bytes = slice->count * sizeof (float);
  g_autoptr (GBytes) a_part = g_bytes_new_from_bytes (a_bytes, slice->first * sizeof (float), bytes);
  g_autoptr (GBytes) b_part = g_bytes_new_from_bytes (b_bytes, slice->first * sizeof (float), bytes);
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_for_size (slice->count, 256);
  g_autoptr (CudaObjKernelArgs) args = cuda_obj_kernel_args_new_for_kernel (kernel);

  cuda_obj_kernel_args_set_buffer (args, 0, slice->a);
  cuda_obj_kernel_args_set_buffer (args, 1, slice->b);
  cuda_obj_kernel_args_set_buffer (args, 2, slice->c);
  cuda_obj_kernel_args_set_uint64 (args, 3, slice->count);

  return (slice->events[0] = cuda_obj_stream_record (slice->stream, NULL, error)) != NULL
         && cuda_obj_buffer_copy_from_bytes (slice->a, a_part, 0, slice->stream, error)
         && cuda_obj_buffer_copy_from_bytes (slice->b, b_part, 0, slice->stream, error)
         && (slice->events[1] = cuda_obj_stream_record (slice->stream, NULL, error)) != NULL
         && cuda_obj_launch (slice->stream, config, kernel, args, error)
         && (slice->events[2] = cuda_obj_stream_record (slice->stream, NULL, error)) != NULL
         && cuda_obj_buffer_copy_to (slice->c, result, 0, slice->first * sizeof (float), bytes, slice->stream,
                                     error)
         && (slice->events[3] = cuda_obj_stream_record (slice->stream, NULL, error)) != NULL;
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (GPtrArray) slices = g_ptr_array_new_with_free_func (slice_free);
  g_autoptr (GHashTable) kernels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_autoptr (CudaObjSyncMemoryResource) result_memory = NULL;
  g_autoptr (CudaObjBuffer) result = NULL;
  g_autoptr (GBytes) a_bytes = NULL, b_bytes = NULL, sum_bytes = NULL;
  g_autofree float *host_a = NULL, *host_b = NULL;
  CudaObjStream *gather_stream;
  const float *sum;
  gint64 launched, queued_us, done_us;
  gsize n_bad = 0;

  /* Every device, in ordinal order; none (or no driver) is a skip. */
  devices = cuda_obj_device_get_all (&error);
  if (devices == NULL)
    {
      fprintf (stderr, "multi-gpu-vector-add: no CUDA device: %s\n", error->message);
      return EXIT_SKIP;
    }
  if (devices->len == 0)
    {
      fprintf (stderr, "multi-gpu-vector-add: no CUDA device: the CUDA driver found none\n");
      return EXIT_SKIP;
    }
  if (!set_up_peer_access (devices, &error))
    return fail ("peer access", error);

  /* One compile per distinct architecture. */
  for (guint i = 0; i < devices->len; i++)
    {
      const char *device_arch = cuda_obj_device_get_arch (devices->pdata[i]);
      g_autoptr (CudaObjProgramOptions) options = NULL;
      g_autoptr (CudaObjProgram) program = NULL;
      g_autoptr (CudaObjObjectCode) code = NULL;
      g_autofree char *arch = NULL;
      CudaObjKernel *kernel;

      if (g_hash_table_contains (kernels, device_arch))
        continue;
      arch = g_strdup_printf ("sm_%s", device_arch);
      options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, "std", "c++17", NULL);
      program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
      code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
      if (code == NULL)
        return fail (arch, error);
      kernel = cuda_obj_object_code_get_kernel (code, "vector_add", &error);
      if (kernel == NULL)
        return fail (arch, error);
      g_hash_table_insert (kernels, g_strdup (device_arch), kernel);
      printf ("multi-gpu-vector-add: compiled vector_add for %s\n", arch);
    }

  host_a = g_new (float, N);
  host_b = g_new (float, N);
  for (gsize i = 0; i < N; i++)
    {
      host_a[i] = a_at (i);
      host_b[i] = 2.0f * a_at (i);
    }
  a_bytes = g_bytes_new_take (g_steal_pointer (&host_a), N * sizeof (float));
  b_bytes = g_bytes_new_take (g_steal_pointer (&host_b), N * sizeof (float));

  /* The whole sum goes to device 0. */
  result_memory = cuda_obj_sync_memory_resource_new (devices->pdata[0], &error);
  if (result_memory == NULL)
    return fail ("memory resource", error);
  result = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (result_memory), N * sizeof (float),
                                              NULL, &error);
  if (result == NULL)
    return fail ("allocate", error);

  /* Device k takes the elements [N k / K, N (k + 1) / K), on its own
   * stream and in its own memory. */
  for (guint k = 0; k < devices->len; k++)
    {
      Slice *slice = g_new0 (Slice, 1);

      g_ptr_array_add (slices, slice);
      slice->device = g_object_ref (devices->pdata[k]);
      slice->first = (gsize) ((guint64) N * k / devices->len);
      slice->count = (gsize) ((guint64) N * (k + 1) / devices->len) - slice->first;
      if (!slice_prepare (slice, &error))
        return fail_on_device (k, error);
    }

  /* Everything is queued, one device after the other, with no wait in
   * between: the devices work at the same time. */
  launched = g_get_monotonic_time ();
  for (guint k = 0; k < slices->len; k++)
    {
      Slice *slice = slices->pdata[k];
      CudaObjKernel *kernel = g_hash_table_lookup (kernels, cuda_obj_device_get_arch (slice->device));

      if (!slice_start (slice, kernel, a_bytes, b_bytes, result, &error))
        return fail_on_device (k, error);
    }
  queued_us = g_get_monotonic_time () - launched;

  /* Device 0's stream waits (on the GPU, not here) for every other stream,
   * so once it is idle the whole sum is in place; copy_to_bytes waits for
   * exactly that. */
  gather_stream = ((Slice *) slices->pdata[0])->stream;
  for (guint k = 1; k < slices->len; k++)
    if (!cuda_obj_stream_wait_stream (gather_stream, ((Slice *) slices->pdata[k])->stream, &error))
      return fail ("wait_stream", error);
  sum_bytes = cuda_obj_buffer_copy_to_bytes (result, 0, -1, gather_stream, &error);
  if (sum_bytes == NULL)
    return fail ("copy to the host", error);
  done_us = g_get_monotonic_time () - launched;

  sum = g_bytes_get_data (sum_bytes, NULL);
  for (gsize i = 0; i < N; i++)
    if (sum[i] != 3.0f * a_at (i) && n_bad++ < 5)
      fprintf (stderr, "multi-gpu-vector-add: c[%" G_GSIZE_FORMAT "] is %g, expected %g\n", i, sum[i],
               3.0f * a_at (i));
  if (n_bad > 0)
    {
      fprintf (stderr, "multi-gpu-vector-add: %" G_GSIZE_FORMAT " of %d elements are wrong\n", n_bad, N);
      return EXIT_FAILURE;
    }

  /* Every stream's events have completed: device 0's stream waited for them. */
  for (guint k = 0; k < slices->len; k++)
    {
      Slice *slice = slices->pdata[k];
      double ms[3];

      for (guint e = 0; e < 3; e++)
        {
          ms[e] = cuda_obj_event_elapsed_time (slice->events[e], slice->events[e + 1], &error);
          if (error != NULL)
            return fail ("elapsed_time", error);
        }
      printf ("multi-gpu-vector-add: device %u: elements [%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT "): "
              "copy in %.3f ms, add %.3f ms, copy to device 0 %.3f ms\n",
              k, slice->first, slice->first + slice->count, ms[0], ms[1], ms[2]);
    }
  printf ("multi-gpu-vector-add: all queued in %.3f ms, the sum on the host after %.3f ms\n",
          queued_us / 1000.0, done_us / 1000.0);
  printf ("multi-gpu-vector-add: %d elements over %u device(s) OK\n", N, devices->len);
  return EXIT_SUCCESS;
}
