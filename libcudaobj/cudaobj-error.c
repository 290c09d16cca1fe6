/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: error domains and the CUresult -> GError helper. */
#include "config.h"

#include <string.h>

#include "cudaobj-error.h"
#include "cudaobj-cuda-enums.h"
#include "cudaobj-error-private.h"
/* The CUresult check, declared with the driver tables it guards so that a
 * call site needs one header, asks the loaded driver to describe a failure;
 * the loader checks its own driver calls with it. A circle of functions
 * between this file and the loader, not of headers. */
#include "cudaobj-loader-private.h"
/* Include circle with Device, kept: the check marks a device lost after a
 * sticky fault, and Device reports misuse with error-private.h. */
#include "cudaobj-device-private.h"

/**
 * cuda_obj_error_quark:
 *
 * The error domain of libcudaobj's own errors.
 *
 * Returns: the %CUDA_OBJ_ERROR quark
 *
 * Since: 1.0
 */
/* clang-format off */
G_DEFINE_QUARK (cuda-obj-error-quark, cuda_obj_error)
/* clang-format on */

/**
 * cuda_obj_driver_error_quark:
 *
 * The error domain of CUDA driver errors.
 *
 * Returns: the %CUDA_OBJ_DRIVER_ERROR quark
 *
 * Since: 1.0
 */
/* clang-format off */
G_DEFINE_QUARK (cuda-obj-driver-error-quark, cuda_obj_driver_error)
/* clang-format on */

/**
 * cuda_obj_driver_error_get_name:
 * @code: a `CUresult` value, as found in a %CUDA_OBJ_DRIVER_ERROR error's code
 *
 * Gives the name of a driver error code as cuda.h spells it, such as
 * "CUDA_ERROR_OUT_OF_MEMORY"; works without a driver.
 *
 * Returns: (nullable): the name, or %NULL when @code is not a known `CUresult`
 *
 * Since: 1.0
 */
const char *
cuda_obj_driver_error_get_name (int code)
{
  static const char *prefix = "CUDA_OBJ_DRIVER_ERROR_";
  GEnumClass *klass = g_type_class_ref (CUDA_OBJ_TYPE_DRIVER_ERROR);
  GEnumValue *value = g_enum_get_value (klass, code);
  const char *name = NULL;

  if (value != NULL)
    {
      /* CUDA_OBJ_DRIVER_ERROR_X -> CUDA_ERROR_X (CUDA_SUCCESS for 0). */
      g_autofree char *full = g_strconcat ("CUDA_ERROR_", value->value_name + strlen (prefix), NULL);
      name = code == 0 ? "CUDA_SUCCESS" : g_intern_string (full);
    }
  g_type_class_unref (klass);
  return name;
}

gboolean
cuda_obj_check_foreign_handle (CUresult result, const char *call, const char *what, guint64 handle,
                               GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (result == CUDA_SUCCESS)
    return TRUE;
  if (result != CUDA_ERROR_INVALID_HANDLE && result != CUDA_ERROR_INVALID_VALUE
      && result != CUDA_ERROR_INVALID_CONTEXT && result != CUDA_ERROR_CONTEXT_IS_DESTROYED)
    return cuda_obj_check_failed (result, call, error);
  cuda_obj_check_failed (result, call, &local_error);
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
               "Cannot wrap %s handle 0x%" G_GINT64_MODIFIER "x: the driver does not know it in this "
               "device's context (%s)",
               what, handle, local_error->message);
  return FALSE;
}

gboolean
cuda_obj_check_failed (CUresult result, const char *call, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  const char *description = NULL;
  const char *name = cuda_obj_driver_error_get_name (result);
  g_autofree char *fallback = NULL;

  if (cuda_obj_result_is_sticky (result))
    {
      /* The fault destroyed the current context: mark its device lost. The
       * call that sees it first reports the driver's error; later ones say
       * what to do about it. */
      gboolean already_lost = FALSE;
      CUresult first = result;
      CudaObjDevice *device = cuda_obj_device_mark_lost (result, &already_lost, &first);

      if (device != NULL && already_lost)
        {
          const char *first_name = cuda_obj_driver_error_get_name (first);

          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_DEVICE_LOST,
                       "%s: device %u (%s) was lost to an earlier fault (%s); reset it with "
                       "cuda_obj_device_reset()",
                       call, cuda_obj_device_get_ordinal (device), cuda_obj_device_get_name (device),
                       first_name != NULL ? first_name : "unknown CUresult");
          return FALSE;
        }
    }

  if (drv == NULL || drv->cuGetErrorString (result, &description) != CUDA_SUCCESS)
    {
      /* Without a driver to ask, the code's own name reads well enough:
       * CUDA_ERROR_OUT_OF_MEMORY -> "out of memory". */
      fallback = g_ascii_strdown (name != NULL ? name + strlen ("CUDA_ERROR_") : "unknown error", -1);
      g_strdelimit (fallback, "_", ' ');
      description = fallback;
    }

  g_set_error (error, CUDA_OBJ_DRIVER_ERROR, (int) result, "%s: %s (%s)", call, description,
               name != NULL ? name : "unknown CUresult");
  return FALSE;
}

gboolean
cuda_obj_set_not_initialized (GError **error, gpointer object, const char *func)
{
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
               "%s: the %s was not initialized: it was made with a plain constructor (g_object_new) "
               "and g_initable_init() was not called, or its construction failed",
               func, G_OBJECT_TYPE_NAME (object));
  return FALSE;
}

gboolean
cuda_obj_set_null_argument (GError **error, const char *func, const char *argument)
{
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "%s: %s must not be NULL", func,
               argument);
  return FALSE;
}

gboolean
cuda_obj_check_task (gpointer result, gpointer object, gpointer source_tag, const char *func, GError **error)
{
  if (G_LIKELY (g_task_is_valid (result, object) && g_task_get_source_tag (G_TASK (result)) == source_tag))
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
               "%s: the result is not of this operation on this object", func);
  return FALSE;
}
