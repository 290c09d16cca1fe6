/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: tensor maps (`cuTensorMapEncodeTiled`, `cuTensorMapEncodeIm2col`).
 *
 * Shapes come in the order of a StridedView's shape, outermost first; the
 * driver takes them innermost first, so every array is reversed once, into
 * a Tensor, where all the checks the driver documents run before it is
 * called: a wrong layout is the same clear error with or without a GPU. */
#include "config.h"

#include <stdarg.h>

#include "cudaobj-tensor-map.h"
#include "cudaobj-tensor-map-private.h"
#include "cudaobj-enum-types.h"
#include "cudaobj-error-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-strided-view-private.h"

#define MAX_RANK 5

struct _CudaObjTensorMap
{
  GObject parent_instance;

  /* A CUtensorMap must be 64-byte aligned (its C type says 128); GObject
   * instances are not, so the map lives at the first such address here. */
  guint8 storage[CUDA_OBJ_TENSOR_MAP_SIZE + 127];
  CUtensorMap *map;      /* NULL until encoded */
  GObject *owner;        /* owned: the view or buffer the map points into */
  CudaObjBuffer *buffer; /* not owned: the owner's buffer, if any */
  CudaObjDataType data_type;
  guint rank;
  guint64 address;
  guint64 span; /* the bytes the map reaches from its address */
  guint alignment;
  gboolean im2col;
};

enum
{
  PROP_0,
  PROP_ADDRESS,
  PROP_RANK,
  PROP_DATA_TYPE,
  PROP_IS_IM2COL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * CudaObjTensorMap:
 *
 * A tensor map: the 128-byte descriptor with which the Tensor Memory
 * Accelerator (TMA) of compute capability 9.0 and later devices copies
 * tiles of a tensor between global and shared memory
 * (`cp.async.bulk.tensor`).
 *
 * Encode one over a [class@CudaObj.StridedView] of device memory
 * ([ctor@CudaObj.TensorMap.new_tiled], [ctor@CudaObj.TensorMap.new_im2col])
 * or over a [class@CudaObj.Buffer] with an explicit shape and byte strides
 * ([ctor@CudaObj.TensorMap.new_tiled_for_buffer]). Shapes, box sizes and
 * element strides are given in the order of the view's shape, outermost
 * first (the driver's own order is the reverse). The innermost dimension
 * must be contiguous, every other stride a multiple of 16 bytes and the
 * first element 16-byte aligned: anything else is a
 * %CUDA_OBJ_ERROR_INVALID_ARGUMENT error that says what the driver wants.
 *
 * A kernel takes the map by value, as a `const __grid_constant__
 * CUtensorMap` parameter: pass it with
 * [method@CudaObj.KernelArgs.set_tensor_map], which copies its bytes. To
 * point the same layout at other memory, use
 * [method@CudaObj.TensorMap.replace_buffer] or
 * [method@CudaObj.TensorMap.replace_address] and set the argument again.
 *
 * The map keeps the view or buffer it points into alive. A map made with
 * a plain constructor is empty: its methods fail with
 * %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjTensorMap, cuda_obj_tensor_map, G_TYPE_OBJECT)

static void
cuda_obj_tensor_map_dispose (GObject *object)
{
  CudaObjTensorMap *self = CUDA_OBJ_TENSOR_MAP (object);

  self->buffer = NULL;
  g_clear_object (&self->owner);
  G_OBJECT_CLASS (cuda_obj_tensor_map_parent_class)->dispose (object);
}

static void
cuda_obj_tensor_map_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjTensorMap *self = CUDA_OBJ_TENSOR_MAP (object);

  switch (prop_id)
    {
    case PROP_ADDRESS: g_value_set_uint64 (value, self->address); break;
    case PROP_RANK: g_value_set_uint (value, self->rank); break;
    case PROP_DATA_TYPE: g_value_set_enum (value, self->data_type); break;
    case PROP_IS_IM2COL: g_value_set_boolean (value, self->im2col); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_tensor_map_class_init (CudaObjTensorMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cuda_obj_tensor_map_dispose;
  object_class->get_property = cuda_obj_tensor_map_get_property;

  /**
   * CudaObjTensorMap:address: (getter get_address)
   *
   * The device address of the tensor's first element, 0 for a map never
   * encoded.
   *
   * Since: 1.0
   */
  properties[PROP_ADDRESS] = g_param_spec_uint64 ("address", NULL, NULL, 0, G_MAXUINT64, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjTensorMap:rank: (getter get_rank)
   *
   * The tensor's dimensions (1 to 5), 0 for a map never encoded.
   *
   * Since: 1.0
   */
  properties[PROP_RANK]
      = g_param_spec_uint ("rank", NULL, NULL, 0, MAX_RANK, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjTensorMap:data-type: (getter get_data_type)
   *
   * The type of the tensor's elements.
   *
   * Since: 1.0
   */
  properties[PROP_DATA_TYPE]
      = g_param_spec_enum ("data-type", NULL, NULL, CUDA_OBJ_TYPE_DATA_TYPE, CUDA_OBJ_DATA_TYPE_BYTE,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjTensorMap:is-im2col: (getter get_is_im2col)
   *
   * Whether the map loads im2col patches
   * ([ctor@CudaObj.TensorMap.new_im2col]) rather than tiles.
   *
   * Since: 1.0
   */
  properties[PROP_IS_IM2COL]
      = g_param_spec_boolean ("is-im2col", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_tensor_map_init (CudaObjTensorMap *self)
{
}

/* A tensor in the driver's terms, innermost dimension first. */
typedef struct
{
  const char *what;
  CudaObjDataType data_type;
  CUtensorMapDataType driver_type;
  gsize item_size;
  guint rank;
  cuuint64_t dims[MAX_RANK];
  cuuint64_t strides[MAX_RANK - 1]; /* in bytes, of dimensions 1 .. rank - 1 */
  cuuint32_t element_strides[MAX_RANK];
  guint64 address;
  CudaObjTensorMapInterleave interleave;
  CudaObjTensorMapSwizzle swizzle;
  CudaObjTensorMapL2Promotion l2_promotion;
  CudaObjTensorMapOobFill oob_fill;
} Tensor;

static gboolean G_GNUC_PRINTF (3, 4) invalid (GError **error, const Tensor *t, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "%s: %s", t->what, message);
  return FALSE;
}

/* The driver's type for @data_type: TMA copies bits, so signed and
 * unsigned integers of one size share a type where the driver has one. */
static gboolean
set_data_type (Tensor *t, CudaObjDataType data_type, GError **error)
{
  t->data_type = data_type;
  switch (data_type)
    {
    case CUDA_OBJ_DATA_TYPE_BYTE:
    case CUDA_OBJ_DATA_TYPE_BOOL:
    case CUDA_OBJ_DATA_TYPE_INT8:
    case CUDA_OBJ_DATA_TYPE_UINT8: t->driver_type = CU_TENSOR_MAP_DATA_TYPE_UINT8; break;
    case CUDA_OBJ_DATA_TYPE_INT16:
    case CUDA_OBJ_DATA_TYPE_UINT16: t->driver_type = CU_TENSOR_MAP_DATA_TYPE_UINT16; break;
    case CUDA_OBJ_DATA_TYPE_INT32: t->driver_type = CU_TENSOR_MAP_DATA_TYPE_INT32; break;
    case CUDA_OBJ_DATA_TYPE_UINT32: t->driver_type = CU_TENSOR_MAP_DATA_TYPE_UINT32; break;
    case CUDA_OBJ_DATA_TYPE_INT64: t->driver_type = CU_TENSOR_MAP_DATA_TYPE_INT64; break;
    case CUDA_OBJ_DATA_TYPE_UINT64: t->driver_type = CU_TENSOR_MAP_DATA_TYPE_UINT64; break;
    case CUDA_OBJ_DATA_TYPE_FLOAT16: t->driver_type = CU_TENSOR_MAP_DATA_TYPE_FLOAT16; break;
    case CUDA_OBJ_DATA_TYPE_BFLOAT16: t->driver_type = CU_TENSOR_MAP_DATA_TYPE_BFLOAT16; break;
    case CUDA_OBJ_DATA_TYPE_FLOAT32: t->driver_type = CU_TENSOR_MAP_DATA_TYPE_FLOAT32; break;
    case CUDA_OBJ_DATA_TYPE_FLOAT64: t->driver_type = CU_TENSOR_MAP_DATA_TYPE_FLOAT64; break;
    case CUDA_OBJ_DATA_TYPE_COMPLEX64:
    case CUDA_OBJ_DATA_TYPE_COMPLEX128:
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "%s: tensor maps have no complex data types; view the data as float32 or float64 with a "
                   "trailing dimension of 2",
                   t->what);
      return FALSE;
    default: return invalid (error, t, "data type %d is not a CudaObj.DataType", (int) data_type);
    }
  t->item_size = cuda_obj_data_type_get_item_size (data_type);
  return TRUE;
}

static gboolean
is_float (CudaObjDataType data_type)
{
  return data_type == CUDA_OBJ_DATA_TYPE_FLOAT16 || data_type == CUDA_OBJ_DATA_TYPE_BFLOAT16
         || data_type == CUDA_OBJ_DATA_TYPE_FLOAT32 || data_type == CUDA_OBJ_DATA_TYPE_FLOAT64;
}

static guint
swizzle_span (CudaObjTensorMapSwizzle swizzle)
{
  return swizzle == CUDA_OBJ_TENSOR_MAP_SWIZZLE_NONE ? 0 : 16u << swizzle;
}

/* Sets the element strides (outermost first in @element_strides, or all 1
 * for NULL) and checks what tiled and im2col maps share. */
static gboolean
check_common (Tensor *t, const guint32 *element_strides, guint n_element_strides, GError **error)
{
  guint address_alignment = t->interleave == CUDA_OBJ_TENSOR_MAP_INTERLEAVE_BYTES_32 ? 32 : 16;

  if ((guint) t->interleave > CUDA_OBJ_TENSOR_MAP_INTERLEAVE_BYTES_32
      || (guint) t->swizzle > CUDA_OBJ_TENSOR_MAP_SWIZZLE_BYTES_128
      || (guint) t->l2_promotion > CUDA_OBJ_TENSOR_MAP_L2_PROMOTION_BYTES_256
      || (guint) t->oob_fill > CUDA_OBJ_TENSOR_MAP_OOB_FILL_NAN)
    return invalid (error, t,
                    "interleave %d, swizzle %d, L2 promotion %d or out-of-bounds fill %d is out of its "
                    "enumeration",
                    (int) t->interleave, (int) t->swizzle, (int) t->l2_promotion, (int) t->oob_fill);
  if (t->rank == 0 || t->rank > MAX_RANK)
    return invalid (error, t, "a rank of %u; tensor maps have 1 to %d dimensions", t->rank, MAX_RANK);
  if (t->interleave != CUDA_OBJ_TENSOR_MAP_INTERLEAVE_NONE && t->rank < 3)
    return invalid (error, t, "an interleaved layout needs 3 dimensions or more, not %u", t->rank);
  if (t->interleave == CUDA_OBJ_TENSOR_MAP_INTERLEAVE_BYTES_32
      && t->swizzle != CUDA_OBJ_TENSOR_MAP_SWIZZLE_BYTES_32)
    return invalid (error, t, "32-byte interleaving needs the 32-byte swizzle");
  if (t->oob_fill == CUDA_OBJ_TENSOR_MAP_OOB_FILL_NAN && !is_float (t->data_type))
    return invalid (error, t, "the NaN out-of-bounds fill is for floating-point data, not %s",
                    cuda_obj_data_type_get_name (t->data_type));
  if (t->address == 0 || t->address % address_alignment != 0)
    return invalid (error, t, "the first element is at 0x%" G_GINT64_MODIFIER "x; it must be %u-byte aligned",
                    t->address, address_alignment);
  for (guint i = 0; i < t->rank; i++)
    if (t->dims[i] == 0 || t->dims[i] > G_GUINT64_CONSTANT (1) << 32)
      return invalid (error, t, "dimension %u has %" G_GUINT64_FORMAT " elements; each has 1 to 2^32",
                      t->rank - 1 - i, (guint64) t->dims[i]);
  for (guint i = 0; i + 1 < t->rank; i++)
    if (t->strides[i] == 0 || t->strides[i] % address_alignment != 0
        || t->strides[i] >= G_GUINT64_CONSTANT (1) << 40)
      return invalid (error, t,
                      "the stride of dimension %u is %" G_GUINT64_FORMAT " bytes; strides are positive "
                      "multiples of %u bytes under 2^40",
                      t->rank - 2 - i, (guint64) t->strides[i], address_alignment);
  if (element_strides != NULL && n_element_strides != t->rank)
    return invalid (error, t, "%u element strides for %u dimensions", n_element_strides, t->rank);
  for (guint i = 0; i < t->rank; i++)
    {
      guint32 stride = element_strides != NULL ? element_strides[t->rank - 1 - i] : 1;

      if (stride == 0 || stride > 8)
        return invalid (error, t, "the element stride of dimension %u is %u; it must be 1 to 8",
                        t->rank - 1 - i, stride);
      t->element_strides[i] = stride;
    }
  return TRUE;
}

/* The bytes the tensor reaches from its first element. */
static guint64
span_of (const Tensor *t)
{
  guint64 span = t->dims[0] * t->item_size;

  for (guint i = 1; i < t->rank; i++)
    span += (t->dims[i] - 1) * t->strides[i - 1];
  return span;
}

/* Fills @t from @view: its shape, strides, data type and address. */
static gboolean
tensor_from_view (Tensor *t, CudaObjStridedView *view, GError **error)
{
  const gint64 *shape, *strides;
  guint n_dims = 0;

  if (!CUDA_OBJ_IS_STRIDED_VIEW (view))
    return cuda_obj_set_null_argument (error, t->what, "view");
  if (!cuda_obj_strided_view_peek_data (view, &t->address, error)
      || !set_data_type (t, cuda_obj_strided_view_get_data_type (view), error))
    return FALSE;
  shape = cuda_obj_strided_view_get_shape (view, &n_dims);
  strides = cuda_obj_strided_view_get_strides (view, &n_dims);
  if (n_dims == 0 || n_dims > MAX_RANK)
    return invalid (error, t, "the view has %u dimensions; tensor maps have 1 to %d", n_dims, MAX_RANK);
  if (strides[n_dims - 1] != 1)
    return invalid (error, t,
                    "the innermost dimension has a stride of %" G_GINT64_FORMAT " elements; it must be "
                    "contiguous (1)",
                    strides[n_dims - 1]);
  t->rank = n_dims;
  for (guint i = 0; i < n_dims; i++)
    {
      guint j = n_dims - 1 - i;

      if (shape[j] <= 0)
        return invalid (error, t, "dimension %u has %" G_GINT64_FORMAT " elements; each has 1 to 2^32", j,
                        shape[j]);
      t->dims[i] = (cuuint64_t) shape[j];
      if (i > 0)
        {
          if (strides[j] <= 0)
            return invalid (error, t,
                            "the stride of dimension %u is %" G_GINT64_FORMAT " elements; tensor maps "
                            "take positive strides",
                            j, strides[j]);
          t->strides[i - 1] = (cuuint64_t) strides[j] * t->item_size;
        }
    }
  return TRUE;
}

/* The view must be in device memory; checked after the layout so that a
 * layout error reads the same for host and device views. */
static gboolean
check_view_device (Tensor *t, CudaObjStridedView *view, CudaObjDevice **device, GError **error)
{
  if (!cuda_obj_strided_view_get_is_device_accessible (view)
      || cuda_obj_strided_view_get_device (view) == NULL)
    return invalid (error, t, "the view's memory is not device memory: tensor maps address device memory");
  *device = cuda_obj_strided_view_get_device (view);
  return TRUE;
}

static CudaObjTensorMap *
map_new (const Tensor *t, gboolean im2col, GObject *owner, CudaObjBuffer *buffer)
{
  CudaObjTensorMap *self = g_object_new (CUDA_OBJ_TYPE_TENSOR_MAP, NULL);

  self->map = (CUtensorMap *) (((guintptr) self->storage + 127) & ~(guintptr) 127);
  self->owner = g_object_ref (owner);
  self->buffer = buffer;
  self->data_type = t->data_type;
  self->rank = t->rank;
  self->address = t->address;
  self->span = span_of (t);
  self->alignment = t->interleave == CUDA_OBJ_TENSOR_MAP_INTERLEAVE_BYTES_32 ? 32 : 16;
  self->im2col = im2col;
  return self;
}

static gboolean
prepare_driver (CudaObjDevice *device, GError **error)
{
  return cuda_obj_driver_get (error) != NULL && cuda_obj_device_require (device, "TensorMap", "device", error)
         && cuda_obj_device_activate (device, error);
}

/* Checks the tile box (outermost first) into @box, innermost first. */
static gboolean
check_box (const Tensor *t, const guint32 *box_dims, guint n_box_dims, cuuint32_t box[MAX_RANK],
           GError **error)
{
  guint span = swizzle_span (t->swizzle);

  if (box_dims == NULL || n_box_dims != t->rank)
    return invalid (error, t, "%u box sizes for %u dimensions", box_dims == NULL ? 0 : n_box_dims, t->rank);
  for (guint i = 0; i < t->rank; i++)
    {
      box[i] = box_dims[t->rank - 1 - i];
      if (box[i] == 0 || box[i] > 256)
        return invalid (error, t, "the box has %u elements in dimension %u; it has 1 to 256", box[i],
                        t->rank - 1 - i);
    }
  if (t->interleave == CUDA_OBJ_TENSOR_MAP_INTERLEAVE_NONE)
    {
      if (box[0] * t->item_size % 16 != 0)
        return invalid (error, t,
                        "the box's inner dimension is %" G_GSIZE_FORMAT " bytes; it must be a multiple of 16",
                        box[0] * t->item_size);
      if (span != 0 && box[0] * t->item_size > span)
        return invalid (error, t,
                        "the box's inner dimension is %" G_GSIZE_FORMAT " bytes, over the %u of the swizzle",
                        box[0] * t->item_size, span);
    }
  return TRUE;
}

/* Encodes a checked tensor and box. */
static CudaObjTensorMap *
encode_tiled (Tensor *t, CudaObjDevice *device, GObject *owner, CudaObjBuffer *buffer,
              cuuint32_t box[MAX_RANK], GError **error)
{
  g_autoptr (CudaObjTensorMap) self = NULL;

  if (!prepare_driver (device, error))
    return NULL;
  self = map_new (t, FALSE, owner, buffer);
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuTensorMapEncodeTiled (
                           self->map, t->driver_type, t->rank, (void *) (guintptr) t->address, t->dims,
                           t->strides, box, t->element_strides, (CUtensorMapInterleave) t->interleave,
                           (CUtensorMapSwizzle) t->swizzle, (CUtensorMapL2promotion) t->l2_promotion,
                           (CUtensorMapFloatOOBfill) t->oob_fill),
                       "cuTensorMapEncodeTiled", error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_tensor_map_new_tiled:
 * @view: a view of device memory, its innermost dimension contiguous
 * @box_dims: (array length=n_box_dims): the tile's extent in each
 *   dimension, outermost first (1 to 256 each; the innermost times the
 *   element size a multiple of 16 bytes)
 * @n_box_dims: the view's rank
 * @element_strides: (array length=n_element_strides) (nullable): the step
 *   in elements of the traversal in each dimension, outermost first (1 to
 *   8; the innermost is ignored without interleaving), or %NULL for 1s
 * @n_element_strides: the view's rank, or 0 for %NULL
 * @interleave: the interleaved layout in global memory
 * @swizzle: the shared memory swizzle
 * @l2_promotion: the L2 fetch size
 * @oob_fill: what loads outside the tensor give
 * @error: return location for an error
 *
 * Encodes a tiled tensor map over @view (`cuTensorMapEncodeTiled`), which
 * the map keeps alive. The data type is the view's; signed and unsigned
 * integers of one size are copied alike.
 *
 * Returns: (transfer full): the map, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a %NULL @view, a rank over 5, an
 *   innermost dimension that is not contiguous, strides that are not
 *   positive multiples of 16 bytes, a first element not 16-byte aligned,
 *   a box or element strides out of the ranges above, combinations the
 *   driver refuses (32-byte interleave without the 32-byte swizzle, a
 *   box row wider than the swizzle, the NaN fill for integers), or memory
 *   that is not device memory; %CUDA_OBJ_ERROR_NOT_SUPPORTED for complex
 *   data; %CUDA_OBJ_ERROR_CLOSED for a view of a closed buffer; a
 *   %CUDA_OBJ_DRIVER_ERROR from the driver
 *
 * Since: 1.0
 */
CudaObjTensorMap *
cuda_obj_tensor_map_new_tiled (CudaObjStridedView *view, const guint32 *box_dims, guint n_box_dims,
                               const guint32 *element_strides, guint n_element_strides,
                               CudaObjTensorMapInterleave interleave, CudaObjTensorMapSwizzle swizzle,
                               CudaObjTensorMapL2Promotion l2_promotion, CudaObjTensorMapOobFill oob_fill,
                               GError **error)
{
  Tensor t = { .what = "TensorMap.new_tiled" };
  cuuint32_t box[MAX_RANK];
  CudaObjDevice *device = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  t.interleave = interleave;
  t.swizzle = swizzle;
  t.l2_promotion = l2_promotion;
  t.oob_fill = oob_fill;
  if (!tensor_from_view (&t, view, error) || !check_common (&t, element_strides, n_element_strides, error))
    return NULL;
  if (!check_box (&t, box_dims, n_box_dims, box, error) || !check_view_device (&t, view, &device, error))
    return NULL;
  return encode_tiled (&t, device, G_OBJECT (view), cuda_obj_strided_view_peek_buffer (view), box, error);
}

/**
 * cuda_obj_tensor_map_new_tiled_for_buffer:
 * @buffer: the buffer holding the tensor
 * @offset: the byte offset of the tensor's first element in @buffer
 * @data_type: the type of the elements
 * @shape: (array length=n_dims): the extent of each dimension, outermost first
 * @n_dims: the rank, 1 to 5
 * @strides: (array length=n_strides) (nullable): the step of each
 *   dimension in bytes, outermost first, the innermost the element size;
 *   or %NULL for a packed row-major tensor
 * @n_strides: @n_dims, or 0 for %NULL
 * @box_dims: (array length=n_box_dims): the tile's extent in each
 *   dimension, outermost first
 * @n_box_dims: @n_dims
 * @element_strides: (array length=n_element_strides) (nullable): the
 *   traversal steps, outermost first, or %NULL for 1s
 * @n_element_strides: @n_dims, or 0 for %NULL
 * @interleave: the interleaved layout in global memory
 * @swizzle: the shared memory swizzle
 * @l2_promotion: the L2 fetch size
 * @oob_fill: what loads outside the tensor give
 * @error: return location for an error
 *
 * Encodes a tiled tensor map over a tensor in @buffer described by hand,
 * for layouts a [class@CudaObj.StridedView] cannot say (strides that are
 * not whole elements). The map keeps @buffer alive.
 *
 * Returns: (transfer full): the map, or %NULL with @error set as
 *   [ctor@CudaObj.TensorMap.new_tiled] does, and
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a tensor that runs past the end
 *   of @buffer or an innermost stride other than the element size
 *
 * Since: 1.0
 */
CudaObjTensorMap *
cuda_obj_tensor_map_new_tiled_for_buffer (CudaObjBuffer *buffer, guint64 offset, CudaObjDataType data_type,
                                          const guint64 *shape, guint n_dims, const guint64 *strides,
                                          guint n_strides, const guint32 *box_dims, guint n_box_dims,
                                          const guint32 *element_strides, guint n_element_strides,
                                          CudaObjTensorMapInterleave interleave,
                                          CudaObjTensorMapSwizzle swizzle,
                                          CudaObjTensorMapL2Promotion l2_promotion,
                                          CudaObjTensorMapOobFill oob_fill, GError **error)
{
  Tensor t = { .what = "TensorMap.new_tiled_for_buffer" };
  cuuint32_t box[MAX_RANK];
  guint64 size, packed;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!CUDA_OBJ_IS_BUFFER (buffer))
    return cuda_obj_set_null_argument (error, t.what, "buffer"), NULL;
  if (cuda_obj_buffer_get_closed (buffer))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED,
                   "%s: the buffer is closed or not initialized", t.what);
      return NULL;
    }
  if (!set_data_type (&t, data_type, error))
    return NULL;
  if (shape == NULL || n_dims == 0 || n_dims > MAX_RANK)
    return invalid (error, &t, "a rank of %u; tensor maps have 1 to %d dimensions",
                    shape == NULL ? 0 : n_dims, MAX_RANK),
           NULL;
  if (strides != NULL && n_strides != n_dims)
    return invalid (error, &t, "%u strides for %u dimensions", n_strides, n_dims), NULL;
  if (strides != NULL && strides[n_dims - 1] != t.item_size)
    return invalid (error, &t,
                    "the innermost stride is %" G_GUINT64_FORMAT
                    " bytes; it must be the element size, %" G_GSIZE_FORMAT,
                    strides[n_dims - 1], t.item_size),
           NULL;
  t.rank = n_dims;
  t.interleave = interleave;
  t.swizzle = swizzle;
  t.l2_promotion = l2_promotion;
  t.oob_fill = oob_fill;
  t.address = cuda_obj_buffer_get_handle (buffer) + offset;
  packed = t.item_size;
  for (guint i = 0; i < n_dims; i++)
    {
      t.dims[i] = shape[n_dims - 1 - i];
      if (i > 0)
        t.strides[i - 1] = strides != NULL ? strides[n_dims - 1 - i] : packed;
      if (!g_uint64_checked_mul (&packed, packed, MAX (t.dims[i], 1)))
        packed = G_MAXUINT64;
    }
  if (!check_common (&t, element_strides, n_element_strides, error)
      || !check_box (&t, box_dims, n_box_dims, box, error))
    return NULL;
  size = cuda_obj_buffer_get_size (buffer);
  if (offset > size || span_of (&t) > size - offset)
    return invalid (error, &t,
                    "the tensor reaches %" G_GUINT64_FORMAT " bytes from offset %" G_GUINT64_FORMAT
                    "; the buffer has %" G_GUINT64_FORMAT,
                    span_of (&t), offset, size),
           NULL;
  return encode_tiled (&t, cuda_obj_buffer_get_device (buffer), G_OBJECT (buffer), buffer, box, error);
}

/**
 * cuda_obj_tensor_map_new_im2col:
 * @view: a view of device memory in channels-last layout (NWC, NHWC or
 *   NDHWC), its innermost dimension contiguous
 * @lower_corner: (array length=n_lower_corner): the lower corner of the
 *   bounding box of each spatial dimension, outermost first
 * @n_lower_corner: the view's rank minus 2
 * @upper_corner: (array length=n_upper_corner): the upper corner, likewise
 * @n_upper_corner: the view's rank minus 2
 * @channels_per_pixel: the channels loaded of each pixel, 1 to 256
 * @pixels_per_column: the pixels loaded, 1 to 1024
 * @element_strides: (array length=n_element_strides) (nullable): the
 *   traversal steps, outermost first, or %NULL for 1s
 * @n_element_strides: the view's rank, or 0 for %NULL
 * @interleave: the interleaved layout in global memory
 * @swizzle: the shared memory swizzle
 * @l2_promotion: the L2 fetch size
 * @oob_fill: what loads outside the tensor give
 * @error: return location for an error
 *
 * Encodes an im2col tensor map over @view (`cuTensorMapEncodeIm2col`), for
 * convolutions that load patches of pixels as the columns of a matrix.
 * The corners bound the patch around each pixel; their range shrinks with
 * the rank: -32768 to 32767 for 3 dimensions, -128 to 127 for 4, -16 to 15
 * for 5.
 *
 * Returns: (transfer full): the map, or %NULL with @error set as
 *   [ctor@CudaObj.TensorMap.new_tiled] does, and
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a rank under 3, corner counts
 *   other than the rank minus 2, corners out of range, or
 *   @channels_per_pixel or @pixels_per_column out of range
 *
 * Since: 1.0
 */
CudaObjTensorMap *
cuda_obj_tensor_map_new_im2col (CudaObjStridedView *view, const gint *lower_corner, guint n_lower_corner,
                                const gint *upper_corner, guint n_upper_corner, guint channels_per_pixel,
                                guint pixels_per_column, const guint32 *element_strides,
                                guint n_element_strides, CudaObjTensorMapInterleave interleave,
                                CudaObjTensorMapSwizzle swizzle, CudaObjTensorMapL2Promotion l2_promotion,
                                CudaObjTensorMapOobFill oob_fill, GError **error)
{
  static const int corner_limit[] = { 0, 0, 0, 32768, 128, 16 };
  Tensor t = { .what = "TensorMap.new_im2col" };
  g_autoptr (CudaObjTensorMap) self = NULL;
  int lower[MAX_RANK - 2], upper[MAX_RANK - 2];
  CudaObjDevice *device = NULL;
  guint n_spatial;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  t.interleave = interleave;
  t.swizzle = swizzle;
  t.l2_promotion = l2_promotion;
  t.oob_fill = oob_fill;
  if (!tensor_from_view (&t, view, error) || !check_common (&t, element_strides, n_element_strides, error))
    return NULL;
  if (t.rank < 3)
    return invalid (error, &t, "im2col needs 3 to 5 dimensions (N, spatial, C), not %u", t.rank), NULL;
  n_spatial = t.rank - 2;
  if (lower_corner == NULL || upper_corner == NULL || n_lower_corner != n_spatial
      || n_upper_corner != n_spatial)
    return invalid (error, &t, "%u lower and %u upper corners for %u spatial dimensions",
                    lower_corner == NULL ? 0 : n_lower_corner, upper_corner == NULL ? 0 : n_upper_corner,
                    n_spatial),
           NULL;
  for (guint i = 0; i < n_spatial; i++)
    {
      int limit = corner_limit[t.rank];

      lower[i] = lower_corner[n_spatial - 1 - i];
      upper[i] = upper_corner[n_spatial - 1 - i];
      if (lower[i] < -limit || lower[i] >= limit || upper[i] < -limit || upper[i] >= limit)
        return invalid (error, &t,
                        "corners %d and %d of spatial dimension %u are outside %d to %d for rank %u",
                        lower[i], upper[i], n_spatial - 1 - i, -limit, limit - 1, t.rank),
               NULL;
    }
  if (channels_per_pixel == 0 || channels_per_pixel > 256)
    return invalid (error, &t, "%u channels per pixel; it takes 1 to 256", channels_per_pixel), NULL;
  if (pixels_per_column == 0 || pixels_per_column > 1024)
    return invalid (error, &t, "%u pixels per column; it takes 1 to 1024", pixels_per_column), NULL;
  if (swizzle_span (t.swizzle) != 0 && t.interleave == CUDA_OBJ_TENSOR_MAP_INTERLEAVE_NONE
      && channels_per_pixel * t.item_size > swizzle_span (t.swizzle))
    return invalid (error, &t,
                    "a pixel's channels take %" G_GSIZE_FORMAT " bytes, over the %u of the swizzle",
                    channels_per_pixel * t.item_size, swizzle_span (t.swizzle)),
           NULL;
  if (!check_view_device (&t, view, &device, error) || !prepare_driver (device, error))
    return NULL;
  self = map_new (&t, TRUE, G_OBJECT (view), cuda_obj_strided_view_peek_buffer (view));
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuTensorMapEncodeIm2col (
                           self->map, t.driver_type, t.rank, (void *) (guintptr) t.address, t.dims, t.strides,
                           lower, upper, channels_per_pixel, pixels_per_column, t.element_strides,
                           (CUtensorMapInterleave) t.interleave, (CUtensorMapSwizzle) t.swizzle,
                           (CUtensorMapL2promotion) t.l2_promotion, (CUtensorMapFloatOOBfill) t.oob_fill),
                       "cuTensorMapEncodeIm2col", error))
    return NULL;
  return g_steal_pointer (&self);
}

static gboolean
require_encoded (CudaObjTensorMap *self, const char *func, GError **error)
{
  if (G_LIKELY (self->map != NULL))
    return TRUE;
  g_set_error (
      error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
      "%s: the tensor map is empty: make it with CudaObj.TensorMap.new_tiled() or another constructor", func);
  return FALSE;
}

static gboolean
replace (CudaObjTensorMap *self, guint64 address, GObject *owner, CudaObjBuffer *buffer, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_get (error);

  if (drv == NULL
      || !cuda_obj_check (drv->cuTensorMapReplaceAddress (self->map, (void *) (guintptr) address),
                          "cuTensorMapReplaceAddress", error))
    return FALSE;
  self->address = address;
  g_set_object (&self->owner, owner);
  self->buffer = buffer;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
  return TRUE;
}

/**
 * cuda_obj_tensor_map_replace_address:
 * @self: a tensor map
 * @address: the device address of the new first element
 * @error: return location for an error
 *
 * Points the map at other memory of the same layout
 * (`cuTensorMapReplaceAddress`). Nothing keeps that memory alive or checks
 * its size: prefer [method@CudaObj.TensorMap.replace_buffer]. Kernel
 * arguments hold a copy of the map: set them again.
 *
 * Returns: %TRUE on success; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_NOT_INITIALIZED for an empty map,
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a zero or misaligned @address
 *
 * Since: 1.0
 */
gboolean
cuda_obj_tensor_map_replace_address (CudaObjTensorMap *self, guint64 address, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TENSOR_MAP (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!require_encoded (self, "TensorMap.replace_address", error))
    return FALSE;
  if (address == 0 || address % self->alignment != 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "TensorMap.replace_address: 0x%" G_GINT64_MODIFIER "x is not a %u-byte aligned address",
                   address, self->alignment);
      return FALSE;
    }
  return replace (self, address, NULL, NULL, error);
}

/**
 * cuda_obj_tensor_map_replace_buffer:
 * @self: a tensor map
 * @buffer: the buffer holding a tensor of the map's layout
 * @offset: the byte offset of its first element in @buffer
 * @error: return location for an error
 *
 * Points the map at a tensor of the same layout in @buffer, which the map
 * then keeps alive instead of its previous memory. Kernel arguments hold
 * a copy of the map: set them again.
 *
 * Returns: %TRUE on success; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_NOT_INITIALIZED for an empty map,
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a %NULL @buffer, a misaligned
 *   first element or a tensor that runs past the end of @buffer,
 *   %CUDA_OBJ_ERROR_CLOSED for a closed buffer
 *
 * Since: 1.0
 */
gboolean
cuda_obj_tensor_map_replace_buffer (CudaObjTensorMap *self, CudaObjBuffer *buffer, guint64 offset,
                                    GError **error)
{
  guint64 address, size;

  g_return_val_if_fail (CUDA_OBJ_IS_TENSOR_MAP (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!require_encoded (self, "TensorMap.replace_buffer", error))
    return FALSE;
  if (!CUDA_OBJ_IS_BUFFER (buffer))
    return cuda_obj_set_null_argument (error, "TensorMap.replace_buffer", "buffer");
  if (cuda_obj_buffer_get_closed (buffer))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED,
                           "TensorMap.replace_buffer: the buffer is closed or not initialized");
      return FALSE;
    }
  size = cuda_obj_buffer_get_size (buffer);
  if (offset > size || self->span > size - offset)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "TensorMap.replace_buffer: the tensor reaches %" G_GUINT64_FORMAT
                   " bytes from offset %" G_GUINT64_FORMAT "; the buffer has %" G_GUINT64_FORMAT,
                   self->span, offset, size);
      return FALSE;
    }
  address = cuda_obj_buffer_get_handle (buffer) + offset;
  if (address % self->alignment != 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "TensorMap.replace_buffer: the first element at 0x%" G_GINT64_MODIFIER "x is not %u-byte "
                   "aligned",
                   address, self->alignment);
      return FALSE;
    }
  return replace (self, address, G_OBJECT (buffer), buffer, error);
}

const CUtensorMap *
cuda_obj_tensor_map_peek (CudaObjTensorMap *self, CudaObjBuffer **buffer, GError **error)
{
  if (!require_encoded (self, "KernelArgs.set_tensor_map", error))
    return NULL;
  *buffer = self->buffer;
  return self->map;
}

/**
 * cuda_obj_tensor_map_get_bytes:
 * @self: a tensor map
 *
 * Gives a copy of the encoded map, the %CUDA_OBJ_TENSOR_MAP_SIZE bytes a
 * kernel receives, for code that packs kernel parameters itself.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL for an empty map
 *
 * Since: 1.0
 */
GBytes *
cuda_obj_tensor_map_get_bytes (CudaObjTensorMap *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TENSOR_MAP (self), NULL);
  return self->map != NULL ? g_bytes_new (self->map, CUDA_OBJ_TENSOR_MAP_SIZE) : NULL;
}

/**
 * cuda_obj_tensor_map_get_address:
 * @self: a tensor map
 *
 * Gives [property@CudaObj.TensorMap:address].
 *
 * Returns: the address of the tensor's first element, or 0
 *
 * Since: 1.0
 */
guint64
cuda_obj_tensor_map_get_address (CudaObjTensorMap *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TENSOR_MAP (self), 0);
  return self->address;
}

/**
 * cuda_obj_tensor_map_get_rank:
 * @self: a tensor map
 *
 * Gives [property@CudaObj.TensorMap:rank].
 *
 * Returns: the tensor's dimensions, or 0
 *
 * Since: 1.0
 */
guint
cuda_obj_tensor_map_get_rank (CudaObjTensorMap *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TENSOR_MAP (self), 0);
  return self->rank;
}

/**
 * cuda_obj_tensor_map_get_data_type:
 * @self: a tensor map
 *
 * Gives [property@CudaObj.TensorMap:data-type].
 *
 * Returns: the type of the elements
 *
 * Since: 1.0
 */
CudaObjDataType
cuda_obj_tensor_map_get_data_type (CudaObjTensorMap *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TENSOR_MAP (self), CUDA_OBJ_DATA_TYPE_BYTE);
  return self->data_type;
}

/**
 * cuda_obj_tensor_map_get_is_im2col:
 * @self: a tensor map
 *
 * Gives [property@CudaObj.TensorMap:is-im2col].
 *
 * Returns: whether the map loads im2col patches
 *
 * Since: 1.0
 */
gboolean
cuda_obj_tensor_map_get_is_im2col (CudaObjTensorMap *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TENSOR_MAP (self), FALSE);
  return self->im2col;
}
