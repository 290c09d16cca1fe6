/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: surface objects, kernel loads and stores of arrays. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-array.h"

G_BEGIN_DECLS

#define CUDA_OBJ_TYPE_SURFACE_OBJECT (cuda_obj_surface_object_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjSurfaceObject, cuda_obj_surface_object, CUDA_OBJ, SURFACE_OBJECT, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjSurfaceObject *cuda_obj_surface_object_new (CudaObjArray *array, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_surface_object_get_handle (CudaObjSurfaceObject *self);
CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjArray *cuda_obj_surface_object_get_array (CudaObjSurfaceObject *self);

G_END_DECLS
