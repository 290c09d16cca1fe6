/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vector-add: the whole path from CUDA C++ source to a checked result.
 *
 * Compiles a kernel with NVRTC for the GPU's own architecture, copies two
 * vectors to device memory, adds them there, copies the sum back and checks
 * every element. Exits with 77 (a skip for meson) when there is no CUDA
 * device, with 1 on any error or wrong result. */
#include <cudaobj.h>
#include <stdio.h>
#include <stdlib.h>

#define EXIT_SKIP 77
#define N (1 << 20)

/* extern "C" keeps the kernel's name unmangled, so it is found as "vector_add". */
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
  fprintf (stderr, "vector-add: %s: %s\n", what, error->message);
  return EXIT_FAILURE;
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
  g_autoptr (CudaObjBuffer) a = NULL, b = NULL, c = NULL;
  g_autoptr (CudaObjLaunchConfig) config = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (GBytes) a_bytes = NULL, b_bytes = NULL, result = NULL;
  g_autofree char *arch = NULL;
  g_autofree float *host_a = NULL, *host_b = NULL;
  const float *sum;
  gsize n_bad = 0;

  /* Device 0; without a driver or a device this is where it stops. */
  device = cuda_obj_device_get (0, &error);
  if (device == NULL)
    {
      fprintf (stderr, "vector-add: no CUDA device: %s\n", error->message);
      return EXIT_SKIP;
    }

  /* Compile to CUBIN for exactly this GPU: "sm_" + its arch ("90" on an H100). */
  arch = g_strdup_printf ("sm_%s", cuda_obj_device_get_arch (device));
  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, "std", "c++17", NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error);
  if (code == NULL)
    return fail ("compile", error); /* the message carries NVRTC's log */
  kernel = cuda_obj_object_code_get_kernel (code, "vector_add", &error);
  if (kernel == NULL)
    return fail ("get_kernel", error);

  /* Inputs whose sums are exact in float: a[i] + b[i] == 3 i. The GBytes
   * take the arrays over. */
  host_a = g_new (float, N);
  host_b = g_new (float, N);
  for (gsize i = 0; i < N; i++)
    {
      host_a[i] = (float) i;
      host_b[i] = 2.0f * i;
    }
  a_bytes = g_bytes_new_take (g_steal_pointer (&host_a), N * sizeof (float));
  b_bytes = g_bytes_new_take (g_steal_pointer (&host_b), N * sizeof (float));

  /* Device memory from the device's default (stream-ordered) resource; the
   * allocations, copies and the launch are all ordered on one stream. */
  stream = cuda_obj_device_create_stream (device, &error);
  if (stream == NULL)
    return fail ("create_stream", error);
  if ((a = cuda_obj_device_allocate (device, N * sizeof (float), stream, &error)) == NULL
      || (b = cuda_obj_device_allocate (device, N * sizeof (float), stream, &error)) == NULL
      || (c = cuda_obj_device_allocate (device, N * sizeof (float), stream, &error)) == NULL)
    return fail ("allocate", error);
  if (!cuda_obj_buffer_copy_from_bytes (a, a_bytes, 0, stream, &error)
      || !cuda_obj_buffer_copy_from_bytes (b, b_bytes, 0, stream, &error))
    return fail ("copy to the device", error);

  /* One thread per element, 256 per block; the arguments are checked
   * against the kernel's parameters before anything is launched. */
  config = cuda_obj_launch_config_new_for_size (N, 256);
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_buffer (args, 0, a);
  cuda_obj_kernel_args_set_buffer (args, 1, b);
  cuda_obj_kernel_args_set_buffer (args, 2, c);
  cuda_obj_kernel_args_set_uint64 (args, 3, N); /* size_t is 64 bits on the device */
  if (!cuda_obj_launch (stream, config, kernel, args, &error))
    return fail ("launch", error);

  /* copy_to_bytes waits for the stream, so the kernel has finished. */
  result = cuda_obj_buffer_copy_to_bytes (c, 0, -1, stream, &error);
  if (result == NULL)
    return fail ("copy from the device", error);
  sum = g_bytes_get_data (result, NULL);
  for (gsize i = 0; i < N; i++)
    if (sum[i] != 3.0f * i && n_bad++ < 5)
      fprintf (stderr, "vector-add: c[%" G_GSIZE_FORMAT "] is %g, expected %g\n", i, sum[i], 3.0f * i);
  if (n_bad > 0)
    {
      fprintf (stderr, "vector-add: %" G_GSIZE_FORMAT " of %d elements are wrong\n", n_bad, N);
      return EXIT_FAILURE;
    }

  printf ("vector-add: %d elements OK on %s (sm_%s)\n", N, cuda_obj_device_get_name (device),
          cuda_obj_device_get_arch (device));
  return EXIT_SUCCESS;
}
