/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a CUDA device and its primary context. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-cuda-enums.h"

G_BEGIN_DECLS

#define CUDA_OBJ_TYPE_DEVICE (cuda_obj_device_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjDevice, cuda_obj_device, CUDA_OBJ, DEVICE, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_device_get (guint ordinal, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_device_get_count (GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GPtrArray *cuda_obj_device_get_all (GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_device_get_ordinal (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_device_get_name (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_device_get_uuid (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_device_get_pci_bus_id (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_get_compute_capability_major (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_get_compute_capability_minor (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_device_get_arch (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_device_get_total_memory (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_get_multiprocessor_count (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_get_warp_size (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_get_max_threads_per_block (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_get_max_shared_memory_per_block (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_get_max_shared_memory_per_block_optin (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_get_l2_cache_size (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_get_clock_rate (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_get_memory_bus_width (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_get_integrated (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_get_memory_pools_supported (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_get_concurrent_managed_access (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_get_cooperative_launch (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_get_attribute (CudaObjDevice *self, CudaObjDeviceAttribute attribute, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_get_memory_info (CudaObjDevice *self, guint64 *free_bytes, guint64 *total_bytes,
                                          GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_can_access_peer (CudaObjDevice *self, CudaObjDevice *peer, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_enable_peer_access (CudaObjDevice *self, CudaObjDevice *peer, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_synchronize (CudaObjDevice *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_make_current (CudaObjDevice *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_get_lost (CudaObjDevice *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_reset (CudaObjDevice *self, GError **error);

G_END_DECLS
