/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* saxpy: one C++ template, two instantiations, found by name expression.
 *
 * NVRTC instantiates saxpy<float> and saxpy<double> because they are given
 * as name expressions, and records the mangled ("lowered") name each became;
 * get_kernel() then finds each kernel by its C++ name. Both run over the
 * same values, y = a x + y, and every element is checked. Exits with 77
 * (a skip for meson) when there is no CUDA device, with 1 on any error or
 * wrong result. */
#include <cudaobj.h>
#include <stdio.h>
#include <stdlib.h>

#define EXIT_SKIP 77
#define N (1 << 20)
#define A 2.5

static const char source[] = "template <typename T>\n"
                             "__global__ void saxpy (T a, const T *x, T *y, size_t n)\n"
                             "{\n"
                             "  size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;\n"
                             "  if (i < n)\n"
                             "    y[i] = a * x[i] + y[i];\n"
                             "}\n";

static const char *const name_expressions[] = { "saxpy<float>", "saxpy<double>", NULL };

/* The inputs, and the expected result: all exact in float and in double. */
static double
x_at (gsize i)
{
  return (double) (i % 1024);
}

static double
y_at (gsize i)
{
  return (double) (i % 7);
}

/* Fills a host vector of floats or doubles, copies it into new device memory. */
static CudaObjBuffer *
upload (CudaObjStream *stream, gboolean is_double, double (*value_at) (gsize), GError **error)
{
  gsize element_size = is_double ? sizeof (double) : sizeof (float);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  void *data = g_malloc (N * element_size);

  for (gsize i = 0; i < N; i++)
    if (is_double)
      ((double *) data)[i] = value_at (i);
    else
      ((float *) data)[i] = (float) value_at (i);
  bytes = g_bytes_new_take (data, N * element_size);
  buffer = cuda_obj_device_allocate (cuda_obj_stream_get_device (stream), N * element_size, stream, error);
  if (buffer == NULL || !cuda_obj_buffer_copy_from_bytes (buffer, bytes, 0, stream, error))
    return NULL;
  return g_steal_pointer (&buffer);
}

/* Runs one instantiation and checks its result: returns the number of
 * wrong elements, or -1 with @error set. */
static gssize
run_saxpy (CudaObjObjectCode *code, CudaObjStream *stream, const char *name_expression, gboolean is_double,
           GError **error)
{
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjBuffer) x = NULL, y = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjLaunchConfig) config = cuda_obj_launch_config_new_for_size (N, 256);
  g_autoptr (GBytes) result = NULL;
  const void *out;
  gssize n_bad = 0;

  /* The name expression finds the instantiation. */
  kernel = cuda_obj_object_code_get_kernel (code, name_expression, error);
  if (kernel == NULL)
    return -1;
  if ((x = upload (stream, is_double, x_at, error)) == NULL
      || (y = upload (stream, is_double, y_at, error)) == NULL)
    return -1;

  /* The scalar must match the kernel's T: 4 bytes for float, 8 for double
   * (a mismatch is an error from cuda_obj_launch(), not a crash). */
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  if (is_double)
    cuda_obj_kernel_args_set_double (args, 0, A);
  else
    cuda_obj_kernel_args_set_float (args, 0, (float) A);
  cuda_obj_kernel_args_set_buffer (args, 1, x);
  cuda_obj_kernel_args_set_buffer (args, 2, y);
  cuda_obj_kernel_args_set_uint64 (args, 3, N);
  if (!cuda_obj_launch (stream, config, kernel, args, error))
    return -1;

  /* Waits for the stream, then checks every element. */
  result = cuda_obj_buffer_copy_to_bytes (y, 0, -1, stream, error);
  if (result == NULL)
    return -1;
  out = g_bytes_get_data (result, NULL);
  for (gsize i = 0; i < N; i++)
    {
      double got = is_double ? ((const double *) out)[i] : ((const float *) out)[i];
      double expected = A * x_at (i) + y_at (i);

      if (got != expected && n_bad++ < 5)
        fprintf (stderr, "saxpy: %s: y[%" G_GSIZE_FORMAT "] is %g, expected %g\n", name_expression, i, got,
                 expected);
    }
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
  g_autoptr (CudaObjStream) stream = NULL;
  g_autofree char *arch = NULL;

  device = cuda_obj_device_get (0, &error);
  if (device == NULL)
    {
      fprintf (stderr, "saxpy: no CUDA device: %s\n", error->message);
      return EXIT_SKIP;
    }

  /* One compile makes both instantiations. */
  arch = g_strdup_printf ("sm_%s", cuda_obj_device_get_arch (device));
  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, "std", "c++17", NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, name_expressions, &error);
  if (code == NULL)
    {
      fprintf (stderr, "saxpy: compile: %s\n", error->message);
      return EXIT_FAILURE;
    }

  stream = cuda_obj_device_create_stream (device, &error);
  if (stream == NULL)
    {
      fprintf (stderr, "saxpy: create_stream: %s\n", error->message);
      return EXIT_FAILURE;
    }
  for (guint i = 0; name_expressions[i] != NULL; i++)
    {
      gboolean is_double = g_str_equal (name_expressions[i], "saxpy<double>");
      gssize n_bad = run_saxpy (code, stream, name_expressions[i], is_double, &error);

      if (n_bad < 0)
        {
          fprintf (stderr, "saxpy: %s: %s\n", name_expressions[i], error->message);
          return EXIT_FAILURE;
        }
      if (n_bad > 0)
        {
          fprintf (stderr, "saxpy: %s: %" G_GSSIZE_FORMAT " of %d elements are wrong\n", name_expressions[i],
                   n_bad, N);
          return EXIT_FAILURE;
        }
      /* The symbol NVRTC gave the instantiation, as the driver knows it. */
      printf ("saxpy: %-14s -> %-26s %d elements OK\n", name_expressions[i],
              cuda_obj_object_code_get_lowered_name (code, name_expressions[i]), N);
    }
  printf ("saxpy: float and double OK on %s (sm_%s)\n", cuda_obj_device_get_name (device),
          cuda_obj_device_get_arch (device));
  return EXIT_SUCCESS;
}
