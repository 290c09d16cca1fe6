/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the interface of everything that hands out Buffers. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-stream.h"

G_BEGIN_DECLS

/* Declared in full by cudaobj-buffer.h; a Buffer and its resource refer to
 * each other. */
typedef struct _CudaObjBuffer CudaObjBuffer;

#define CUDA_OBJ_TYPE_MEMORY_RESOURCE (cuda_obj_memory_resource_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_INTERFACE (CudaObjMemoryResource, cuda_obj_memory_resource, CUDA_OBJ, MEMORY_RESOURCE, GObject)

/**
 * CudaObjMemoryResourceInterface:
 * @g_iface: the parent interface
 * @allocate: allocates @size bytes ordered on @stream (%NULL: the legacy
 *   default stream of the resource's device) and returns them as a new
 *   [class@CudaObj.Buffer] whose close calls @deallocate; see
 *   [method@CudaObj.MemoryResource.allocate]
 * @deallocate: frees memory that @allocate gave, ordered on @stream; see
 *   [method@CudaObj.MemoryResource.deallocate]
 *
 * The virtual methods of [iface@CudaObj.MemoryResource]. An implementation also
 * provides the interface's three read-only properties
 * ([property@CudaObj.MemoryResource:device], [property@CudaObj.MemoryResource:is-device-accessible],
 * [property@CudaObj.MemoryResource:is-host-accessible]), with
 * [method@GObject.ObjectClass.override_property] in C or a property of the same name in
 * other languages.
 *
 * Since: 1.0
 */
struct _CudaObjMemoryResourceInterface
{
  GTypeInterface g_iface;

  CudaObjBuffer *(*allocate) (CudaObjMemoryResource *self, gsize size, CudaObjStream *stream, GError **error);
  gboolean (*deallocate) (CudaObjMemoryResource *self, guint64 handle, gsize size, CudaObjStream *stream,
                          GError **error);

  /*< private >*/
  gpointer padding[8];
};

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjBuffer *cuda_obj_memory_resource_allocate (CudaObjMemoryResource *self, gsize size,
                                                  CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_memory_resource_deallocate (CudaObjMemoryResource *self, guint64 handle, gsize size,
                                              CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_memory_resource_get_device (CudaObjMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_memory_resource_get_is_device_accessible (CudaObjMemoryResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_memory_resource_get_is_host_accessible (CudaObjMemoryResource *self);

G_END_DECLS
