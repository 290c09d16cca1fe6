/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a share of a device's streaming multiprocessors. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"

G_BEGIN_DECLS

#define CUDA_OBJ_TYPE_DEVICE_RESOURCE (cuda_obj_device_resource_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjDeviceResource, cuda_obj_device_resource, CUDA_OBJ, DEVICE_RESOURCE, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDeviceResource *cuda_obj_device_get_sm_resource (CudaObjDevice *device, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GPtrArray *cuda_obj_device_resource_split_by_count (CudaObjDeviceResource *self, guint min_count,
                                                    guint n_groups, CudaObjDeviceResource **remainder,
                                                    GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_device_resource_get_device (CudaObjDeviceResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_device_resource_get_sm_count (CudaObjDeviceResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_device_resource_get_min_partition_size (CudaObjDeviceResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_device_resource_get_alignment (CudaObjDeviceResource *self);

G_END_DECLS
