/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* compile-template: compile a C++ template for two types and show what
 * NVRTC made of it, without a GPU.
 *
 * The name expressions "scale<float>" and "scale<double>" make NVRTC
 * instantiate the template and record the mangled ("lowered") name of each
 * instantiation; the PTX then has one .entry per instantiation under those
 * names. The architecture is the first argument (default sm_90); leave the
 * "arch" option unset to compile for device 0 instead. */
#include <cudaobj.h>
#include <stdio.h>
#include <string.h>

static const char source[] = "template <typename T>\n"
                             "__global__ void scale (T *data, T factor, unsigned n)\n"
                             "{\n"
                             "  unsigned i = blockIdx.x * blockDim.x + threadIdx.x;\n"
                             "  if (i < n)\n"
                             "    data[i] *= factor;\n"
                             "}\n";

static const char *const name_expressions[] = { "scale<float>", "scale<double>", NULL };

int
main (int argc, char **argv)
{
  const char *arch = argc > 1 ? argv[1] : "sm_90";
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjProgramOptions) options = NULL;
  g_autoptr (CudaObjProgram) program = NULL;
  g_autoptr (CudaObjObjectCode) ptx = NULL;
  g_auto (GStrv) argv_nvrtc = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *joined = NULL, *text = NULL;
  gsize size = 0;
  const char *data;

  options = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, "std", "c++17", NULL);
  argv_nvrtc = cuda_obj_program_options_to_argv (options, &error);
  if (argv_nvrtc == NULL)
    {
      fprintf (stderr, "compile-template: %s\n", error->message);
      return 1;
    }
  joined = g_strjoinv (" ", argv_nvrtc);
  printf ("NVRTC options: %s\n", joined);

  program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  ptx = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_PTX, name_expressions, &error);
  if (ptx == NULL)
    {
      fprintf (stderr, "compile-template: %s\n", error->message);
      return 1;
    }

  for (guint i = 0; name_expressions[i] != NULL; i++)
    printf ("%-14s -> %s\n", name_expressions[i],
            cuda_obj_object_code_get_lowered_name (ptx, name_expressions[i]));

  data = g_bytes_get_data (cuda_obj_object_code_get_code (ptx), &size);
  text = g_strndup (data, size);
  lines = g_strsplit (text, "\n", -1);
  printf ("PTX entries:\n");
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], ".entry ") != NULL)
      printf ("  %s\n", g_strstrip (lines[i]));
  return 0;
}
