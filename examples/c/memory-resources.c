/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* memory-resources: the same kernel over memory from each kind of resource.
 *
 * A CudaObjMemoryResource hands out CudaObjBuffers. This example takes one
 * buffer from each of libcudaobj's resources: the device's default
 * stream-ordered pool, page-locked (pinned) host memory (legacy, and from a
 * pool where the driver has host pools), unified (managed) memory and plain
 * synchronous cuMemAlloc memory. Host-accessible buffers
 * are written and read directly through their address; the others are
 * filled and read with copies. The kernel runs over each, every element is
 * checked, and a copy from each buffer into device memory is timed with
 * events. Exits with 77 (a skip for meson) when there is no CUDA device,
 * with 1 on any error or wrong result. */
#include <cudaobj.h>
#include <stdio.h>
#include <stdlib.h>

#define EXIT_SKIP 77
#define N (1 << 22)
#define BYTES (N * sizeof (float))

static const char source[] = "extern \"C\" __global__ void scale_add (float *x, float a, float b, size_t n)\n"
                             "{\n"
                             "  size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;\n"
                             "  if (i < n)\n"
                             "    x[i] = a * x[i] + b;\n"
                             "}\n";

/* Input and expected output, exact in float. */
static float
input_at (gsize i)
{
  return (float) (i % 1000);
}

static float
expected_at (gsize i)
{
  return 2.0f * input_at (i) + 1.0f;
}

/* Fills a buffer from one resource, runs the kernel over it, times a copy
 * of it into @scratch (device memory) and checks the result. Returns the
 * number of wrong elements, or -1 with @error set. */
static gssize
run_on_resource (const char *label, CudaObjMemoryResource *resource, CudaObjKernel *kernel,
                 CudaObjStream *stream, CudaObjBuffer *scratch, GError **error)
{
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_for_size (N, 256);
  g_autoptr (CudaObjEvent) start = NULL, end = NULL;
  g_autoptr (GBytes) result = NULL;
  GError *timing_error = NULL;
  const float *out;
  gboolean host_accessible;
  double ms;
  gssize n_bad = 0;

  buffer = cuda_obj_memory_resource_allocate (resource, BYTES, stream, error);
  if (buffer == NULL)
    return -1;

  /* Pinned and managed memory live at one address for host and device:
   * write the input straight through it, once the stream has reached the
   * allocation (pools allocate in stream order). Device memory needs a
   * copy. */
  host_accessible = cuda_obj_buffer_get_is_host_accessible (buffer);
  if (host_accessible)
    {
      float *host = (float *) (guintptr) cuda_obj_buffer_get_handle (buffer);

      if (!cuda_obj_stream_synchronize (stream, error))
        return -1;

      for (gsize i = 0; i < N; i++)
        host[i] = input_at (i);
    }
  else
    {
      g_autofree float *input = g_new (float, N);
      g_autoptr (GBytes) bytes = NULL;

      for (gsize i = 0; i < N; i++)
        input[i] = input_at (i);
      bytes = g_bytes_new_take (g_steal_pointer (&input), BYTES);
      if (!cuda_obj_buffer_copy_from_bytes (buffer, bytes, 0, stream, error))
        return -1;
    }

  /* The kernel is the same whatever the memory: x = 2 x + 1. */
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_buffer (args, 0, buffer);
  cuda_obj_kernel_args_set_float (args, 1, 2.0f);
  cuda_obj_kernel_args_set_float (args, 2, 1.0f);
  cuda_obj_kernel_args_set_uint64 (args, 3, N);
  if (!cuda_obj_launch (stream, config, kernel, args, error))
    return -1;

  /* A copy into device memory, between two timing events; then wait until
   * the stream is idle (which also completes @end). */
  if ((start = cuda_obj_stream_record (stream, NULL, error)) == NULL
      || !cuda_obj_buffer_copy_to (buffer, scratch, 0, 0, BYTES, stream, error)
      || (end = cuda_obj_stream_record (stream, NULL, error)) == NULL
      || !cuda_obj_stream_synchronize (stream, error))
    return -1;
  ms = cuda_obj_event_elapsed_time (start, end, &timing_error);
  if (timing_error != NULL)
    {
      g_propagate_error (error, timing_error);
      return -1;
    }

  /* No work is running now, so the host may read what the kernel wrote:
   * host-accessible memory in place, the rest through a copy. */
  if (host_accessible)
    out = (const float *) (guintptr) cuda_obj_buffer_get_handle (buffer);
  else
    {
      result = cuda_obj_buffer_copy_to_bytes (buffer, 0, -1, stream, error);
      if (result == NULL)
        return -1;
      out = g_bytes_get_data (result, NULL);
    }
  for (gsize i = 0; i < N; i++)
    if (out[i] != expected_at (i) && n_bad++ < 5)
      fprintf (stderr, "memory-resources: %s: x[%" G_GSIZE_FORMAT "] is %g, expected %g\n", label, i, out[i],
               expected_at (i));
  if (n_bad == 0)
    printf ("memory-resources: %-8s %-29s %-15s %d floats OK; "
            "%u MiB copy to device memory %.3f ms (%.1f GB/s)\n",
            label, G_OBJECT_TYPE_NAME (resource), host_accessible ? "host-accessible" : "device-only", N,
            (guint) (BYTES >> 20), ms, BYTES / (ms * 1e6));

  /* Give the memory back in stream order (dropping the last reference
   * would too, on the legacy default stream). */
  if (!cuda_obj_buffer_close (buffer, stream, error))
    return -1;
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
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) scratch = NULL;
  g_autoptr (CudaObjMemoryResource) default_resource = NULL;
  g_autoptr (CudaObjLegacyPinnedMemoryResource) pinned = NULL;
  g_autoptr (CudaObjPinnedMemoryResource) pinned_pool = NULL;
  g_autoptr (CudaObjManagedMemoryResource) managed = NULL;
  g_autoptr (CudaObjSyncMemoryResource) sync = NULL;
  g_autofree char *arch = NULL;
  struct
  {
    const char *label;
    CudaObjMemoryResource *resource;
  } resources[] = { { "default", NULL },
                    { "legacy pinned", NULL },
                    { "managed", NULL },
                    { "sync", NULL },
                    { "pinned pool", NULL } };
  guint n_resources = G_N_ELEMENTS (resources);

  device = cuda_obj_device_get (0, &error);
  if (device == NULL)
    {
      fprintf (stderr, "memory-resources: no CUDA device: %s\n", error->message);
      return EXIT_SKIP;
    }

  arch = g_strdup_printf ("sm_%s", cuda_obj_device_get_arch (device));
  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, "std", "c++17", NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  if ((code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error)) == NULL
      || (kernel = cuda_obj_object_code_get_kernel (code, "scale_add", &error)) == NULL
      || (stream = cuda_obj_device_create_stream (device, &error)) == NULL)
    {
      fprintf (stderr, "memory-resources: %s\n", error->message);
      return EXIT_FAILURE;
    }

  /* The device's default resource: its stream-ordered memory pool (or
   * cuMemAlloc memory on a device without pools). The others are made here. */
  default_resource = cuda_obj_device_get_memory_resource (device);
  if ((pinned = cuda_obj_legacy_pinned_memory_resource_new (device, &error)) == NULL
      || (managed = cuda_obj_managed_memory_resource_new (device, &error)) == NULL
      || (sync = cuda_obj_sync_memory_resource_new (device, &error)) == NULL
      || (scratch = cuda_obj_device_allocate (device, BYTES, stream, &error)) == NULL)
    {
      fprintf (stderr, "memory-resources: %s\n", error->message);
      return EXIT_FAILURE;
    }
  resources[0].resource = default_resource;
  resources[1].resource = CUDA_OBJ_MEMORY_RESOURCE (pinned);
  resources[2].resource = CUDA_OBJ_MEMORY_RESOURCE (managed);
  resources[3].resource = CUDA_OBJ_MEMORY_RESOURCE (sync);
  /* Pools of pinned host memory need a CUDA 12.6 driver: without one, the
   * legacy resource above is the pinned memory there is. */
  pinned_pool = cuda_obj_pinned_memory_resource_new (device, -1, &error);
  if (pinned_pool != NULL)
    resources[4].resource = CUDA_OBJ_MEMORY_RESOURCE (pinned_pool);
  else if (g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED))
    {
      printf ("memory-resources: no pinned pool: %s\n", error->message);
      g_clear_error (&error);
      n_resources--;
    }
  else
    {
      fprintf (stderr, "memory-resources: %s\n", error->message);
      return EXIT_FAILURE;
    }

  for (guint i = 0; i < n_resources; i++)
    {
      gssize n_bad;

      n_bad = run_on_resource (resources[i].label, resources[i].resource, kernel, stream, scratch, &error);

      if (n_bad < 0)
        {
          fprintf (stderr, "memory-resources: %s: %s\n", resources[i].label, error->message);
          return EXIT_FAILURE;
        }
      if (n_bad > 0)
        {
          fprintf (stderr, "memory-resources: %s: %" G_GSSIZE_FORMAT " of %d elements are wrong\n",
                   resources[i].label, n_bad, N);
          return EXIT_FAILURE;
        }
    }
  printf ("memory-resources: %u resources OK on %s\n", n_resources, cuda_obj_device_get_name (device));
  return EXIT_SUCCESS;
}
