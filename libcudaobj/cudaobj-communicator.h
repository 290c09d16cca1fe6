/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: an NCCL communicator, for collectives across GPUs and hosts. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-buffer.h"
#include "cudaobj-data-type.h"
#include "cudaobj-device.h"
#include "cudaobj-stream.h"
#include "cudaobj-strided-view.h"

G_BEGIN_DECLS

/**
 * CUDA_OBJ_COMMUNICATOR_UNIQUE_ID_SIZE:
 *
 * The size in bytes of a unique id from
 * [func@CudaObj.Communicator.get_unique_id] (NCCL's `NCCL_UNIQUE_ID_BYTES`).
 *
 * Since: 1.0
 */
#define CUDA_OBJ_COMMUNICATOR_UNIQUE_ID_SIZE 128

/**
 * CudaObjReduceOp:
 * @CUDA_OBJ_REDUCE_OP_SUM: the sum
 * @CUDA_OBJ_REDUCE_OP_PROD: the product
 * @CUDA_OBJ_REDUCE_OP_MAX: the maximum
 * @CUDA_OBJ_REDUCE_OP_MIN: the minimum
 * @CUDA_OBJ_REDUCE_OP_AVG: the average (the sum divided by the number of ranks)
 *
 * How a reducing collective of a [class@CudaObj.Communicator] combines the
 * ranks' elements.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_REDUCE_OP_SUM,
  CUDA_OBJ_REDUCE_OP_PROD,
  CUDA_OBJ_REDUCE_OP_MAX,
  CUDA_OBJ_REDUCE_OP_MIN,
  CUDA_OBJ_REDUCE_OP_AVG,
} CudaObjReduceOp;

#define CUDA_OBJ_TYPE_COMMUNICATOR (cuda_obj_communicator_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjCommunicator, cuda_obj_communicator, CUDA_OBJ, COMMUNICATOR, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
GBytes *cuda_obj_communicator_get_unique_id (GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
char *cuda_obj_communicator_unique_id_to_string (GBytes *unique_id, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GBytes *cuda_obj_communicator_unique_id_from_string (const char *text, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjCommunicator *cuda_obj_communicator_new (CudaObjDevice *device, int n_ranks, int rank,
                                                GBytes *unique_id, GCancellable *cancellable, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GPtrArray *cuda_obj_communicator_new_all (CudaObjDevice **devices, guint n_devices, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjCommunicator *cuda_obj_communicator_split (CudaObjCommunicator *self, int color, int key,
                                                  GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_communicator_get_device (CudaObjCommunicator *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_communicator_get_rank (CudaObjCommunicator *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_communicator_get_n_ranks (CudaObjCommunicator *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_communicator_get_timeout (CudaObjCommunicator *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_get_closed (CudaObjCommunicator *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_all_reduce (CudaObjCommunicator *self, CudaObjBuffer *send,
                                           CudaObjBuffer *recv, gsize count, CudaObjDataType data_type,
                                           CudaObjReduceOp op, CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_broadcast (CudaObjCommunicator *self, CudaObjBuffer *send, CudaObjBuffer *recv,
                                          gsize count, CudaObjDataType data_type, int root,
                                          CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_reduce (CudaObjCommunicator *self, CudaObjBuffer *send, CudaObjBuffer *recv,
                                       gsize count, CudaObjDataType data_type, CudaObjReduceOp op, int root,
                                       CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_all_gather (CudaObjCommunicator *self, CudaObjBuffer *send,
                                           CudaObjBuffer *recv, gsize count, CudaObjDataType data_type,
                                           CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_reduce_scatter (CudaObjCommunicator *self, CudaObjBuffer *send,
                                               CudaObjBuffer *recv, gsize count, CudaObjDataType data_type,
                                               CudaObjReduceOp op, CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_all_to_all (CudaObjCommunicator *self, CudaObjBuffer *send,
                                           CudaObjBuffer *recv, gsize count, CudaObjDataType data_type,
                                           CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_send (CudaObjCommunicator *self, CudaObjBuffer *buffer, gsize count,
                                     CudaObjDataType data_type, int peer, CudaObjStream *stream,
                                     GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_recv (CudaObjCommunicator *self, CudaObjBuffer *buffer, gsize count,
                                     CudaObjDataType data_type, int peer, CudaObjStream *stream,
                                     GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_all_reduce_view (CudaObjCommunicator *self, CudaObjStridedView *send,
                                                CudaObjStridedView *recv, CudaObjReduceOp op,
                                                CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_broadcast_view (CudaObjCommunicator *self, CudaObjStridedView *send,
                                               CudaObjStridedView *recv, int root, CudaObjStream *stream,
                                               GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_reduce_view (CudaObjCommunicator *self, CudaObjStridedView *send,
                                            CudaObjStridedView *recv, CudaObjReduceOp op, int root,
                                            CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_all_gather_view (CudaObjCommunicator *self, CudaObjStridedView *send,
                                                CudaObjStridedView *recv, CudaObjStream *stream,
                                                GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_reduce_scatter_view (CudaObjCommunicator *self, CudaObjStridedView *send,
                                                    CudaObjStridedView *recv, CudaObjReduceOp op,
                                                    CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_all_to_all_view (CudaObjCommunicator *self, CudaObjStridedView *send,
                                                CudaObjStridedView *recv, CudaObjStream *stream,
                                                GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_send_view (CudaObjCommunicator *self, CudaObjStridedView *view, int peer,
                                          CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_recv_view (CudaObjCommunicator *self, CudaObjStridedView *view, int peer,
                                          CudaObjStream *stream, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_group_start (GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_group_end (GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_check (CudaObjCommunicator *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_abort (CudaObjCommunicator *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_communicator_close (CudaObjCommunicator *self, GError **error);

G_END_DECLS
