/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: page-locked host memory. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-memory-resource.h"

G_BEGIN_DECLS

#define CUDA_OBJ_TYPE_LEGACY_PINNED_MEMORY_RESOURCE (cuda_obj_legacy_pinned_memory_resource_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjLegacyPinnedMemoryResource, cuda_obj_legacy_pinned_memory_resource, CUDA_OBJ,
                      LEGACY_PINNED_MEMORY_RESOURCE, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjLegacyPinnedMemoryResource *cuda_obj_legacy_pinned_memory_resource_new (CudaObjDevice *device,
                                                                               GError **error);

G_END_DECLS
