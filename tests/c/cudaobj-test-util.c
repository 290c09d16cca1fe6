/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cudaobj-test-util.h"

#include <string.h>

gboolean
cudaobj_test_have_gpu (const char **reason)
{
  static gsize once = 0;
  static char *why_not = NULL;

  if (g_once_init_enter (&once))
    {
      g_autoptr (GError) error = NULL;
      guint count = cuda_obj_device_get_count (&error);

      if (error != NULL)
        why_not = g_strdup_printf ("no usable CUDA driver: %s", error->message);
      else if (count == 0)
        why_not = g_strdup ("the CUDA driver found no device");
      g_once_init_leave (&once, 1);
    }
  if (reason != NULL)
    *reason = why_not;
  return why_not == NULL;
}

CudaObjDevice *
cudaobj_test_device_or_skip (void)
{
  const char *reason = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjDevice *device;

  if (!cudaobj_test_have_gpu (&reason))
    {
      g_test_skip (reason);
      return NULL;
    }
  device = cuda_obj_device_get (0, &error);
  g_assert_no_error (error);
  return device;
}

CudaObjObjectCode *
cudaobj_test_compile (CudaObjDevice *device, const char *source, const char *const *name_expressions)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *arch = g_strdup_printf ("sm_%s", cuda_obj_device_get_arch (device));
  g_autoptr (CudaObjProgramOptions) options
      = g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, "arch", arch, "std", "c++17", NULL);
  g_autoptr (CudaObjProgram) program = cuda_obj_program_new (source, CUDA_OBJ_PROGRAM_CODE_TYPE_CXX, options);
  CudaObjObjectCode *code
      = cuda_obj_program_compile (program, CUDA_OBJ_CODE_TYPE_CUBIN, name_expressions, &error);

  g_assert_no_error (error);
  g_assert_nonnull (code);
  return code;
}

void
cudaobj_test_new_from_handle_invalid (CudaObjTestWrapFunc wrap, const char *zero_message)
{
  /* A device never initialized: the handle and the driver are checked first. */
  g_autoptr (CudaObjDevice) device = g_object_new (CUDA_OBJ_TYPE_DEVICE, NULL);
  g_autoptr (GError) error = NULL;
  gboolean have_driver = cuda_obj_library_load (CUDA_OBJ_LIBRARY_DRIVER, NULL);
  GObject *owner = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_add_weak_pointer (owner, (gpointer *) &owner);
  g_assert_null (wrap (device, 0, owner, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, zero_message));
  g_clear_error (&error);
  /* Without a driver the loader's error, with one the device's. */
  g_assert_null (wrap (device, 0x1234, owner, &error));
  g_assert_error (error, CUDA_OBJ_ERROR,
                  (have_driver ? CUDA_OBJ_ERROR_NOT_INITIALIZED : CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND));
  g_clear_error (&error);
  g_assert_null (wrap (NULL, 0x1234, owner, &error));
  g_assert_error (error, CUDA_OBJ_ERROR,
                  (have_driver ? CUDA_OBJ_ERROR_INVALID_ARGUMENT : CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND));
  /* The failed wrappers did not keep the owner. */
  g_object_unref (owner);
  g_assert_null (owner);
}
