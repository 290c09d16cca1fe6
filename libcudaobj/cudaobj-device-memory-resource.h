/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: stream-ordered device memory from a CUDA memory pool. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-stream.h"
#include "cudaobj-memory-resource.h"
#include "cudaobj-buffer.h"

G_BEGIN_DECLS

#define CUDA_OBJ_TYPE_DEVICE_MEMORY_RESOURCE (cuda_obj_device_memory_resource_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjDeviceMemoryResource, cuda_obj_device_memory_resource, CUDA_OBJ,
                      DEVICE_MEMORY_RESOURCE, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDeviceMemoryResource *cuda_obj_device_memory_resource_new (CudaObjDevice *device, gboolean own_pool,
                                                                  GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_memory_resource_get_own_pool (CudaObjDeviceMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_device_memory_resource_get_release_threshold (CudaObjDeviceMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_memory_resource_set_release_threshold (CudaObjDeviceMemoryResource *self,
                                                                guint64 threshold, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean
cuda_obj_device_memory_resource_get_reuse_follow_event_dependencies (CudaObjDeviceMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean
cuda_obj_device_memory_resource_set_reuse_follow_event_dependencies (CudaObjDeviceMemoryResource *self,
                                                                     gboolean enabled, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_memory_resource_get_reuse_allow_opportunistic (CudaObjDeviceMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_memory_resource_set_reuse_allow_opportunistic (CudaObjDeviceMemoryResource *self,
                                                                        gboolean enabled, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean
cuda_obj_device_memory_resource_get_reuse_allow_internal_dependencies (CudaObjDeviceMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean
cuda_obj_device_memory_resource_set_reuse_allow_internal_dependencies (CudaObjDeviceMemoryResource *self,
                                                                       gboolean enabled, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_device_memory_resource_get_reserved_memory_current (CudaObjDeviceMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_device_memory_resource_get_reserved_memory_high (CudaObjDeviceMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_device_memory_resource_get_used_memory_current (CudaObjDeviceMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_device_memory_resource_get_used_memory_high (CudaObjDeviceMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_device_memory_resource_get_max_size (CudaObjDeviceMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_memory_resource_reset_high_watermarks (CudaObjDeviceMemoryResource *self,
                                                                GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_memory_resource_get_usage (CudaObjDeviceMemoryResource *self,
                                                    guint64 *reserved_bytes, guint64 *used_bytes,
                                                    GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_memory_resource_trim_to (CudaObjDeviceMemoryResource *self, gsize min_bytes_to_keep,
                                                  GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_memory_resource_set_peer_access (CudaObjDeviceMemoryResource *self,
                                                          CudaObjDevice *peer, gboolean enabled,
                                                          GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_memory_resource_get_peer_access (CudaObjDeviceMemoryResource *self,
                                                          CudaObjDevice *peer, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDeviceMemoryResource *cuda_obj_device_memory_resource_new_from_pool_fd (CudaObjDevice *device, int fd,
                                                                               GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_memory_resource_get_ipc_enabled (CudaObjDeviceMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_memory_resource_get_is_imported (CudaObjDeviceMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_memory_resource_export_pool_fd (CudaObjDeviceMemoryResource *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GBytes *cuda_obj_device_memory_resource_export_buffer (CudaObjDeviceMemoryResource *self,
                                                       CudaObjBuffer *buffer, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjBuffer *cuda_obj_device_memory_resource_import_buffer (CudaObjDeviceMemoryResource *self,
                                                              GBytes *descriptor, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjMemoryResource *cuda_obj_device_get_memory_resource (CudaObjDevice *device);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_set_memory_resource (CudaObjDevice *device, CudaObjMemoryResource *resource,
                                              GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjBuffer *cuda_obj_device_allocate (CudaObjDevice *device, gsize size, CudaObjStream *stream,
                                         GError **error);

G_END_DECLS
