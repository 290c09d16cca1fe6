/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a span of memory that CUDA devices can use. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-stream.h"
/* Buffer and MemoryResource name each other (see cudaobj-memory-resource.c);
 * this header has the full interface, that one a forward declaration. */
#include "cudaobj-memory-resource.h"

G_BEGIN_DECLS

/**
 * CudaObjMemoryAdvice:
 * @CUDA_OBJ_MEMORY_ADVICE_SET_READ_MOSTLY: the memory is mostly read: each
 *   processor that reads it may keep a read-only copy
 * @CUDA_OBJ_MEMORY_ADVICE_UNSET_READ_MOSTLY: undoes
 *   %CUDA_OBJ_MEMORY_ADVICE_SET_READ_MOSTLY
 * @CUDA_OBJ_MEMORY_ADVICE_SET_PREFERRED_LOCATION: the memory should live
 *   on the given device (or the host) and migrate away only when it must
 * @CUDA_OBJ_MEMORY_ADVICE_UNSET_PREFERRED_LOCATION: forgets the preferred
 *   location
 * @CUDA_OBJ_MEMORY_ADVICE_SET_ACCESSED_BY: the given device (or the host)
 *   will access the memory: keep it mapped there wherever the pages are
 * @CUDA_OBJ_MEMORY_ADVICE_UNSET_ACCESSED_BY: undoes
 *   %CUDA_OBJ_MEMORY_ADVICE_SET_ACCESSED_BY for the given device (or the host)
 *
 * Advice on how managed memory will be used, for
 * [method@CudaObj.Buffer.advise] (`CUmem_advise`).
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_MEMORY_ADVICE_SET_READ_MOSTLY = 1,
  CUDA_OBJ_MEMORY_ADVICE_UNSET_READ_MOSTLY = 2,
  CUDA_OBJ_MEMORY_ADVICE_SET_PREFERRED_LOCATION = 3,
  CUDA_OBJ_MEMORY_ADVICE_UNSET_PREFERRED_LOCATION = 4,
  CUDA_OBJ_MEMORY_ADVICE_SET_ACCESSED_BY = 5,
  CUDA_OBJ_MEMORY_ADVICE_UNSET_ACCESSED_BY = 6,
} CudaObjMemoryAdvice;

#define CUDA_OBJ_TYPE_BUFFER (cuda_obj_buffer_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjBuffer, cuda_obj_buffer, CUDA_OBJ, BUFFER, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjBuffer *cuda_obj_buffer_new_from_handle (CudaObjDevice *device, guint64 address, gsize size,
                                                GObject *owner, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjBuffer *cuda_obj_buffer_new_for_resource (CudaObjMemoryResource *resource, guint64 address, gsize size,
                                                 GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_buffer_get_handle (CudaObjBuffer *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gsize cuda_obj_buffer_get_size (CudaObjBuffer *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_buffer_get_device (CudaObjBuffer *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjMemoryResource *cuda_obj_buffer_get_memory_resource (CudaObjBuffer *self);

CUDA_OBJ_AVAILABLE_IN_1_0
GObject *cuda_obj_buffer_get_owner (CudaObjBuffer *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_buffer_get_is_device_accessible (CudaObjBuffer *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_buffer_get_is_host_accessible (CudaObjBuffer *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_buffer_get_closed (CudaObjBuffer *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_buffer_copy_from_bytes (CudaObjBuffer *self, GBytes *bytes, gsize offset,
                                          CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GBytes *cuda_obj_buffer_copy_to_bytes (CudaObjBuffer *self, gsize offset, gssize size, CudaObjStream *stream,
                                       GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_buffer_copy_from_host (CudaObjBuffer *self, guint64 host_address, gsize size, gsize offset,
                                         CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_buffer_copy_to_host (CudaObjBuffer *self, guint64 host_address, gsize size, gsize offset,
                                       CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_buffer_copy_to (CudaObjBuffer *self, CudaObjBuffer *dst, gsize src_offset, gsize dst_offset,
                                  gsize size, CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_buffer_fill (CudaObjBuffer *self, guint32 pattern, guint width, gsize offset, gsize count,
                               CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_buffer_close (CudaObjBuffer *self, CudaObjStream *stream, GError **error);

/* Managed memory: advice, prefetch and discard. */

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_buffer_advise (CudaObjBuffer *self, CudaObjMemoryAdvice advice, CudaObjDevice *location,
                                 GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_buffer_prefetch (CudaObjBuffer *self, CudaObjDevice *location, CudaObjStream *stream,
                                   GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_buffer_discard (CudaObjBuffer *self, CudaObjStream *stream, GError **error);

G_END_DECLS
