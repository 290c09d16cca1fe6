/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A program of a parent project that builds libcudaobj as a subproject: it
 * compiles against the headers, links, and runs without a GPU. */
#include <cudaobj.h>

int
main (void)
{
  g_autoptr (CudaObjProgramOptions) options = cuda_obj_program_options_new ();
  const char *problem
      = cuda_obj_check_version (CUDA_OBJ_MAJOR_VERSION, CUDA_OBJ_MINOR_VERSION, CUDA_OBJ_MICRO_VERSION);

  if (problem != NULL)
    {
      g_printerr ("libcudaobj: %s\n", problem);
      return 1;
    }
  g_print ("libcudaobj %u.%u.%u (headers %s) from a subproject\n", cuda_obj_get_major_version (),
           cuda_obj_get_minor_version (), cuda_obj_get_micro_version (), CUDA_OBJ_VERSION_S);
  return CUDA_OBJ_IS_PROGRAM_OPTIONS (options) ? 0 : 1;
}
