/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: error domains. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib.h>
#include "cudaobj-version.h"

G_BEGIN_DECLS

/**
 * CUDA_OBJ_ERROR:
 *
 * Error domain for failures found by libcudaobj itself: missing libraries,
 * bad arguments, compile and link failures, closed objects. Codes are
 * [enum@CudaObj.Error] values.
 *
 * Since: 1.0
 */
#define CUDA_OBJ_ERROR (cuda_obj_error_quark ())

/**
 * CUDA_OBJ_DRIVER_ERROR:
 *
 * Error domain for failures reported by the CUDA driver. Codes are the
 * driver's `CUresult` values, named by [enum@CudaObj.DriverError]; messages read
 * "cuMemAlloc: out of memory".
 *
 * Since: 1.0
 */
#define CUDA_OBJ_DRIVER_ERROR (cuda_obj_driver_error_quark ())

/**
 * CudaObjError:
 * @CUDA_OBJ_ERROR_FAILED: a failure that fits no other code
 * @CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND: a CUDA library (driver, NVRTC,
 *   nvJitLink, NVVM) could not be found or loaded; the message lists what
 *   was searched
 * @CUDA_OBJ_ERROR_SYMBOL_NOT_FOUND: a loaded CUDA library lacks an entry
 *   point libcudaobj needs
 * @CUDA_OBJ_ERROR_DRIVER_TOO_OLD: the driver supports an older CUDA than
 *   libcudaobj was built for
 * @CUDA_OBJ_ERROR_NO_DEVICE: there is no CUDA device with the requested ordinal
 * @CUDA_OBJ_ERROR_INVALID_ARGUMENT: an argument is out of range or
 *   inconsistent (kernel arguments, launch configuration, sizes, options)
 * @CUDA_OBJ_ERROR_CLOSED: the object was closed and can no longer be used
 * @CUDA_OBJ_ERROR_NOT_SUPPORTED: the driver, device or toolkit does not
 *   support the operation
 * @CUDA_OBJ_ERROR_COMPILE: compilation failed; the message carries the log
 * @CUDA_OBJ_ERROR_LINK: linking failed; the message carries the log
 * @CUDA_OBJ_ERROR_IO: reading or writing a file failed
 * @CUDA_OBJ_ERROR_NOT_INITIALIZED: the object was created without being
 *   initialized (a plain `g_object_new()` of a [iface@Gio.Initable] class, or
 *   `new` from a binding without its constructor) and has no CUDA resource
 * @CUDA_OBJ_ERROR_DEVICE_LOST: the device's context was destroyed by a fault
 *   (an illegal address, a trap, a failed device assertion); the device
 *   must be reset before it is used again
 *
 * Error codes of the %CUDA_OBJ_ERROR domain.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_ERROR_FAILED,
  CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND,
  CUDA_OBJ_ERROR_SYMBOL_NOT_FOUND,
  CUDA_OBJ_ERROR_DRIVER_TOO_OLD,
  CUDA_OBJ_ERROR_NO_DEVICE,
  CUDA_OBJ_ERROR_INVALID_ARGUMENT,
  CUDA_OBJ_ERROR_CLOSED,
  CUDA_OBJ_ERROR_NOT_SUPPORTED,
  CUDA_OBJ_ERROR_COMPILE,
  CUDA_OBJ_ERROR_LINK,
  CUDA_OBJ_ERROR_IO,
  CUDA_OBJ_ERROR_NOT_INITIALIZED,
  CUDA_OBJ_ERROR_DEVICE_LOST,
} CudaObjError;

CUDA_OBJ_AVAILABLE_IN_1_0
GQuark cuda_obj_error_quark (void);

CUDA_OBJ_AVAILABLE_IN_1_0
GQuark cuda_obj_driver_error_quark (void);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_driver_error_get_name (int code);

G_END_DECLS
