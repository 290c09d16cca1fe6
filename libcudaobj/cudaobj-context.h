/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a CUDA context: primary, created, green or foreign. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-device-resource.h"

G_BEGIN_DECLS

/**
 * CudaObjContextFlags:
 * @CUDA_OBJ_CONTEXT_FLAGS_NONE: the driver's defaults (automatic scheduling)
 * @CUDA_OBJ_CONTEXT_FLAGS_SCHED_SPIN: a thread waiting for the device spins
 *   (`CU_CTX_SCHED_SPIN`): lowest latency, one busy CPU core
 * @CUDA_OBJ_CONTEXT_FLAGS_SCHED_YIELD: a waiting thread yields its CPU
 *   (`CU_CTX_SCHED_YIELD`)
 * @CUDA_OBJ_CONTEXT_FLAGS_SCHED_BLOCKING_SYNC: a waiting thread sleeps
 *   until the device is done (`CU_CTX_SCHED_BLOCKING_SYNC`)
 * @CUDA_OBJ_CONTEXT_FLAGS_MAP_HOST: page-locked host memory may be mapped
 *   into the device (`CU_CTX_MAP_HOST`; always on with unified addressing)
 * @CUDA_OBJ_CONTEXT_FLAGS_LMEM_RESIZE_TO_MAX: local memory grown for a
 *   launch is kept (`CU_CTX_LMEM_RESIZE_TO_MAX`)
 * @CUDA_OBJ_CONTEXT_FLAGS_COREDUMP_ENABLE: an exception in the context
 *   writes a GPU core dump (`CU_CTX_COREDUMP_ENABLE`)
 * @CUDA_OBJ_CONTEXT_FLAGS_USER_COREDUMP_ENABLE: a core dump can be
 *   triggered through the user pipe (`CU_CTX_USER_COREDUMP_ENABLE`)
 * @CUDA_OBJ_CONTEXT_FLAGS_SYNC_MEMOPS: synchronous memory operations
 *   always synchronize (`CU_CTX_SYNC_MEMOPS`)
 *
 * How a context created with [method@CudaObj.Device.create_context]
 * behaves; the values are the driver's `CU_CTX_*` flags. At most one
 * `SCHED_*` flag may be given.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  CUDA_OBJ_CONTEXT_FLAGS_NONE = 0,
  CUDA_OBJ_CONTEXT_FLAGS_SCHED_SPIN = 1 << 0,
  CUDA_OBJ_CONTEXT_FLAGS_SCHED_YIELD = 1 << 1,
  CUDA_OBJ_CONTEXT_FLAGS_SCHED_BLOCKING_SYNC = 1 << 2,
  CUDA_OBJ_CONTEXT_FLAGS_MAP_HOST = 1 << 3,
  CUDA_OBJ_CONTEXT_FLAGS_LMEM_RESIZE_TO_MAX = 1 << 4,
  CUDA_OBJ_CONTEXT_FLAGS_COREDUMP_ENABLE = 1 << 5,
  CUDA_OBJ_CONTEXT_FLAGS_USER_COREDUMP_ENABLE = 1 << 6,
  CUDA_OBJ_CONTEXT_FLAGS_SYNC_MEMOPS = 1 << 7,
} CudaObjContextFlags;

#define CUDA_OBJ_TYPE_CONTEXT (cuda_obj_context_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjContext, cuda_obj_context, CUDA_OBJ, CONTEXT, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjContext *cuda_obj_device_get_primary_context (CudaObjDevice *device, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjContext *cuda_obj_device_create_context (CudaObjDevice *device, CudaObjContextFlags flags,
                                                GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjContext *cuda_obj_context_new_green (CudaObjDeviceResource *resource, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjContext *cuda_obj_context_new_from_handle (CudaObjDevice *device, guint64 handle, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_context_get_device (CudaObjContext *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_context_get_handle (CudaObjContext *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_context_get_is_primary (CudaObjContext *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_context_get_is_green (CudaObjContext *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_context_get_owns_handle (CudaObjContext *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjContextFlags cuda_obj_context_get_flags (CudaObjContext *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_context_get_sm_count (CudaObjContext *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_context_is_closed (CudaObjContext *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_context_make_current (CudaObjContext *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_context_synchronize (CudaObjContext *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_context_close (CudaObjContext *self, GError **error);

G_END_DECLS
