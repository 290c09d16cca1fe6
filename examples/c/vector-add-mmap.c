/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vector-add-mmap: vector addition in memory from CUDA's virtual memory API.
 *
 * CUDA's vectorAddMMAP sample with libcudaobj: the three vectors come from a
 * VirtualMemoryResource on device 0 (address ranges reserved with
 * cuMemAddressReserve, physical memory from cuMemCreate mapped into them),
 * readable and writable by every other device that can reach device 0's
 * memory as a peer. Device 0 adds the vectors; the sum is checked on the
 * host. Exits with 77 (a skip for meson) when there is no CUDA device or it
 * has no virtual memory management, with 1 on any error or wrong result. */
#include <cudaobj.h>
#include <stdio.h>
#include <stdlib.h>

#define EXIT_SKIP 77
#define N 50000

static const char source[]
    = "extern \"C\" __global__ void vector_add (const float *a, const float *b, float *c, size_t n)\n"
      "{\n"
      "  size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;\n"
      "  if (i < n)\n"
      "    c[i] = a[i] + b[i];\n"
      "}\n";

static int
fail (const char *what, const GError *error)
{
  fprintf (stderr, "vector-add-mmap: %s: %s\n", what, error->message);
  return EXIT_FAILURE;
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (CudaObjVirtualMemoryResource) resource = NULL;
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) a = NULL, b = NULL, c = NULL;
  g_autoptr (CudaObjLaunchConfig) config = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (GBytes) a_bytes = NULL, b_bytes = NULL, result = NULL;
  g_autofree char *arch = NULL;
  g_autofree float *host_a = NULL, *host_b = NULL;
  const float *sum;
  guint n_peers = 0;
  gsize n_bad = 0;

  device = cuda_obj_device_get (0, &error);
  if (device == NULL)
    {
      fprintf (stderr, "vector-add-mmap: no CUDA device: %s\n", error->message);
      return EXIT_SKIP;
    }
  if (!cuda_obj_device_get_attribute (device, CUDA_OBJ_DEVICE_ATTRIBUTE_VIRTUAL_MEMORY_MANAGEMENT_SUPPORTED,
                                      NULL))
    {
      fprintf (stderr, "vector-add-mmap: device 0 has no virtual memory management\n");
      return EXIT_SKIP;
    }

  /* The memory lives on device 0; every device that can reach it as a peer
   * gets read-write access, to the buffers allocated before and after. */
  resource = cuda_obj_virtual_memory_resource_new (device, CUDA_OBJ_VIRTUAL_MEMORY_GRANULARITY_RECOMMENDED,
                                                   CUDA_OBJ_VIRTUAL_MEMORY_HANDLE_TYPE_NONE, &error);
  if (resource == NULL)
    return fail ("VirtualMemoryResource", error);
  devices = cuda_obj_device_get_all (&error);
  if (devices == NULL)
    return fail ("get_all", error);
  for (guint i = 1; i < devices->len; i++)
    {
      CudaObjDevice *peer = devices->pdata[i];

      if (!cuda_obj_device_can_access_peer (peer, device, NULL))
        continue;
      if (!cuda_obj_virtual_memory_resource_set_access (resource, peer,
                                                        CUDA_OBJ_VIRTUAL_MEMORY_ACCESS_READ_WRITE, &error))
        return fail ("set_access", error);
      n_peers++;
    }

  arch = g_strdup_printf ("sm_%s", cuda_obj_device_get_arch (device));
  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, "std", "c++17", NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  if (code == NULL)
    return fail ("compile", error);
  kernel = cuda_obj_object_code_get_kernel (code, "vector_add", &error);
  if (kernel == NULL)
    return fail ("get_kernel", error);

  host_a = g_new (float, N);
  host_b = g_new (float, N);
  for (gsize i = 0; i < N; i++)
    {
      host_a[i] = (float) i;
      host_b[i] = 2.0f * i;
    }
  a_bytes = g_bytes_new_take (g_steal_pointer (&host_a), N * sizeof (float));
  b_bytes = g_bytes_new_take (g_steal_pointer (&host_b), N * sizeof (float));

  /* Allocation is synchronous (the stream is not needed); each buffer is
   * rounded up to the resource's granularity. */
  if ((a = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), N * sizeof (float), NULL,
                                              &error))
          == NULL
      || (b = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), N * sizeof (float),
                                                 NULL, &error))
             == NULL
      || (c = cuda_obj_memory_resource_allocate (CUDA_OBJ_MEMORY_RESOURCE (resource), N * sizeof (float),
                                                 NULL, &error))
             == NULL)
    return fail ("allocate", error);

  stream = cuda_obj_device_create_stream (device, &error);
  if (stream == NULL)
    return fail ("create_stream", error);
  if (!cuda_obj_buffer_copy_from_bytes (a, a_bytes, 0, stream, &error)
      || !cuda_obj_buffer_copy_from_bytes (b, b_bytes, 0, stream, &error))
    return fail ("copy to the device", error);

  config = cuda_obj_launch_config_new_for_size (N, 256);
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_buffer (args, 0, a);
  cuda_obj_kernel_args_set_buffer (args, 1, b);
  cuda_obj_kernel_args_set_buffer (args, 2, c);
  cuda_obj_kernel_args_set_uint64 (args, 3, N);
  if (!cuda_obj_launch (stream, config, kernel, args, &error))
    return fail ("launch", error);

  result = cuda_obj_buffer_copy_to_bytes (c, 0, N * sizeof (float), stream, &error);
  if (result == NULL)
    return fail ("copy from the device", error);
  sum = g_bytes_get_data (result, NULL);
  for (gsize i = 0; i < N; i++)
    if (sum[i] != 3.0f * i && n_bad++ < 5)
      fprintf (stderr, "vector-add-mmap: c[%" G_GSIZE_FORMAT "] is %g, expected %g\n", i, sum[i], 3.0f * i);
  if (n_bad > 0)
    {
      fprintf (stderr, "vector-add-mmap: %" G_GSIZE_FORMAT " of %d elements are wrong\n", n_bad, N);
      return EXIT_FAILURE;
    }

  /* Closing unmaps; it waits for the stream first. */
  if (!cuda_obj_buffer_close (a, stream, &error) || !cuda_obj_buffer_close (b, stream, &error)
      || !cuda_obj_buffer_close (c, stream, &error))
    return fail ("close", error);

  printf ("vector-add-mmap: %d elements OK on %s, buffers of %" G_GSIZE_FORMAT
          " bytes (granularity %" G_GUINT64_FORMAT "), %u peer device(s) with access\n",
          N, cuda_obj_device_get_name (device), cuda_obj_buffer_get_size (c),
          cuda_obj_virtual_memory_resource_get_granularity (resource), n_peers);
  return EXIT_SUCCESS;
}
