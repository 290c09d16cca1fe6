/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a typed, strided window over memory.
 *
 * A view is an owner that keeps the memory alive (a Buffer, GBytes, or an
 * imported DLPack tensor), the address of the owner's first byte, and a
 * layout: data type, shape and strides in elements, and the byte offset of
 * element (0, ..., 0). Views are immutable once made; every layout is
 * checked when the view is made, with overflow-checked arithmetic, so that
 * no element lies outside the owner.
 *
 * ```c
 * // A 3x4 float32 matrix in a buffer, and its transpose, without a copy.
 * gint64 shape[] = { 3, 4 }, tshape[] = { 4, 3 }, tstrides[] = { 1, 4 };
 * g_autoptr (CudaObjStridedView) m =
 *     cuda_obj_strided_view_new (buffer, CUDA_OBJ_DATA_TYPE_FLOAT32, shape, 2, NULL, 0, 0, &error);
 * g_autoptr (CudaObjStridedView) t =
 *     cuda_obj_strided_view_new (buffer, CUDA_OBJ_DATA_TYPE_FLOAT32, tshape, 2, tstrides, 2, 0, &error);
 * ```
 */
#include "config.h"

#include <string.h>

#include "cudaobj-strided-view.h"
#include "cudaobj-strided-view-private.h"
#include "cudaobj-data-type-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-dlpack-private.h"
#include "cudaobj-enum-types.h"
#include "cudaobj-stream-private.h"

#ifdef G_OS_UNIX
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

G_STATIC_ASSERT ((int) CUDA_OBJ_DLPACK_DEVICE_TYPE_CPU == (int) kDLCPU);
G_STATIC_ASSERT ((int) CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA == (int) kDLCUDA);
G_STATIC_ASSERT ((int) CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA_HOST == (int) kDLCUDAHost);
G_STATIC_ASSERT ((int) CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA_MANAGED == (int) kDLCUDAManaged);
G_STATIC_ASSERT (sizeof (gint64) == sizeof (int64_t));

#define MAX_DIMS CUDA_OBJ_STRIDED_VIEW_MAX_DIMS

/* Foreign memory: GBytes, or an imported DLPack tensor whose deleter runs
 * when the last view (the last reference) goes. Not a public type: views
 * expose it only as their owner, a GObject. */
#define CUDA_OBJ_TYPE_FOREIGN_MEMORY (cuda_obj_foreign_memory_get_type ())
G_DECLARE_FINAL_TYPE (CudaObjForeignMemory, cuda_obj_foreign_memory, CUDA_OBJ, FOREIGN_MEMORY, GObject)

struct _CudaObjForeignMemory
{
  GObject parent_instance;

  GBytes *bytes; /* owned, or NULL */
  void *tensor;  /* DLManagedTensor(Versioned) *, or NULL */
  gboolean versioned;
};

G_DEFINE_FINAL_TYPE (CudaObjForeignMemory, cuda_obj_foreign_memory, G_TYPE_OBJECT)

/* Whether @size bytes at @address are aligned for @alignment and mapped:
 * DLPack tensors come as plain integers from bindings, where a careless
 * value (0, 1, 70000, 2^64 - 1) must be an error and not a crash. It cannot
 * tell a tensor from other memory; it catches what is obviously no pointer. */
static gboolean
address_is_readable (guint64 address, gsize size, gsize alignment)
{
  guint64 end;

  if (address == 0 || address % alignment != 0 || __builtin_add_overflow (address, (guint64) size, &end)
      || end > G_MAXSIZE)
    return FALSE;
#ifdef G_OS_UNIX
  {
    guint64 page = (guint64) sysconf (_SC_PAGESIZE);

    for (guint64 start = address - address % page; start < end; start += page)
      {
        unsigned char resident;

        /* ENOMEM: not mapped; residency itself does not matter. */
        if (mincore ((void *) (guintptr) start, page, (void *) &resident) != 0 && errno == ENOMEM)
          return FALSE;
      }
  }
#endif
  return TRUE;
}

static void
delete_tensor (void *tensor, gboolean versioned)
{
  if (tensor == NULL)
    return;
  if (versioned)
    {
      DLManagedTensorVersioned *managed = tensor;

      if (managed->deleter != NULL)
        managed->deleter (managed);
    }
  else
    {
      DLManagedTensor *managed = tensor;

      if (managed->deleter != NULL)
        managed->deleter (managed);
    }
}

static void
cuda_obj_foreign_memory_finalize (GObject *object)
{
  CudaObjForeignMemory *self = CUDA_OBJ_FOREIGN_MEMORY (object);

  g_clear_pointer (&self->bytes, g_bytes_unref);
  delete_tensor (g_steal_pointer (&self->tensor), self->versioned);
  G_OBJECT_CLASS (cuda_obj_foreign_memory_parent_class)->finalize (object);
}

static void
cuda_obj_foreign_memory_class_init (CudaObjForeignMemoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cuda_obj_foreign_memory_finalize;
}

static void
cuda_obj_foreign_memory_init (CudaObjForeignMemory *self)
{
}

struct _CudaObjStridedView
{
  GObject parent_instance;

  GObject *owner;        /* owned; NULL when never initialized */
  CudaObjBuffer *buffer; /* the owner when it is a Buffer (not owned twice) */
  CudaObjDevice *device; /* owned; NULL for plain host memory */
  guint64 base;          /* address of the owner's first byte */
  guint64 offset;        /* of element (0, ..., 0) from base, in bytes */
  CudaObjDataType data_type;
  gsize item_size;
  guint n_dims;
  gint64 shape[MAX_DIMS];
  gint64 strides[MAX_DIMS];
  guint64 n_elements;
  gint64 lowest, highest; /* element offsets of the first and last byte's elements */
  CudaObjDlpackDeviceType device_type;
  gboolean read_only;
  gboolean host_accessible;
  gboolean device_accessible;
};

enum
{
  PROP_0,
  PROP_OWNER,
  PROP_DATA_TYPE,
  PROP_N_DIMS,
  PROP_N_ELEMENTS,
  PROP_OFFSET,
  PROP_DATA,
  PROP_DEVICE,
  PROP_DLPACK_DEVICE_TYPE,
  PROP_READ_ONLY,
  PROP_IS_HOST_ACCESSIBLE,
  PROP_IS_DEVICE_ACCESSIBLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * CudaObjStridedView:
 *
 * A typed, strided window over memory: what NumPy, PyTorch and CuPy call an
 * array or a tensor, without owning anything but a reference to the memory.
 *
 * A view has an owner that keeps the memory alive (a [class@CudaObj.Buffer],
 * a [struct@GLib.Bytes], or a tensor imported through DLPack), a
 * [enum@CudaObj.DataType], a shape and strides in elements (rank up to
 * %CUDA_OBJ_STRIDED_VIEW_MAX_DIMS; strides may be zero or negative), and the
 * byte offset of its first element. Every element lies inside the owner:
 * [ctor@CudaObj.StridedView.new] checks the layout against the buffer's size
 * and fails with %CUDA_OBJ_ERROR_INVALID_ARGUMENT otherwise.
 *
 * ```c
 * // the transpose of a 3x4 float32 matrix, without a copy
 * gint64 shape[] = { 4, 3 }, strides[] = { 1, 4 };
 * g_autoptr (CudaObjStridedView) t = cuda_obj_strided_view_new (
 *     buffer, CUDA_OBJ_DATA_TYPE_FLOAT32, shape, 2, strides, 2, 0, &error);
 * ```
 *
 * Views exchange memory with other libraries without copies through DLPack
 * ([method@CudaObj.StridedView.to_dlpack],
 * [ctor@CudaObj.StridedView.new_from_dlpack]), which the Python overrides
 * wrap as `__dlpack__` and `CudaObj.from_dlpack()`. A kernel takes a view's
 * [property@CudaObj.StridedView:data] address as a pointer argument.
 *
 * [method@CudaObj.StridedView.copy_to_bytes] and
 * [method@CudaObj.StridedView.copy_from_bytes] gather and scatter the
 * elements in row-major order, honouring the strides.
 *
 * Views are immutable and may be used from several threads.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjStridedView, cuda_obj_strided_view, G_TYPE_OBJECT)

/* Internal helpers. */

static gboolean
check_initialized (CudaObjStridedView *self, GError **error)
{
  if (G_LIKELY (self->owner != NULL))
    return TRUE;
  g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
                       "The StridedView was created without memory; make views with"
                       " CudaObj.StridedView.new, new_for_bytes or new_from_dlpack");
  return FALSE;
}

static gboolean
check_usable (CudaObjStridedView *self, GError **error)
{
  if (!check_initialized (self, error))
    return FALSE;
  if (self->buffer != NULL && cuda_obj_buffer_get_closed (self->buffer))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED,
                           "The StridedView's buffer is closed");
      return FALSE;
    }
  return TRUE;
}

gboolean
cuda_obj_strided_view_peek_data (CudaObjStridedView *self, guint64 *address, GError **error)
{
  if (!check_usable (self, error))
    return FALSE;
  *address = self->base + self->offset;
  return TRUE;
}

CudaObjBuffer *
cuda_obj_strided_view_peek_buffer (CudaObjStridedView *self)
{
  return self->buffer;
}

typedef struct
{
  CudaObjDataType data_type;
  guint n_dims;
  const gint64 *shape;
  const gint64 *strides; /* NULL: row-major */
  guint n_strides;
  guint64 offset;   /* of element 0 from the owner's start */
  guint64 size;     /* the owner's size */
  const char *what; /* for messages */
} Layout;

/* Checks @layout and fills the view's layout fields. Element offsets use
 * checked arithmetic: a layout whose extents overflow is an error, never a
 * wrapped address. */
static gboolean
set_layout (CudaObjStridedView *self, const Layout *layout, GError **error)
{
  gint64 lowest = 0, highest = 0, expected = 1;
  guint64 n_elements = 1;
  gsize item;

  if (!cuda_obj_data_type_check (layout->data_type, error))
    return FALSE;
  item = cuda_obj_data_type_get_item_size (layout->data_type);
  if (layout->n_dims > MAX_DIMS)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: a view has at most %d dimensions, not %u", layout->what, MAX_DIMS, layout->n_dims);
      return FALSE;
    }
  if (layout->n_dims > 0 && layout->shape == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: the shape of %u dimensions is NULL", layout->what, layout->n_dims);
      return FALSE;
    }
  if (layout->strides != NULL && layout->n_strides != layout->n_dims)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: %u strides for a shape of %u dimensions", layout->what, layout->n_strides,
                   layout->n_dims);
      return FALSE;
    }

  for (guint i = layout->n_dims; i-- > 0;)
    {
      gint64 extent = layout->shape[i];
      gint64 stride, reach;

      if (extent < 0)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "%s: dimension %u has a negative extent (%" G_GINT64_FORMAT ")", layout->what, i,
                       extent);
          return FALSE;
        }
      stride = layout->strides != NULL ? layout->strides[i] : expected;
      self->shape[i] = extent;
      self->strides[i] = stride;
      if (layout->strides == NULL && extent > 0 && __builtin_mul_overflow (expected, extent, &expected))
        goto overflow;
      if (__builtin_mul_overflow (n_elements, (guint64) extent, &n_elements))
        goto overflow;
      if (extent == 0)
        continue;
      if (__builtin_mul_overflow (stride, extent - 1, &reach))
        goto overflow;
      if (reach >= 0 ? __builtin_add_overflow (highest, reach, &highest)
                     : __builtin_add_overflow (lowest, reach, &lowest))
        goto overflow;
    }
  self->n_dims = layout->n_dims;
  self->data_type = layout->data_type;
  self->item_size = item;
  self->n_elements = n_elements;
  self->lowest = lowest;
  self->highest = highest;
  self->offset = layout->offset;

  /* Bytes from the owner's start: offset + lowest * item >= 0 and
   * offset + (highest + 1) * item <= size; an empty view only needs its
   * offset inside (or at the end of) the owner. */
  if (n_elements == 0)
    {
      if (layout->offset > layout->size)
        goto outside;
      return TRUE;
    }
  {
    gint64 low_bytes, high_bytes;

    if (__builtin_mul_overflow (lowest, (gint64) item, &low_bytes)
        || __builtin_add_overflow (highest, 1, &high_bytes)
        || __builtin_mul_overflow (high_bytes, (gint64) item, &high_bytes))
      goto overflow;
    if ((guint64) 0 - (guint64) low_bytes > layout->offset || layout->offset > layout->size
        || (guint64) high_bytes > layout->size - layout->offset)
      goto outside;
  }
  return TRUE;

overflow:
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
               "%s: the extents of the shape and strides overflow 64 bits", layout->what);
  return FALSE;

outside:
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
               "%s: the elements of a %s view reach outside the %" G_GINT64_MODIFIER "u bytes of its memory"
               " (offset %" G_GINT64_MODIFIER "u, element offsets %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
               ")",
               layout->what, cuda_obj_data_type_get_name (layout->data_type), layout->size, layout->offset,
               lowest, highest);
  return FALSE;
}

static CudaObjStridedView *
view_new (GObject *owner)
{
  CudaObjStridedView *self = g_object_new (CUDA_OBJ_TYPE_STRIDED_VIEW, NULL);

  self->owner = g_object_ref (owner);
  if (CUDA_OBJ_IS_BUFFER (owner))
    self->buffer = CUDA_OBJ_BUFFER (owner);
  return self;
}

/* GObject. */

static void
cuda_obj_strided_view_dispose (GObject *object)
{
  CudaObjStridedView *self = CUDA_OBJ_STRIDED_VIEW (object);

  self->buffer = NULL;
  g_clear_object (&self->owner);
  g_clear_object (&self->device);
  G_OBJECT_CLASS (cuda_obj_strided_view_parent_class)->dispose (object);
}

static void
cuda_obj_strided_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjStridedView *self = CUDA_OBJ_STRIDED_VIEW (object);

  switch (prop_id)
    {
    case PROP_OWNER: g_value_set_object (value, self->owner); break;
    case PROP_DATA_TYPE: g_value_set_enum (value, self->data_type); break;
    case PROP_N_DIMS: g_value_set_uint (value, self->n_dims); break;
    case PROP_N_ELEMENTS: g_value_set_uint64 (value, cuda_obj_strided_view_get_n_elements (self)); break;
    case PROP_OFFSET: g_value_set_uint64 (value, self->offset); break;
    case PROP_DATA: g_value_set_uint64 (value, cuda_obj_strided_view_get_data (self)); break;
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_DLPACK_DEVICE_TYPE: g_value_set_enum (value, self->device_type); break;
    case PROP_READ_ONLY: g_value_set_boolean (value, self->read_only); break;
    case PROP_IS_HOST_ACCESSIBLE: g_value_set_boolean (value, self->host_accessible); break;
    case PROP_IS_DEVICE_ACCESSIBLE: g_value_set_boolean (value, self->device_accessible); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)

static void
cuda_obj_strided_view_class_init (CudaObjStridedViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cuda_obj_strided_view_dispose;
  object_class->get_property = cuda_obj_strided_view_get_property;

  /**
   * CudaObjStridedView:owner: (getter get_owner)
   *
   * What keeps the memory alive: a [class@CudaObj.Buffer], or an internal
   * object holding a [struct@GLib.Bytes] or an imported DLPack tensor.
   *
   * Since: 1.0
   */
  properties[PROP_OWNER] = g_param_spec_object ("owner", NULL, NULL, G_TYPE_OBJECT, RO);
  /**
   * CudaObjStridedView:data-type: (getter get_data_type)
   *
   * The type of each element.
   *
   * Since: 1.0
   */
  properties[PROP_DATA_TYPE]
      = g_param_spec_enum ("data-type", NULL, NULL, CUDA_OBJ_TYPE_DATA_TYPE, CUDA_OBJ_DATA_TYPE_BYTE, RO);
  /**
   * CudaObjStridedView:n-dims: (getter get_n_dims)
   *
   * The rank: the number of dimensions, 0 for a scalar; see
   * [method@CudaObj.StridedView.get_shape] and
   * [method@CudaObj.StridedView.get_strides].
   *
   * Since: 1.0
   */
  properties[PROP_N_DIMS] = g_param_spec_uint ("n-dims", NULL, NULL, 0, MAX_DIMS, 0, RO);
  /**
   * CudaObjStridedView:n-elements: (getter get_n_elements)
   *
   * The number of elements, the product of the shape.
   *
   * Since: 1.0
   */
  properties[PROP_N_ELEMENTS] = g_param_spec_uint64 ("n-elements", NULL, NULL, 0, G_MAXUINT64, 0, RO);
  /**
   * CudaObjStridedView:offset: (getter get_offset)
   *
   * The byte offset of the first element (index 0 in every dimension) from
   * the owner's first byte; 0 for imported tensors.
   *
   * Since: 1.0
   */
  properties[PROP_OFFSET] = g_param_spec_uint64 ("offset", NULL, NULL, 0, G_MAXUINT64, 0, RO);
  /**
   * CudaObjStridedView:data: (getter get_data)
   *
   * The address of the first element (index 0 in every dimension), which
   * a kernel takes as a pointer argument; 0 when the owner is a closed
   * buffer.
   *
   * Since: 1.0
   */
  properties[PROP_DATA] = g_param_spec_uint64 ("data", NULL, NULL, 0, G_MAXUINT64, 0, RO);
  /**
   * CudaObjStridedView:device: (getter get_device)
   *
   * The device the memory belongs to; %NULL for plain host memory.
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE] = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE, RO);
  /**
   * CudaObjStridedView:dlpack-device-type: (getter get_dlpack_device_type)
   *
   * Where the memory is, as DLPack says it: device, page-locked host,
   * managed or plain host memory.
   *
   * Since: 1.0
   */
  properties[PROP_DLPACK_DEVICE_TYPE]
      = g_param_spec_enum ("dlpack-device-type", NULL, NULL, CUDA_OBJ_TYPE_DLPACK_DEVICE_TYPE,
                           CUDA_OBJ_DLPACK_DEVICE_TYPE_NONE, RO);
  /**
   * CudaObjStridedView:read-only: (getter get_read_only)
   *
   * Whether writing through the view is refused: views of
   * [struct@GLib.Bytes], tensors a producer marked read-only, and views
   * made by [method@CudaObj.StridedView.as_read_only].
   *
   * Since: 1.0
   */
  properties[PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, FALSE, RO);
  /**
   * CudaObjStridedView:is-host-accessible: (getter get_is_host_accessible)
   *
   * Whether the host can read and write the memory directly (host,
   * page-locked and managed memory).
   *
   * Since: 1.0
   */
  properties[PROP_IS_HOST_ACCESSIBLE] = g_param_spec_boolean ("is-host-accessible", NULL, NULL, FALSE, RO);
  /**
   * CudaObjStridedView:is-device-accessible: (getter get_is_device_accessible)
   *
   * Whether kernels on [property@CudaObj.StridedView:device] can address
   * the memory.
   *
   * Since: 1.0
   */
  properties[PROP_IS_DEVICE_ACCESSIBLE]
      = g_param_spec_boolean ("is-device-accessible", NULL, NULL, FALSE, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_strided_view_init (CudaObjStridedView *self)
{
}

/* Constructors. */

/**
 * cuda_obj_strided_view_new:
 * @buffer: the buffer whose memory the view sees
 * @data_type: the type of each element
 * @shape: (array length=n_dims) (nullable): the extent of each dimension
 * @n_dims: the rank, at most %CUDA_OBJ_STRIDED_VIEW_MAX_DIMS
 * @strides: (array length=n_strides) (nullable): the step of each dimension in
 *   elements (zero and negative steps allowed), or %NULL for row-major
 *   (C-contiguous) strides
 * @n_strides: the number of @strides: @n_dims, or 0 with %NULL @strides
 * @offset: the byte offset of the first element (index 0 in every
 *   dimension) in @buffer
 * @error: return location for an error
 *
 * Makes a view of @buffer's memory. The view keeps @buffer alive; closing
 * @buffer makes the view unusable (%CUDA_OBJ_ERROR_CLOSED).
 * [method@CudaObj.Buffer.view] is the same call.
 *
 * Returns: (transfer full): the view, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a rank over
 *   %CUDA_OBJ_STRIDED_VIEW_MAX_DIMS, a stride count other than the rank, a
 *   negative extent, an invalid @data_type, extents that overflow or
 *   elements outside the buffer; %CUDA_OBJ_ERROR_CLOSED for a closed buffer
 *
 * Since: 1.0
 */
CudaObjStridedView *
cuda_obj_strided_view_new (CudaObjBuffer *buffer, CudaObjDataType data_type, const gint64 *shape,
                           guint n_dims, const gint64 *strides, guint n_strides, guint64 offset,
                           GError **error)
{
  g_autoptr (CudaObjStridedView) self = NULL;
  Layout layout = { data_type, n_dims, shape, strides, n_strides, offset, 0, "StridedView.new" };
  gboolean managed;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!CUDA_OBJ_IS_BUFFER (buffer))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "StridedView.new: the buffer is NULL or not a CudaObj.Buffer");
      return NULL;
    }
  if (cuda_obj_buffer_get_closed (buffer))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED,
                           "StridedView.new: the buffer is closed");
      return NULL;
    }
  self = view_new (G_OBJECT (buffer));
  layout.size = cuda_obj_buffer_get_size (buffer);
  if (!set_layout (self, &layout, error))
    return NULL;
  self->base = cuda_obj_buffer_get_handle (buffer);
  self->device = g_object_ref (cuda_obj_buffer_get_device (buffer));
  self->host_accessible = cuda_obj_buffer_get_is_host_accessible (buffer);
  self->device_accessible = cuda_obj_buffer_get_is_device_accessible (buffer);
  managed = self->host_accessible && self->device_accessible
            && CUDA_OBJ_IS_MANAGED_MEMORY_RESOURCE (cuda_obj_buffer_get_memory_resource (buffer));
  if (!managed && self->host_accessible && self->device_accessible && cuda_obj_driver_peek () != NULL)
    {
      unsigned int is_managed = 0;

      /* Wrapped memory: ask the driver. */
      if (cuda_obj_driver_peek ()->cuPointerGetAttribute (&is_managed, CU_POINTER_ATTRIBUTE_IS_MANAGED,
                                                          self->base)
          == CUDA_SUCCESS)
        managed = is_managed != 0;
    }
  if (managed)
    self->device_type = CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA_MANAGED;
  else if (self->host_accessible)
    self->device_type = CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA_HOST;
  else
    self->device_type = CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA;
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_strided_view_new_for_bytes:
 * @bytes: the host memory the view sees
 * @data_type: the type of each element
 * @shape: (array length=n_dims) (nullable): the extent of each dimension
 * @n_dims: the rank, at most %CUDA_OBJ_STRIDED_VIEW_MAX_DIMS
 * @strides: (array length=n_strides) (nullable): the step of each dimension in
 *   elements, or %NULL for row-major strides
 * @n_strides: the number of @strides: @n_dims, or 0 with %NULL @strides
 * @offset: the byte offset of the first element in @bytes
 * @error: return location for an error
 *
 * Makes a read-only view of host memory held by @bytes (which the view
 * keeps), for example to hand data to a DLPack consumer or to reorder it
 * with [method@CudaObj.StridedView.copy_to_bytes].
 *
 * Returns: (transfer full): the view, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT as for [ctor@CudaObj.StridedView.new],
 *   and for %NULL @bytes
 *
 * Since: 1.0
 */
CudaObjStridedView *
cuda_obj_strided_view_new_for_bytes (GBytes *bytes, CudaObjDataType data_type, const gint64 *shape,
                                     guint n_dims, const gint64 *strides, guint n_strides, guint64 offset,
                                     GError **error)
{
  g_autoptr (CudaObjForeignMemory) memory = NULL;
  g_autoptr (CudaObjStridedView) self = NULL;
  Layout layout = { data_type, n_dims, shape, strides, n_strides, offset, 0, "StridedView.new_for_bytes" };
  gsize size = 0;
  const void *data;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (bytes == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "StridedView.new_for_bytes: the bytes are NULL");
      return NULL;
    }
  data = g_bytes_get_data (bytes, &size);
  memory = g_object_new (CUDA_OBJ_TYPE_FOREIGN_MEMORY, NULL);
  memory->bytes = g_bytes_ref (bytes);
  self = view_new (G_OBJECT (memory));
  layout.size = size;
  if (!set_layout (self, &layout, error))
    return NULL;
  self->base = (guint64) (guintptr) data;
  self->read_only = TRUE;
  self->host_accessible = TRUE;
  self->device_type = CUDA_OBJ_DLPACK_DEVICE_TYPE_CPU;
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_strided_view_new_from_dlpack:
 * @address: the address of a `DLManagedTensorVersioned` (DLPack 1.x) or a
 *   legacy `DLManagedTensor`
 * @versioned: whether @address is a `DLManagedTensorVersioned`
 * @error: return location for an error
 *
 * Takes over a DLPack tensor without copying it: the view (and every view
 * or export made from it) keeps the tensor, and its deleter runs exactly
 * once, when the last of them goes. Device memory (`kDLCUDA`), managed
 * memory, page-locked (`kDLCUDAHost`) and plain host memory (`kDLCPU`) are
 * taken; a tensor marked read-only makes a read-only view.
 *
 * On failure the tensor is untouched and still the caller's to delete
 * ([func@CudaObj.StridedView.delete_dlpack]). @address must be a tensor's:
 * values that obviously are not (0, misaligned, not mapped) are refused, but
 * other memory cannot be told from a tensor.
 *
 * Returns: (transfer full): the view, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a zero @address, a rank over
 *   %CUDA_OBJ_STRIDED_VIEW_MAX_DIMS, negative extents, extents that
 *   overflow or a newer major DLPack version; %CUDA_OBJ_ERROR_NOT_SUPPORTED
 *   for data types and device types views do not have; the driver's
 *   errors for a device that cannot be opened
 *
 * Since: 1.0
 */
CudaObjStridedView *
cuda_obj_strided_view_new_from_dlpack (guint64 address, gboolean versioned, GError **error)
{
  g_autoptr (CudaObjForeignMemory) memory = NULL;
  g_autoptr (CudaObjStridedView) self = NULL;
  g_autoptr (CudaObjDevice) device = NULL;
  const DLTensor *tensor;
  CudaObjDataType data_type;
  gboolean read_only = FALSE;
  guint64 data;
  Layout layout = { 0 };

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (address == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "StridedView.new_from_dlpack: the tensor's address is 0");
      return NULL;
    }
  if (!address_is_readable (address, versioned ? sizeof (DLManagedTensorVersioned) : sizeof (DLManagedTensor),
                            G_ALIGNOF (DLManagedTensor)))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "StridedView.new_from_dlpack: 0x%" G_GINT64_MODIFIER
                   "x is not the address of a DLPack tensor",
                   address);
      return NULL;
    }
  if (versioned)
    {
      const DLManagedTensorVersioned *managed = (const void *) (guintptr) address;

      if (managed->version.major > CUDA_OBJ_DLPACK_MAJOR_VERSION)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "StridedView.new_from_dlpack: DLPack %u.%u is newer than the %d.x this library reads",
                       managed->version.major, managed->version.minor, CUDA_OBJ_DLPACK_MAJOR_VERSION);
          return NULL;
        }
      tensor = &managed->dl_tensor;
      read_only = (managed->flags & DLPACK_FLAG_BITMASK_READ_ONLY) != 0;
    }
  else
    tensor = &((const DLManagedTensor *) (guintptr) address)->dl_tensor;

  if (tensor->ndim < 0 || tensor->ndim > MAX_DIMS)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "StridedView.new_from_dlpack: a view has at most %d dimensions, not %d", MAX_DIMS,
                   (int) tensor->ndim);
      return NULL;
    }
  if (tensor->ndim > 0
      && (!address_is_readable ((guint64) (guintptr) tensor->shape, tensor->ndim * sizeof (int64_t),
                                G_ALIGNOF (int64_t))
          || (tensor->strides != NULL
              && !address_is_readable ((guint64) (guintptr) tensor->strides, tensor->ndim * sizeof (int64_t),
                                       G_ALIGNOF (int64_t)))))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "StridedView.new_from_dlpack: the tensor's shape or strides are not readable");
      return NULL;
    }
  if (!cuda_obj_data_type_from_dlpack (tensor->dtype.code, tensor->dtype.bits, tensor->dtype.lanes,
                                       &data_type, error))
    return NULL;
  switch ((int) tensor->device.device_type)
    {
    case kDLCPU:
    case kDLCUDAHost: break;
    case kDLCUDA:
    case kDLCUDAManaged:
      if (tensor->device.device_id < 0)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "StridedView.new_from_dlpack: the device id %d is negative",
                       (int) tensor->device.device_id);
          return NULL;
        }
      device = cuda_obj_device_get ((guint) tensor->device.device_id, error);
      if (device == NULL)
        return NULL;
      break;
    default:
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "StridedView.new_from_dlpack: DLPack device type %d is not CUDA, CUDA host, CUDA managed"
                   " or CPU memory",
                   (int) tensor->device.device_type);
      return NULL;
    }

  /* Element 0's address is data + byte_offset; the checks treat the whole
   * address space as the owner so that no element's address wraps. */
  if (__builtin_add_overflow ((guint64) (guintptr) tensor->data, tensor->byte_offset, &data))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "StridedView.new_from_dlpack: data + byte_offset overflows");
      return NULL;
    }
  layout.data_type = data_type;
  layout.n_dims = (guint) tensor->ndim;
  layout.shape = tensor->shape;
  layout.strides = tensor->strides;
  layout.n_strides = tensor->strides != NULL ? layout.n_dims : 0;
  layout.offset = data;
  layout.size = G_MAXUINT64;
  layout.what = "StridedView.new_from_dlpack";

  memory = g_object_new (CUDA_OBJ_TYPE_FOREIGN_MEMORY, NULL);
  self = view_new (G_OBJECT (memory));
  if (!set_layout (self, &layout, error))
    return NULL;
  if (data == 0 && self->n_elements != 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "StridedView.new_from_dlpack: the tensor has elements but no data");
      return NULL;
    }
  self->base = data;
  self->offset = 0;
  self->read_only = read_only;
  self->device = g_steal_pointer (&device);
  self->device_type = (CudaObjDlpackDeviceType) tensor->device.device_type;
  self->host_accessible = self->device_type != CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA;
  self->device_accessible = self->device_type != CUDA_OBJ_DLPACK_DEVICE_TYPE_CPU;
  /* Only now, with nothing left to fail, does the view own the tensor. */
  memory->tensor = (void *) (guintptr) address;
  memory->versioned = versioned;
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_strided_view_delete_dlpack:
 * @address: the address of a `DLManagedTensorVersioned` or legacy
 *   `DLManagedTensor`, or 0
 * @versioned: whether @address is a `DLManagedTensorVersioned`
 *
 * Runs the deleter of a DLPack tensor nobody consumed: one from
 * [method@CudaObj.StridedView.to_dlpack] that was not handed over, or one
 * that [ctor@CudaObj.StridedView.new_from_dlpack] refused. Does nothing for
 * 0, an address that obviously is no tensor (misaligned or not mapped), or a
 * tensor without a deleter.
 *
 * Since: 1.0
 */
void
cuda_obj_strided_view_delete_dlpack (guint64 address, gboolean versioned)
{
  if (!address_is_readable (address, versioned ? sizeof (DLManagedTensorVersioned) : sizeof (DLManagedTensor),
                            G_ALIGNOF (DLManagedTensor)))
    return;
  delete_tensor ((void *) (guintptr) address, versioned);
}

/* What to_dlpack allocates: the managed tensor, then its shape and strides,
 * in one block that the deleter frees. */
typedef struct
{
  DLManagedTensorVersioned managed;
  int64_t shape[MAX_DIMS];
  int64_t strides[MAX_DIMS];
} ExportVersioned;

typedef struct
{
  DLManagedTensor managed;
  int64_t shape[MAX_DIMS];
  int64_t strides[MAX_DIMS];
} ExportLegacy;

static void
export_versioned_delete (DLManagedTensorVersioned *managed)
{
  g_object_unref (managed->manager_ctx);
  g_free (managed); /* the first member of ExportVersioned */
}

static void
export_legacy_delete (DLManagedTensor *managed)
{
  g_object_unref (managed->manager_ctx);
  g_free (managed);
}

/**
 * cuda_obj_strided_view_to_dlpack:
 * @self: a view
 * @versioned: %TRUE for a DLPack 1.x `DLManagedTensorVersioned` (the
 *   "dltensor_versioned" capsule), %FALSE for a legacy `DLManagedTensor`
 *   (the "dltensor" capsule)
 * @device_type: the DLPack device type to describe the memory as:
 *   %CUDA_OBJ_DLPACK_DEVICE_TYPE_NONE for the view's own
 *   ([property@CudaObj.StridedView:dlpack-device-type]), or
 *   %CUDA_OBJ_DLPACK_DEVICE_TYPE_CPU for host-accessible memory that a
 *   host-only consumer (NumPy) is to read in place
 * @error: return location for an error
 *
 * Exports the view as a newly allocated DLPack managed tensor, without a
 * copy. The tensor holds a reference to the view (and so to its owner)
 * until its deleter runs; the consumer runs it, or, for a tensor never
 * handed over, [func@CudaObj.StridedView.delete_dlpack]. Its strides are
 * always given, its data points at the first element and its byte offset is
 * 0; a read-only view sets the versioned tensor's read-only flag.
 *
 * The work queued on the memory must be ordered before the consumer's:
 * the Python `__dlpack__` does that with an event for its `stream` argument.
 *
 * Returns: the address of the tensor, or 0 with @error set:
 *   %CUDA_OBJ_ERROR_NOT_INITIALIZED, %CUDA_OBJ_ERROR_CLOSED for a view of a
 *   closed buffer, %CUDA_OBJ_ERROR_NOT_SUPPORTED for a @device_type the
 *   memory cannot be described as
 *
 * Since: 1.0
 */
guint64
cuda_obj_strided_view_to_dlpack (CudaObjStridedView *self, gboolean versioned,
                                 CudaObjDlpackDeviceType device_type, GError **error)
{
  DLTensor *tensor;
  int64_t *shape, *strides;
  guint8 code, bits;
  guint16 lanes;
  gpointer block;

  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!check_usable (self, error))
    return 0;
  if (device_type == CUDA_OBJ_DLPACK_DEVICE_TYPE_NONE)
    device_type = self->device_type;
  if (device_type != self->device_type
      && !(device_type == CUDA_OBJ_DLPACK_DEVICE_TYPE_CPU && self->host_accessible))
    {
      g_set_error (
          error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
          "StridedView.to_dlpack: memory of DLPack device type %d cannot be exported as device type %d"
          " without a copy",
          (int) self->device_type, (int) device_type);
      return 0;
    }
  if (!cuda_obj_data_type_to_dlpack (self->data_type, &code, &bits, &lanes, error))
    return 0;

  if (versioned)
    {
      ExportVersioned *export = g_new0 (ExportVersioned, 1);

      export->managed.version.major = CUDA_OBJ_DLPACK_MAJOR_VERSION;
      export->managed.version.minor = CUDA_OBJ_DLPACK_MINOR_VERSION;
      export->managed.manager_ctx = g_object_ref (self);
      export->managed.deleter = export_versioned_delete;
      export->managed.flags = self->read_only ? DLPACK_FLAG_BITMASK_READ_ONLY : 0;
      tensor = &export->managed.dl_tensor;
      shape = export->shape;
      strides = export->strides;
      block = export;
    }
  else
    {
      ExportLegacy *export = g_new0 (ExportLegacy, 1);

      export->managed.manager_ctx = g_object_ref (self);
      export->managed.deleter = export_legacy_delete;
      tensor = &export->managed.dl_tensor;
      shape = export->shape;
      strides = export->strides;
      block = export;
    }
  for (guint i = 0; i < self->n_dims; i++)
    {
      shape[i] = self->shape[i];
      strides[i] = self->strides[i];
    }
  tensor->data = (void *) (guintptr) (self->base + self->offset);
  tensor->device.device_type = (DLDeviceType) device_type;
  /* Host memory, plain or page-locked, is device 0 whichever context made it. */
  if (device_type == CUDA_OBJ_DLPACK_DEVICE_TYPE_CPU || device_type == CUDA_OBJ_DLPACK_DEVICE_TYPE_CUDA_HOST
      || self->device == NULL)
    tensor->device.device_id = 0;
  else
    tensor->device.device_id = (int32_t) cuda_obj_device_get_ordinal (self->device);
  tensor->ndim = (int32_t) self->n_dims;
  tensor->dtype.code = code;
  tensor->dtype.bits = bits;
  tensor->dtype.lanes = lanes;
  tensor->shape = shape;
  tensor->strides = strides;
  tensor->byte_offset = 0;
  return (guint64) (guintptr) block;
}

/**
 * cuda_obj_strided_view_as_read_only:
 * @self: a view
 *
 * Makes a read-only view of the same elements, to hand out memory that
 * others must not change.
 *
 * Returns: (transfer full): the read-only view (@self itself, with a new
 *   reference, when it is read-only already)
 *
 * Since: 1.0
 */
CudaObjStridedView *
cuda_obj_strided_view_as_read_only (CudaObjStridedView *self)
{
  CudaObjStridedView *view;

  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), NULL);

  if (self->read_only || self->owner == NULL)
    return g_object_ref (self);
  view = view_new (self->owner);
  view->device = self->device != NULL ? g_object_ref (self->device) : NULL;
  view->base = self->base;
  view->offset = self->offset;
  view->data_type = self->data_type;
  view->item_size = self->item_size;
  view->n_dims = self->n_dims;
  memcpy (view->shape, self->shape, sizeof self->shape);
  memcpy (view->strides, self->strides, sizeof self->strides);
  view->n_elements = self->n_elements;
  view->lowest = self->lowest;
  view->highest = self->highest;
  view->device_type = self->device_type;
  view->read_only = TRUE;
  view->host_accessible = self->host_accessible;
  view->device_accessible = self->device_accessible;
  return view;
}

/* Accessors. */

/**
 * cuda_obj_strided_view_get_owner:
 * @self: a view
 *
 * Gives the value of [property@CudaObj.StridedView:owner].
 *
 * Returns: (transfer none) (nullable): what keeps the memory alive; %NULL
 *   for a view that was never initialized
 *
 * Since: 1.0
 */
GObject *
cuda_obj_strided_view_get_owner (CudaObjStridedView *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), NULL);
  return self->owner;
}

/**
 * cuda_obj_strided_view_get_data_type:
 * @self: a view
 *
 * Gives the value of [property@CudaObj.StridedView:data-type].
 *
 * Returns: the type of each element
 *
 * Since: 1.0
 */
CudaObjDataType
cuda_obj_strided_view_get_data_type (CudaObjStridedView *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), CUDA_OBJ_DATA_TYPE_BYTE);
  return self->data_type;
}

/**
 * cuda_obj_strided_view_get_item_size:
 * @self: a view
 *
 * Gives the size of one element in bytes.
 *
 * Returns: the size of one element, 0 for a view that was never initialized
 *
 * Since: 1.0
 */
gsize
cuda_obj_strided_view_get_item_size (CudaObjStridedView *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), 0);
  return self->item_size;
}

/**
 * cuda_obj_strided_view_get_n_dims:
 * @self: a view
 *
 * Gives the value of [property@CudaObj.StridedView:n-dims].
 *
 * Returns: the rank
 *
 * Since: 1.0
 */
guint
cuda_obj_strided_view_get_n_dims (CudaObjStridedView *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), 0);
  return self->n_dims;
}

/**
 * cuda_obj_strided_view_get_shape:
 * @self: a view
 * @n_dims: (out) (optional): return location for the rank
 *
 * Gives the extent of each dimension.
 *
 * Returns: (array length=n_dims) (transfer none): the shape, owned by @self
 *
 * Since: 1.0
 */
const gint64 *
cuda_obj_strided_view_get_shape (CudaObjStridedView *self, guint *n_dims)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), NULL);
  if (n_dims != NULL)
    *n_dims = self->n_dims;
  return self->shape;
}

/**
 * cuda_obj_strided_view_get_strides:
 * @self: a view
 * @n_dims: (out) (optional): return location for the rank
 *
 * Gives the step of each dimension in elements (not bytes, unlike NumPy's
 * strides); a step may be zero or negative.
 *
 * Returns: (array length=n_dims) (transfer none): the strides, owned by @self
 *
 * Since: 1.0
 */
const gint64 *
cuda_obj_strided_view_get_strides (CudaObjStridedView *self, guint *n_dims)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), NULL);
  if (n_dims != NULL)
    *n_dims = self->n_dims;
  return self->strides;
}

/**
 * cuda_obj_strided_view_get_n_elements:
 * @self: a view
 *
 * Gives the value of [property@CudaObj.StridedView:n-elements].
 *
 * Returns: the number of elements; 0 for a view never initialized
 *
 * Since: 1.0
 */
guint64
cuda_obj_strided_view_get_n_elements (CudaObjStridedView *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), 0);
  return self->owner != NULL ? self->n_elements : 0;
}

/**
 * cuda_obj_strided_view_get_offset:
 * @self: a view
 *
 * Gives the value of [property@CudaObj.StridedView:offset].
 *
 * Returns: the byte offset of the first element in the owner
 *
 * Since: 1.0
 */
guint64
cuda_obj_strided_view_get_offset (CudaObjStridedView *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), 0);
  return self->offset;
}

/**
 * cuda_obj_strided_view_get_data:
 * @self: a view
 *
 * Gives the value of [property@CudaObj.StridedView:data].
 *
 * Returns: the address of the first element; 0 when the owner is a closed
 *   buffer or the view was never initialized
 *
 * Since: 1.0
 */
guint64
cuda_obj_strided_view_get_data (CudaObjStridedView *self)
{
  guint64 address = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), 0);
  return cuda_obj_strided_view_peek_data (self, &address, NULL) ? address : 0;
}

/**
 * cuda_obj_strided_view_get_device:
 * @self: a view
 *
 * Gives the value of [property@CudaObj.StridedView:device].
 *
 * Returns: (transfer none) (nullable): the device, or %NULL for plain host
 *   memory
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_strided_view_get_device (CudaObjStridedView *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), NULL);
  return self->device;
}

/**
 * cuda_obj_strided_view_get_dlpack_device_type:
 * @self: a view
 *
 * Gives the value of [property@CudaObj.StridedView:dlpack-device-type]; with
 * the ordinal of [property@CudaObj.StridedView:device] (0 for host memory)
 * it is the view's `__dlpack_device__`.
 *
 * Returns: the DLPack device type
 *
 * Since: 1.0
 */
CudaObjDlpackDeviceType
cuda_obj_strided_view_get_dlpack_device_type (CudaObjStridedView *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), CUDA_OBJ_DLPACK_DEVICE_TYPE_NONE);
  return self->device_type;
}

/**
 * cuda_obj_strided_view_get_read_only:
 * @self: a view
 *
 * Gives the value of [property@CudaObj.StridedView:read-only].
 *
 * Returns: whether writing through the view is refused
 *
 * Since: 1.0
 */
gboolean
cuda_obj_strided_view_get_read_only (CudaObjStridedView *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), FALSE);
  return self->read_only;
}

/**
 * cuda_obj_strided_view_get_is_host_accessible:
 * @self: a view
 *
 * Gives the value of [property@CudaObj.StridedView:is-host-accessible].
 *
 * Returns: whether the host can address the memory
 *
 * Since: 1.0
 */
gboolean
cuda_obj_strided_view_get_is_host_accessible (CudaObjStridedView *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), FALSE);
  return self->host_accessible;
}

/**
 * cuda_obj_strided_view_get_is_device_accessible:
 * @self: a view
 *
 * Gives the value of [property@CudaObj.StridedView:is-device-accessible].
 *
 * Returns: whether kernels can address the memory
 *
 * Since: 1.0
 */
gboolean
cuda_obj_strided_view_get_is_device_accessible (CudaObjStridedView *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), FALSE);
  return self->device_accessible;
}

/**
 * cuda_obj_strided_view_get_is_contiguous:
 * @self: a view
 *
 * Tells whether the elements lie in row-major (C) order without gaps, as
 * consumers that take only contiguous memory need. Dimensions of extent 1
 * may have any stride; an empty view is contiguous.
 *
 * Returns: whether the view is C-contiguous
 *
 * Since: 1.0
 */
gboolean
cuda_obj_strided_view_get_is_contiguous (CudaObjStridedView *self)
{
  gint64 expected = 1;

  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), FALSE);
  if (self->n_elements == 0)
    return TRUE;
  for (guint i = self->n_dims; i-- > 0;)
    {
      if (self->shape[i] == 1)
        continue;
      if (self->strides[i] != expected)
        return FALSE;
      expected *= self->shape[i]; /* cannot overflow: checked when made */
    }
  return TRUE;
}

/* Copies. */

/* Gathers (to_dense) or scatters (!to_dense) the elements between strided
 * memory at @origin (element 0) and dense row-major memory at @dense. */
static void
host_transfer (CudaObjStridedView *self, guint8 *origin, guint8 *dense, gboolean to_dense)
{
  gint64 index[MAX_DIMS] = { 0 };
  gsize item = self->item_size;
  guint last;

  if (self->n_elements == 0)
    return;
  if (self->n_dims == 0)
    {
      if (to_dense)
        memcpy (dense, origin, item);
      else
        memcpy (origin, dense, item);
      return;
    }
  last = self->n_dims - 1;
  for (;;)
    {
      gint64 position = 0;

      for (guint i = 0; i < last; i++)
        position += index[i] * self->strides[i];
      /* The innermost dimension in one go. */
      for (gint64 j = 0; j < self->shape[last]; j++, dense += item)
        {
          guint8 *element = origin + (position + j * self->strides[last]) * (gint64) item;

          if (to_dense)
            memcpy (dense, element, item);
          else
            memcpy (element, dense, item);
        }
      /* Odometer over the outer dimensions. */
      {
        gint i = (gint) last - 1;

        for (; i >= 0; i--)
          {
            if (++index[i] < self->shape[i])
              break;
            index[i] = 0;
          }
        if (i < 0)
          return;
      }
    }
}

/* A strided layout as rows of contiguous bytes with one pitch, which
 * cuMemcpy2D copies in one call: FALSE unless the view (without its
 * extent-1 dimensions) is one run of elements or a 2-D array of such runs
 * with a positive pitch. */
static gboolean
as_rows (CudaObjStridedView *self, gsize *width, gsize *height, gsize *pitch)
{
  gint64 shape[MAX_DIMS], strides[MAX_DIMS];
  guint n = 0;

  for (guint i = 0; i < self->n_dims; i++)
    if (self->shape[i] != 1)
      {
        /* Merge with the previous dimension when it steps over this one exactly. */
        if (n > 0 && strides[n - 1] == self->strides[i] * self->shape[i])
          {
            shape[n - 1] *= self->shape[i];
            strides[n - 1] = self->strides[i];
            continue;
          }
        shape[n] = self->shape[i];
        strides[n] = self->strides[i];
        n++;
      }
  if (n == 0)
    {
      *width = self->item_size, *height = 1, *pitch = self->item_size;
      return TRUE;
    }
  if (n == 1 && strides[0] == 1)
    {
      *width = (gsize) shape[0] * self->item_size, *height = 1, *pitch = *width;
      return TRUE;
    }
  if (n == 1 && strides[0] > 1)
    {
      /* Every element its own row. */
      *width = self->item_size, *height = (gsize) shape[0], *pitch = (gsize) strides[0] * self->item_size;
      return *pitch <= G_MAXINT32;
    }
  if (n == 2 && strides[1] == 1 && strides[0] >= shape[1])
    {
      *width = (gsize) shape[1] * self->item_size, *height = (gsize) shape[0];
      *pitch = (gsize) strides[0] * self->item_size;
      return *pitch <= G_MAXINT32;
    }
  return FALSE;
}

/* Orders what follows after the work on @stream (NULL: the legacy default
 * stream of the view's device), waiting on the host; for host memory
 * without a device, only a given stream is waited for. */
static gboolean
wait_for_stream (CudaObjStridedView *self, CudaObjStream *stream, GError **error)
{
  if (self->device != NULL)
    return cuda_obj_stream_synchronize_for_device (stream, self->device, error);
  return stream == NULL || cuda_obj_stream_synchronize (stream, error);
}

/* One device copy between the view's memory and dense host memory, through
 * cuMemcpy2DAsync when the layout allows, else through a host copy of the
 * span that holds every element. Returns once the copy is done. */
static gboolean
device_transfer (CudaObjStridedView *self, guint8 *dense, gboolean to_dense, CudaObjStream *stream,
                 GError **error)
{
  const CudaObjDriver *drv;
  CUstream handle;
  gsize width, height, pitch;
  CUdeviceptr first = self->base + self->offset;

  if (!cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error))
    return FALSE;
  drv = cuda_obj_driver_peek ();
  if (as_rows (self, &width, &height, &pitch))
    {
      CUDA_MEMCPY2D copy = { 0 };

      if (to_dense)
        {
          copy.srcMemoryType = CU_MEMORYTYPE_DEVICE, copy.srcDevice = first, copy.srcPitch = pitch;
          copy.dstMemoryType = CU_MEMORYTYPE_HOST, copy.dstHost = dense, copy.dstPitch = width;
        }
      else
        {
          copy.srcMemoryType = CU_MEMORYTYPE_HOST, copy.srcHost = dense, copy.srcPitch = width;
          copy.dstMemoryType = CU_MEMORYTYPE_DEVICE, copy.dstDevice = first, copy.dstPitch = pitch;
        }
      copy.WidthInBytes = width;
      copy.Height = height;
      return cuda_obj_check (drv->cuMemcpy2DAsync (&copy, handle), "cuMemcpy2DAsync", error)
             && cuda_obj_check (drv->cuStreamSynchronize (handle), "cuStreamSynchronize", error);
    }
  {
    /* Staged: the span from the lowest to the highest element. Scattering
     * writes the span back whole, so bytes between the elements are read
     * and rewritten unchanged: other work must not write them meanwhile. */
    /* Unsigned: an imported tensor may span more than 2^63 elements. */
    guint64 elements = (guint64) self->highest - (guint64) self->lowest + 1;
    gsize span = elements <= G_MAXSIZE / self->item_size ? (gsize) elements * self->item_size : G_MAXSIZE;
    CUdeviceptr low = first + self->lowest * (gint64) self->item_size;
    g_autofree guint8 *staging = span < G_MAXSIZE ? g_try_malloc (span) : NULL;

    if (staging == NULL)
      {
        g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED,
                     "cannot allocate %" G_GSIZE_FORMAT " bytes of host memory to stage a strided copy",
                     span);
        return FALSE;
      }
    if (!cuda_obj_check (drv->cuMemcpyDtoHAsync (staging, low, span, handle), "cuMemcpyDtoHAsync", error)
        || !cuda_obj_check (drv->cuStreamSynchronize (handle), "cuStreamSynchronize", error))
      return FALSE;
    host_transfer (self, staging - self->lowest * (gint64) self->item_size, dense, to_dense);
    if (to_dense)
      return TRUE;
    return cuda_obj_check (drv->cuMemcpyHtoDAsync (low, staging, span, handle), "cuMemcpyHtoDAsync", error)
           && cuda_obj_check (drv->cuStreamSynchronize (handle), "cuStreamSynchronize", error);
  }
}

static gboolean
dense_size (CudaObjStridedView *self, gsize *size, GError **error)
{
  if (self->n_elements > G_MAXSIZE / self->item_size)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%" G_GINT64_MODIFIER "u elements do not fit in host memory", self->n_elements);
      return FALSE;
    }
  *size = (gsize) self->n_elements * self->item_size;
  return TRUE;
}

/**
 * cuda_obj_strided_view_copy_to_bytes:
 * @self: a view
 * @stream: (nullable): stream whose work the copy comes after; %NULL for the
 *   legacy default stream of the view's device
 * @error: return location for an error
 *
 * Copies the elements into new [struct@GLib.Bytes] in row-major order
 * (a C-contiguous array of the view's shape), honouring the strides.
 * Device memory is copied with one 2-D copy where the layout allows, else
 * through a host copy of the span that holds the elements; host memory is
 * read directly once @stream's work is done. Returns once the copy is done.
 *
 * Returns: (transfer full): the elements, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_NOT_INITIALIZED, %CUDA_OBJ_ERROR_CLOSED when the
 *   buffer or @stream is closed, or the driver's error
 *
 * Since: 1.0
 */
GBytes *
cuda_obj_strided_view_copy_to_bytes (CudaObjStridedView *self, CudaObjStream *stream, GError **error)
{
  g_autofree guint8 *dense = NULL;
  gsize size;

  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_usable (self, error) || !dense_size (self, &size, error))
    return NULL;
  if (stream != NULL && !CUDA_OBJ_IS_STREAM (stream))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "StridedView.copy_to_bytes: the stream is not a CudaObj.Stream");
      return NULL;
    }
  if (size == 0)
    return g_bytes_new (NULL, 0);
  dense = g_try_malloc (size);
  if (dense == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED,
                   "StridedView.copy_to_bytes: cannot allocate %" G_GSIZE_FORMAT " bytes of host memory",
                   size);
      return NULL;
    }
  if (self->host_accessible)
    {
      if (!wait_for_stream (self, stream, error))
        return NULL;
      host_transfer (self, (guint8 *) (guintptr) (self->base + self->offset), dense, TRUE);
    }
  else if (!device_transfer (self, dense, TRUE, stream, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&dense), size);
}

/**
 * cuda_obj_strided_view_copy_from_bytes:
 * @self: a view
 * @bytes: the elements in row-major order, exactly
 *   [property@CudaObj.StridedView:n-elements] times the item size
 * @stream: (nullable): stream whose work the copy comes after; %NULL for the
 *   legacy default stream of the view's device
 * @error: return location for an error
 *
 * Writes the elements from @bytes (a C-contiguous array of the view's
 * shape), honouring the strides; the reverse of
 * [method@CudaObj.StridedView.copy_to_bytes]. Where device memory cannot
 * be written with one 2-D copy, the span that holds the elements is read,
 * changed on the host and written back whole: other work must not write
 * between the elements meanwhile. Returns once the copy is done. Where
 * strides of 0 make elements share memory, the last write wins.
 *
 * Returns: %TRUE on success; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a read-only view, %NULL @bytes or
 *   @bytes of the wrong size, %CUDA_OBJ_ERROR_NOT_INITIALIZED,
 *   %CUDA_OBJ_ERROR_CLOSED when the buffer or @stream is closed, or the
 *   driver's error
 *
 * Since: 1.0
 */
gboolean
cuda_obj_strided_view_copy_from_bytes (CudaObjStridedView *self, GBytes *bytes, CudaObjStream *stream,
                                       GError **error)
{
  gsize size, given = 0;
  const guint8 *data;

  g_return_val_if_fail (CUDA_OBJ_IS_STRIDED_VIEW (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_usable (self, error) || !dense_size (self, &size, error))
    return FALSE;
  if (self->read_only)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "StridedView.copy_from_bytes: the view is read-only");
      return FALSE;
    }
  if (bytes == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "StridedView.copy_from_bytes: the bytes are NULL");
      return FALSE;
    }
  if (stream != NULL && !CUDA_OBJ_IS_STREAM (stream))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "StridedView.copy_from_bytes: the stream is not a CudaObj.Stream");
      return FALSE;
    }
  data = g_bytes_get_data (bytes, &given);
  if (given != size)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "StridedView.copy_from_bytes: %" G_GSIZE_FORMAT " bytes given for %" G_GINT64_MODIFIER
                   "u elements of %" G_GSIZE_FORMAT " bytes",
                   given, self->n_elements, self->item_size);
      return FALSE;
    }
  if (size == 0)
    return TRUE;
  if (self->host_accessible)
    {
      if (!wait_for_stream (self, stream, error))
        return FALSE;
      host_transfer (self, (guint8 *) (guintptr) (self->base + self->offset), (guint8 *) data, FALSE);
      return TRUE;
    }
  return device_transfer (self, (guint8 *) data, FALSE, stream, error);
}

/* Buffer.view: a factory of views, so it lives here (the factory rule). */

/**
 * cuda_obj_buffer_view:
 * @self: a buffer
 * @data_type: the type of each element
 * @shape: (array length=n_dims) (nullable): the extent of each dimension
 * @n_dims: the rank, at most %CUDA_OBJ_STRIDED_VIEW_MAX_DIMS
 * @strides: (array length=n_strides) (nullable): the step of each dimension
 *   in elements (zero and negative steps allowed), or %NULL for row-major
 *   strides
 * @n_strides: the number of @strides: @n_dims, or 0 with %NULL @strides
 * @offset: the byte offset of the first element (index 0 in every
 *   dimension) in the buffer
 * @error: return location for an error
 *
 * Makes a typed, strided view of the buffer's memory, without a copy: see
 * [class@CudaObj.StridedView]. The same as [ctor@CudaObj.StridedView.new].
 *
 * Returns: (transfer full): the view, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a layout that does not fit in the
 *   buffer, %CUDA_OBJ_ERROR_CLOSED when the buffer is closed
 *
 * Since: 1.0
 */
CudaObjStridedView *
cuda_obj_buffer_view (CudaObjBuffer *self, CudaObjDataType data_type, const gint64 *shape, guint n_dims,
                      const gint64 *strides, guint n_strides, guint64 offset, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return cuda_obj_strided_view_new (self, data_type, shape, n_dims, strides, n_strides, offset, error);
}
