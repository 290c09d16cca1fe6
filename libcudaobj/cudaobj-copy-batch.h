/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: many buffer-to-buffer copies submitted at once. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib-object.h>
#include "cudaobj-version.h"
#include "cudaobj-buffer.h"
#include "cudaobj-stream.h"

G_BEGIN_DECLS

/**
 * CudaObjCopyHints:
 * @CUDA_OBJ_COPY_HINTS_NONE: no hint
 * @CUDA_OBJ_COPY_HINTS_PREFER_OVERLAP_WITH_COMPUTE: the copy should rather
 *   overlap with kernels running at the same time than finish first
 *   (`CU_MEMCPY_FLAG_PREFER_OVERLAP_WITH_COMPUTE`)
 *
 * Hints for one copy of a [class@CudaObj.CopyBatch]. The driver may ignore
 * them; they never change what is copied.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  CUDA_OBJ_COPY_HINTS_NONE = 0,
  CUDA_OBJ_COPY_HINTS_PREFER_OVERLAP_WITH_COMPUTE = 1 << 0,
} CudaObjCopyHints;

#define CUDA_OBJ_TYPE_COPY_BATCH (cuda_obj_copy_batch_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjCopyBatch, cuda_obj_copy_batch, CUDA_OBJ, COPY_BATCH, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjCopyBatch *cuda_obj_copy_batch_new (void);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_copy_batch_add (CudaObjCopyBatch *self, CudaObjBuffer *dst, gsize dst_offset,
                                  CudaObjBuffer *src, gsize src_offset, gsize size, CudaObjCopyHints hints,
                                  GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_copy_batch_get_count (CudaObjCopyBatch *self);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_copy_batch_clear (CudaObjCopyBatch *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_copy_batch_submit (CudaObjCopyBatch *self, CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_copy_batch_get_used_batch_api (CudaObjCopyBatch *self);

G_END_DECLS
