/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: many buffer-to-buffer copies submitted at once.
 *
 * The copies are kept as (buffer, offset) pairs holding references, so a
 * batch can be submitted again; submit hands them to cuMemcpyBatchAsync in
 * one call where it can, and to Buffer.copy_to one by one where it cannot. */
#include "config.h"

#include <string.h>

#include "cudaobj-copy-batch.h"
#include "cudaobj-device-private.h"
#include "cudaobj-stream-private.h"
#include "cudaobj-error-private.h"

typedef struct
{
  CudaObjBuffer *dst; /* owned */
  CudaObjBuffer *src; /* owned */
  gsize dst_offset;
  gsize src_offset;
  gsize size;
  CudaObjCopyHints hints;
} Copy;

struct _CudaObjCopyBatch
{
  GObject parent_instance;

  GArray *copies; /* of Copy */
  gboolean used_batch_api;
};

enum
{
  PROP_0,
  PROP_COUNT,
  PROP_USED_BATCH_API,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * CudaObjCopyBatch:
 *
 * A list of copies between [class@CudaObj.Buffer]s, submitted to a stream
 * together. Each copy is a (destination, offset, source, offset, size)
 * with its own [flags@CudaObj.CopyHints]; any mix of device, pinned and
 * managed memory works.
 *
 * ```python
 * batch = CudaObj.CopyBatch()
 * for dst, src in zip(destinations, sources):
 *     batch.add(dst, 0, src, 0, src.props.size, CudaObj.CopyHints.NONE)
 * batch.submit(stream)
 * ```
 *
 * [method@CudaObj.CopyBatch.submit] queues all the copies in one driver
 * call, `cuMemcpyBatchAsync`, when the driver has it (CUDA 12.8 and newer
 * drivers, with libcudaobj built against CUDA 13 headers) and the copies
 * allow it; otherwise it queues them one by one, as
 * [method@CudaObj.Buffer.copy_to] would.
 * [property@CudaObj.CopyBatch:used-batch-api] tells which way the last
 * submission went. The copies of one batch may run in any order and at the
 * same time: a copy must not read what another copy of the batch writes.
 *
 * The batch keeps its buffers alive until it is cleared or finalized, and
 * can be submitted again, to the same stream or another one.
 *
 * A batch must not be changed from two threads at once.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjCopyBatch, cuda_obj_copy_batch, G_TYPE_OBJECT)

static void
copy_clear (gpointer data)
{
  Copy *copy = data;

  g_clear_object (&copy->dst);
  g_clear_object (&copy->src);
}

static void
cuda_obj_copy_batch_finalize (GObject *object)
{
  CudaObjCopyBatch *self = CUDA_OBJ_COPY_BATCH (object);

  g_array_unref (self->copies);
  G_OBJECT_CLASS (cuda_obj_copy_batch_parent_class)->finalize (object);
}

static void
cuda_obj_copy_batch_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjCopyBatch *self = CUDA_OBJ_COPY_BATCH (object);

  switch (prop_id)
    {
    case PROP_COUNT: g_value_set_uint (value, cuda_obj_copy_batch_get_count (self)); break;
    case PROP_USED_BATCH_API: g_value_set_boolean (value, self->used_batch_api); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_copy_batch_class_init (CudaObjCopyBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cuda_obj_copy_batch_finalize;
  object_class->get_property = cuda_obj_copy_batch_get_property;

  /**
   * CudaObjCopyBatch:count:
   *
   * How many copies the batch holds. Read it with
   * [method@CudaObj.CopyBatch.get_count].
   *
   * Since: 1.0
   */
  properties[PROP_COUNT]
      = g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjCopyBatch:used-batch-api:
   *
   * Whether the last [method@CudaObj.CopyBatch.submit] queued its copies
   * with one `cuMemcpyBatchAsync` call (%TRUE) or one copy at a time
   * (%FALSE: the driver lacks the batch call, the stream was the legacy
   * default stream, which the batch call does not take, or a copy between
   * the memories of two devices needed a peer copy). %FALSE before the first
   * submission. Read it with [method@CudaObj.CopyBatch.get_used_batch_api].
   *
   * Since: 1.0
   */
  properties[PROP_USED_BATCH_API]
      = g_param_spec_boolean ("used-batch-api", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_copy_batch_init (CudaObjCopyBatch *self)
{
  self->copies = g_array_new (FALSE, FALSE, sizeof (Copy));
  g_array_set_clear_func (self->copies, copy_clear);
}

/**
 * cuda_obj_copy_batch_new:
 *
 * Creates an empty batch of copies.
 *
 * Returns: (transfer full): the batch
 *
 * Since: 1.0
 */
CudaObjCopyBatch *
cuda_obj_copy_batch_new (void)
{
  return g_object_new (CUDA_OBJ_TYPE_COPY_BATCH, NULL);
}

/* A buffer that can take part in a copy: open, with @size bytes at @offset. */
static gboolean
check_operand (CudaObjBuffer *buffer, const char *which, gsize offset, gsize size, GError **error)
{
  gsize buffer_size;

  if (cuda_obj_buffer_get_closed (buffer))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED,
                   "The %s buffer of a copy is closed or was never initialized", which);
      return FALSE;
    }
  buffer_size = cuda_obj_buffer_get_size (buffer);
  if (offset > buffer_size || size > buffer_size - offset)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Copy: %" G_GSIZE_FORMAT " bytes at offset %" G_GSIZE_FORMAT
                   " do not fit in the %s buffer of %" G_GSIZE_FORMAT " bytes",
                   size, offset, which, buffer_size);
      return FALSE;
    }
  return TRUE;
}

/**
 * cuda_obj_copy_batch_add:
 * @self: a [class@CudaObj.CopyBatch]
 * @dst: the buffer to copy to
 * @dst_offset: first byte to write in @dst
 * @src: the buffer to copy from
 * @src_offset: first byte to read in @src
 * @size: number of bytes
 * @hints: hints for this copy
 * @error: return location for a [struct@GLib.Error]
 *
 * Adds a copy of @size bytes from @src to @dst to the batch. The ranges are
 * checked now, and whether the buffers are still open at
 * [method@CudaObj.CopyBatch.submit].
 *
 * Returns: %TRUE when the copy was added; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when a range does not fit or @hints
 *   has unknown bits, %CUDA_OBJ_ERROR_CLOSED when a buffer is closed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_copy_batch_add (CudaObjCopyBatch *self, CudaObjBuffer *dst, gsize dst_offset, CudaObjBuffer *src,
                         gsize src_offset, gsize size, CudaObjCopyHints hints, GError **error)
{
  Copy copy;

  g_return_val_if_fail (CUDA_OBJ_IS_COPY_BATCH (self), FALSE);
  g_return_val_if_fail (dst == NULL || CUDA_OBJ_IS_BUFFER (dst), FALSE);
  g_return_val_if_fail (src == NULL || CUDA_OBJ_IS_BUFFER (src), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cuda_obj_require_argument (dst, error) || !cuda_obj_require_argument (src, error))
    return FALSE;
  if ((hints & ~CUDA_OBJ_COPY_HINTS_PREFER_OVERLAP_WITH_COMPUTE) != 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Copy: hints 0x%x have bits that are not CudaObjCopyHints flags", (guint) hints);
      return FALSE;
    }
  if (!check_operand (dst, "destination", dst_offset, size, error)
      || !check_operand (src, "source", src_offset, size, error))
    return FALSE;
  if (self->copies->len == G_MAXUINT)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "The batch is full");
      return FALSE;
    }
  copy.dst = g_object_ref (dst);
  copy.src = g_object_ref (src);
  copy.dst_offset = dst_offset;
  copy.src_offset = src_offset;
  copy.size = size;
  copy.hints = hints;
  g_array_append_val (self->copies, copy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
  return TRUE;
}

/**
 * cuda_obj_copy_batch_get_count:
 * @self: a [class@CudaObj.CopyBatch]
 *
 * Tells how many copies the batch holds; see
 * [property@CudaObj.CopyBatch:count].
 *
 * Returns: the number of copies
 *
 * Since: 1.0
 */
guint
cuda_obj_copy_batch_get_count (CudaObjCopyBatch *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_COPY_BATCH (self), 0);
  return self->copies->len;
}

/**
 * cuda_obj_copy_batch_clear:
 * @self: a [class@CudaObj.CopyBatch]
 *
 * Removes every copy from the batch and releases its buffers. Copies
 * already submitted are not affected.
 *
 * Since: 1.0
 */
void
cuda_obj_copy_batch_clear (CudaObjCopyBatch *self)
{
  g_return_if_fail (CUDA_OBJ_IS_COPY_BATCH (self));

  if (self->copies->len == 0)
    return;
  g_array_set_size (self->copies, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
}

/**
 * cuda_obj_copy_batch_get_used_batch_api:
 * @self: a [class@CudaObj.CopyBatch]
 *
 * Tells how the last submission queued its copies; see
 * [property@CudaObj.CopyBatch:used-batch-api].
 *
 * Returns: %TRUE when the last [method@CudaObj.CopyBatch.submit] used one
 *   `cuMemcpyBatchAsync` call
 *
 * Since: 1.0
 */
gboolean
cuda_obj_copy_batch_get_used_batch_api (CudaObjCopyBatch *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_COPY_BATCH (self), FALSE);
  return self->used_batch_api;
}

static void
set_used_batch_api (CudaObjCopyBatch *self, gboolean used)
{
  if (self->used_batch_api == used)
    return;
  self->used_batch_api = used;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USED_BATCH_API]);
}

#if CUDA_VERSION >= 13000
/* Whether cuMemcpyBatchAsync may take every copy: unified addressing names
 * any pointer, but device memory of two devices wants a peer copy, which
 * Buffer.copy_to makes whether or not peer access is enabled. */
static gboolean
batchable (CudaObjCopyBatch *self)
{
  for (guint i = 0; i < self->copies->len; i++)
    {
      const Copy *copy = &g_array_index (self->copies, Copy, i);

      if (cuda_obj_buffer_get_device (copy->src) != cuda_obj_buffer_get_device (copy->dst)
          && !cuda_obj_buffer_get_is_host_accessible (copy->src)
          && !cuda_obj_buffer_get_is_host_accessible (copy->dst))
        return FALSE;
    }
  return TRUE;
}

static gboolean
submit_batched (CudaObjCopyBatch *self, CUstream handle, GError **error)
{
  guint n = self->copies->len, n_attrs = 0;
  g_autofree CUdeviceptr *dsts = g_new (CUdeviceptr, n);
  g_autofree CUdeviceptr *srcs = g_new (CUdeviceptr, n);
  g_autofree size_t *sizes = g_new (size_t, n);
  g_autofree CUmemcpyAttributes *attrs = g_new0 (CUmemcpyAttributes, n);
  g_autofree size_t *attr_indices = g_new (size_t, n);
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      const Copy *copy = &g_array_index (self->copies, Copy, i);
      CUmemcpyAttributes attr;

      /* The driver refuses empty copies; they copy nothing anyway. */
      if (copy->size == 0)
        continue;
      memset (&attr, 0, sizeof attr);
      attr.srcAccessOrder = CU_MEMCPY_SRC_ACCESS_ORDER_STREAM;
      /* Hints where managed memory should be copied from and to: each
       * buffer's own device. Ignored for memory with a fixed location. */
      attr.srcLocHint = cuda_obj_device_memory_location (cuda_obj_buffer_get_device (copy->src));
      attr.dstLocHint = cuda_obj_device_memory_location (cuda_obj_buffer_get_device (copy->dst));
      attr.flags = (copy->hints & CUDA_OBJ_COPY_HINTS_PREFER_OVERLAP_WITH_COMPUTE)
                       ? CU_MEMCPY_FLAG_PREFER_OVERLAP_WITH_COMPUTE
                       : 0;
      /* Consecutive copies with the same attributes share one entry. */
      if (n_attrs == 0 || memcmp (&attrs[n_attrs - 1], &attr, sizeof attr) != 0)
        {
          attrs[n_attrs] = attr;
          attr_indices[n_attrs] = count;
          n_attrs++;
        }
      dsts[count] = cuda_obj_buffer_get_handle (copy->dst) + copy->dst_offset;
      srcs[count] = cuda_obj_buffer_get_handle (copy->src) + copy->src_offset;
      sizes[count] = copy->size;
      count++;
    }
  if (count == 0)
    return TRUE;
  return cuda_obj_check (cuda_obj_driver_peek ()->cuMemcpyBatchAsync (dsts, srcs, sizes, count, attrs,
                                                                      attr_indices, n_attrs, handle),
                         "cuMemcpyBatchAsync", error);
}
#endif

/**
 * cuda_obj_copy_batch_submit:
 * @self: a [class@CudaObj.CopyBatch]
 * @stream: (nullable): stream to order the copies on; %NULL for the legacy
 *   default stream of the first copy's source device (then the copies are
 *   queued one by one)
 * @error: return location for a [struct@GLib.Error]
 *
 * Queues every copy of the batch on @stream, after the work already there;
 * later work on @stream sees all of them done. The batch is kept: submit
 * it again or [method@CudaObj.CopyBatch.clear] it.
 *
 * If queuing one copy at a time fails part way, the copies before the
 * failing one are queued.
 *
 * Returns: %TRUE once the copies are queued (an empty batch queues
 *   nothing); %FALSE with @error set: %CUDA_OBJ_ERROR_CLOSED when a buffer
 *   or @stream is closed, or the driver's error
 *
 * Since: 1.0
 */
gboolean
cuda_obj_copy_batch_submit (CudaObjCopyBatch *self, CudaObjStream *stream, GError **error)
{
  CudaObjDevice *device;
  CUstream handle;

  g_return_val_if_fail (CUDA_OBJ_IS_COPY_BATCH (self), FALSE);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->copies->len == 0)
    return TRUE;
  for (guint i = 0; i < self->copies->len; i++)
    {
      const Copy *copy = &g_array_index (self->copies, Copy, i);

      if (!check_operand (copy->dst, "destination", copy->dst_offset, copy->size, error)
          || !check_operand (copy->src, "source", copy->src_offset, copy->size, error))
        return FALSE;
    }
  device = cuda_obj_buffer_get_device (g_array_index (self->copies, Copy, 0).src);
  if (!cuda_obj_stream_prepare_for_device (stream, device, &handle, error))
    return FALSE;

#if CUDA_VERSION >= 13000
  /* The batch call does not take the legacy default stream. */
  if (cuda_obj_driver_peek ()->cuMemcpyBatchAsync != NULL && handle != NULL && batchable (self))
    {
      set_used_batch_api (self, TRUE);
      return submit_batched (self, handle, error);
    }
#endif
  set_used_batch_api (self, FALSE);
  for (guint i = 0; i < self->copies->len; i++)
    {
      const Copy *copy = &g_array_index (self->copies, Copy, i);

      if (!cuda_obj_buffer_copy_to (copy->src, copy->dst, copy->src_offset, copy->dst_offset, copy->size,
                                    stream, error))
        return FALSE;
    }
  return TRUE;
}
