/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* conditional-loop: iterate a kernel until a residual falls below a
 * tolerance, decided on the GPU by a while node of a CUDA graph.
 *
 * The kernel halves a residual and counts its steps; it also sets the
 * graph's condition to 0 once the residual is below the tolerance. A
 * CudaObjGraphBuilder captures the kernel into the body of a while loop
 * (cuda_obj_graph_builder_while_loop()), so one launch of the graph runs
 * as many steps as the data needs, with no round trip to the host between
 * them. The graph runs twice: from 1.0 (20 halvings below 1e-6) and from
 * 1024.0 (30 halvings), and the steps and final residual are checked.
 * Exits with 77 (a skip for meson) when there is no CUDA device, with 1 on
 * any error or wrong result. */
#include <cudaobj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_SKIP 77
#define TOLERANCE 1e-6f

/* cudaGraphSetConditional() comes from the toolkit's device runtime
 * header, which Program finds in the toolkit's include directory. */
static const char source[]
    = "#include <cuda_device_runtime_api.h>\n"
      "extern \"C\" __global__ void halve (float *residual, unsigned int *steps, float tolerance,\n"
      "                                    cudaGraphConditionalHandle again)\n"
      "{\n"
      "  if (blockIdx.x == 0 && threadIdx.x == 0)\n"
      "    {\n"
      "      *residual *= 0.5f;\n"
      "      *steps += 1;\n"
      "      cudaGraphSetConditional (again, *residual >= tolerance);\n"
      "    }\n"
      "}\n";

static int
fail (const char *what, const GError *error)
{
  fprintf (stderr, "conditional-loop: %s: %s\n", what, error->message);
  return EXIT_FAILURE;
}

/* The 32-bit pattern of a float, for cuda_obj_buffer_fill(). */
static guint32
float_bits (float value)
{
  union
  {
    float f;
    guint32 u;
  } bits = { .f = value };

  return bits.u;
}

/* Starts the residual at @start, runs the graph once and checks the result. */
static gboolean
solve (CudaObjGraph *graph, CudaObjStream *stream, CudaObjBuffer *residual, CudaObjBuffer *steps, float start,
       guint expected_steps)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) residual_bytes = NULL, steps_bytes = NULL;
  float result;
  guint32 n_steps;

  if (!cuda_obj_buffer_fill (residual, float_bits (start), 4, 0, 1, stream, &error)
      || !cuda_obj_buffer_fill (steps, 0, 4, 0, 1, stream, &error)
      || !cuda_obj_graph_launch (graph, stream, &error)
      || (residual_bytes = cuda_obj_buffer_copy_to_bytes (residual, 0, 4, stream, &error)) == NULL
      || (steps_bytes = cuda_obj_buffer_copy_to_bytes (steps, 0, 4, stream, &error)) == NULL)
    {
      fail ("run the graph", error);
      return FALSE;
    }
  memcpy (&result, g_bytes_get_data (residual_bytes, NULL), 4);
  memcpy (&n_steps, g_bytes_get_data (steps_bytes, NULL), 4);
  printf ("conditional-loop: from %g: %u steps on the GPU, residual %g (tolerance %g)\n", start, n_steps,
          result, TOLERANCE);
  if (n_steps != expected_steps || result >= TOLERANCE || result * 2 < TOLERANCE)
    {
      fprintf (stderr, "conditional-loop: expected %u steps and a residual in [%g, %g)\n", expected_steps,
               TOLERANCE / 2, TOLERANCE);
      return FALSE;
    }
  return TRUE;
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
  g_autoptr (CudaObjBuffer) residual = NULL, steps = NULL;
  g_autoptr (CudaObjLaunchConfig) config = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjGraphBuilder) builder = NULL, body = NULL;
  g_autoptr (CudaObjGraphCondition) again = NULL;
  g_autoptr (CudaObjGraph) graph = NULL;
  g_autofree char *arch = NULL;

  device = cuda_obj_device_get (0, &error);
  if (device == NULL)
    {
      fprintf (stderr, "conditional-loop: no CUDA device: %s\n", error->message);
      return EXIT_SKIP;
    }
  arch = g_strdup_printf ("sm_%s", cuda_obj_device_get_arch (device));
  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, "std", "c++17", NULL);
  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  if ((code = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, NULL, &error)) == NULL)
    return fail ("compile", error);
  if ((kernel = cuda_obj_object_code_get_kernel (code, "halve", &error)) == NULL)
    return fail ("get_kernel", error);
  if ((stream = cuda_obj_device_create_stream (device, &error)) == NULL
      || (residual = cuda_obj_device_allocate (device, 4, stream, &error)) == NULL
      || (steps = cuda_obj_device_allocate (device, 4, stream, &error)) == NULL)
    return fail ("allocate", error);

  /* Capture: a while node whose condition starts at 1 at every launch, and
   * the kernel as its body. */
  if ((builder = cuda_obj_graph_builder_new (stream, CUDA_OBJ_CAPTURE_MODE_GLOBAL, &error)) == NULL
      || (again = cuda_obj_graph_builder_create_condition (builder, 1,
                                                           CUDA_OBJ_GRAPH_CONDITION_ASSIGN_DEFAULT, &error))
             == NULL
      || (body = cuda_obj_graph_builder_while_loop (builder, again, &error)) == NULL)
    return fail ("capture the loop", error);
  config = cuda_obj_launch_config_new (1, 1);
  args = cuda_obj_kernel_args_new_for_kernel (kernel);
  cuda_obj_kernel_args_set_buffer (args, 0, residual);
  cuda_obj_kernel_args_set_buffer (args, 1, steps);
  cuda_obj_kernel_args_set_float (args, 2, TOLERANCE);
  cuda_obj_kernel_args_set_condition (args, 3, again);
  if (!cuda_obj_launch (cuda_obj_graph_builder_get_stream (body), config, kernel, args, &error)
      || !cuda_obj_graph_builder_end (body, &error) || !cuda_obj_graph_builder_end (builder, &error))
    return fail ("capture the body", error);
  if ((graph = cuda_obj_graph_builder_complete (builder, CUDA_OBJ_GRAPH_INSTANTIATE_NONE, stream, &error))
      == NULL)
    return fail ("complete", error);

  printf ("conditional-loop: a while loop in a graph on %s (sm_%s)\n", cuda_obj_device_get_name (device),
          cuda_obj_device_get_arch (device));
  /* 2^-20 < 1e-6 <= 2^-19, and 1024 = 2^10. */
  if (!solve (graph, stream, residual, steps, 1.0f, 20)
      || !solve (graph, stream, residual, steps, 1024.0f, 30))
    return EXIT_FAILURE;
  return EXIT_SUCCESS;
}
