/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: typed, reusable kernel arguments.
 *
 * Each argument has its own storage: scalars in a 16-byte inline cell,
 * larger values (structs by value) on the heap. The params array the driver
 * reads points at those cells and changes only when an argument outgrows
 * its cell, so setting a slot again never touches the others and a launch
 * with prepared arguments allocates nothing. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "cudaobj-kernel-args.h"
#include "cudaobj-kernel-args-private.h"
#include "cudaobj-buffer.h"
#include "cudaobj-kernel.h"
#include "cudaobj-graph-condition.h"
#include "cudaobj-strided-view-private.h"
#include "cudaobj-texture-object.h"
#include "cudaobj-texture-object-private.h"
#include "cudaobj-surface-object.h"
#include "cudaobj-surface-object-private.h"
#include "cudaobj-tensor-map.h"
#include "cudaobj-tensor-map-private.h"

typedef struct
{
  union
  {
    guint64 u64;
    double f64;
    guint8 bytes[16];
  } cell;
  guint8 *heap; /* when the value is larger than cell */
  gsize heap_capacity;
  GObject *keep; /* owned: a view whose memory the argument points into */
} ArgStorage;

struct _CudaObjKernelArgs
{
  GObject parent_instance;

  guint n_args;
  CudaObjKernelArgSlot *slots;
  ArgStorage *storage;
  void **params;
  char *misuse; /* the first misuse of the void setters; fails every launch */
};

/* The most arguments a KernelArgs holds (far more than the driver's 32 KiB
 * of parameters allow). */
#define MAX_ARGS G_MAXUINT16

enum
{
  PROP_0,
  PROP_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * CudaObjKernelArgs:
 *
 * The arguments of a kernel launch, set by position with typed setters:
 * [method@CudaObj.KernelArgs.set_int32], [method@CudaObj.KernelArgs.set_float],
 * [method@CudaObj.KernelArgs.set_buffer] for device memory,
 * [method@CudaObj.KernelArgs.set_bytes] for a struct passed by value, and so on.
 *
 * Arguments are reusable: set one slot again (a new scalar, another buffer)
 * and launch again, without rebuilding the rest. At launch, [func@CudaObj.launch]
 * checks them against the kernel's parameters (their count and each size,
 * which the driver reports) and fails with %CUDA_OBJ_ERROR_INVALID_ARGUMENT
 * instead of handing the kernel garbage.
 *
 * A buffer argument keeps its [class@CudaObj.Buffer] alive; launching with a buffer
 * that was closed since is an error.
 *
 * Not thread-safe: don't change arguments while another thread launches with them.
 *
 * The setters return nothing: a call with an index over 65534 or with
 * empty data is ignored and remembered, and every launch with the
 * arguments then fails with %CUDA_OBJ_ERROR_INVALID_ARGUMENT;
 * [method@CudaObj.KernelArgs.check] reports it at once. A plain
 * constructor makes valid, empty arguments.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjKernelArgs, cuda_obj_kernel_args, G_TYPE_OBJECT)

static void
cuda_obj_kernel_args_finalize (GObject *object)
{
  CudaObjKernelArgs *self = CUDA_OBJ_KERNEL_ARGS (object);

  for (guint i = 0; i < self->n_args; i++)
    {
      g_clear_object (&self->slots[i].buffer);
      g_clear_object (&self->storage[i].keep);
      g_aligned_free (self->storage[i].heap);
    }
  g_free (self->slots);
  g_free (self->storage);
  g_free (self->params);
  g_free (self->misuse);
  G_OBJECT_CLASS (cuda_obj_kernel_args_parent_class)->finalize (object);
}

static void
cuda_obj_kernel_args_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjKernelArgs *self = CUDA_OBJ_KERNEL_ARGS (object);

  switch (prop_id)
    {
    case PROP_COUNT: g_value_set_uint (value, self->n_args); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void grow (CudaObjKernelArgs *self, guint n_args);

static void G_GNUC_PRINTF (2, 3) remember_misuse (CudaObjKernelArgs *self, const char *format, ...)
{
  va_list args;

  if (self->misuse != NULL)
    return;
  va_start (args, format);
  self->misuse = g_strdup_vprintf (format, args);
  va_end (args);
}

/* The setters cannot fail (they return nothing), so a misuse a binding can
 * make is kept and reported by every launch and by
 * cuda_obj_kernel_args_check(). */
static gboolean
check_index (CudaObjKernelArgs *self, guint index, const char *func)
{
  if (G_LIKELY (index < MAX_ARGS))
    return TRUE;
  remember_misuse (self, "%s: argument index %u is over the maximum of %u", func, index, MAX_ARGS - 1);
  return FALSE;
}

static void
cuda_obj_kernel_args_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjKernelArgs *self = CUDA_OBJ_KERNEL_ARGS (object);

  switch (prop_id)
    {
    case PROP_COUNT:
      if (g_value_get_uint (value) > MAX_ARGS)
        remember_misuse (self, "KernelArgs: count %u is over the maximum of %u", g_value_get_uint (value),
                         MAX_ARGS);
      else
        grow (self, g_value_get_uint (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_kernel_args_class_init (CudaObjKernelArgsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cuda_obj_kernel_args_finalize;
  object_class->get_property = cuda_obj_kernel_args_get_property;
  object_class->set_property = cuda_obj_kernel_args_set_property;

  /**
   * CudaObjKernelArgs:count:
   *
   * How many arguments there are. Setting an argument past the end extends
   * the list; the slots in between stay unset until given a value.
   *
   * A count over 65535 leaves the arguments empty and fails every launch
   * with %CUDA_OBJ_ERROR_INVALID_ARGUMENT (see
   * [method@CudaObj.KernelArgs.check]).
   *
   * Read it with [method@CudaObj.KernelArgs.get_count].
   *
   * Since: 1.0
   */
  /* Any guint: a range here would only print a GLib warning. */
  properties[PROP_COUNT]
      = g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_kernel_args_init (CudaObjKernelArgs *self)
{
}

static void
grow (CudaObjKernelArgs *self, guint n_args)
{
  if (n_args <= self->n_args)
    return;
  self->slots = g_renew (CudaObjKernelArgSlot, self->slots, n_args);
  self->storage = g_renew (ArgStorage, self->storage, n_args);
  self->params = g_renew (void *, self->params, n_args);
  memset (self->slots + self->n_args, 0, (n_args - self->n_args) * sizeof *self->slots);
  memset (self->storage + self->n_args, 0, (n_args - self->n_args) * sizeof *self->storage);
  /* storage moved: re-point every param at its cell */
  for (guint i = 0; i < n_args; i++)
    self->params[i] = self->storage[i].heap != NULL ? (void *) self->storage[i].heap
                                                    : (void *) self->storage[i].cell.bytes;
  self->n_args = n_args;
}

/* Stores @size bytes for argument @index; the caller has checked @self. */
static void
store (CudaObjKernelArgs *self, guint index, gconstpointer value, gsize size, guint alignment)
{
  ArgStorage *cell;
  CudaObjKernelArgSlot *slot;

  grow (self, index + 1);
  cell = &self->storage[index];
  slot = &self->slots[index];
  g_clear_object (&slot->buffer);
  g_clear_object (&cell->keep);
  if (size <= sizeof cell->cell)
    {
      g_clear_pointer (&cell->heap, g_aligned_free);
      cell->heap_capacity = 0;
      memcpy (cell->cell.bytes, value, size);
      self->params[index] = cell->cell.bytes;
    }
  else
    {
      if (cell->heap_capacity < size)
        {
          g_aligned_free (cell->heap);
          /* Aligned like the largest by-value type (CUtensorMap: 128 bytes
           * since CUDA 13), which the driver may read with wide loads. */
          cell->heap = g_aligned_alloc (1, size, 128);
          cell->heap_capacity = size;
        }
      memcpy (cell->heap, value, size);
      self->params[index] = cell->heap;
    }
  slot->size = size;
  slot->alignment = alignment;
}

/**
 * cuda_obj_kernel_args_new:
 * @n_args: how many arguments the kernel takes
 *
 * Creates @n_args unset arguments.
 *
 * Returns: (transfer full): a new [class@CudaObj.KernelArgs]
 *
 * Since: 1.0
 */
CudaObjKernelArgs *
cuda_obj_kernel_args_new (guint n_args)
{
  return g_object_new (CUDA_OBJ_TYPE_KERNEL_ARGS, "count", n_args, NULL);
}

/**
 * cuda_obj_kernel_args_new_for_kernel:
 * @kernel: a [class@CudaObj.Kernel]
 *
 * Creates as many unset arguments as @kernel takes.
 *
 * Returns: (transfer full): a new [class@CudaObj.KernelArgs]
 *
 * Since: 1.0
 */
CudaObjKernelArgs *
cuda_obj_kernel_args_new_for_kernel (CudaObjKernel *kernel)
{
  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (kernel), NULL);
  return cuda_obj_kernel_args_new (cuda_obj_kernel_get_argument_count (kernel));
}

/**
 * cuda_obj_kernel_args_get_count:
 * @self: a [class@CudaObj.KernelArgs]
 *
 * Gives the number of arguments, set or not.
 *
 * Returns: the number of arguments, set or not
 *
 * Since: 1.0
 */
guint
cuda_obj_kernel_args_get_count (CudaObjKernelArgs *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL_ARGS (self), 0);
  return self->n_args;
}

/**
 * cuda_obj_kernel_args_get_size:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: an argument's position
 *
 * Gives the size in bytes of the argument's value, or 0 when it is unset.
 *
 * Returns: the size in bytes of the argument's value, or 0 when it is unset
 *
 * Since: 1.0
 */
gsize
cuda_obj_kernel_args_get_size (CudaObjKernelArgs *self, guint index)
{
  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL_ARGS (self), 0);
  return index < self->n_args ? self->slots[index].size : 0;
}

/**
 * cuda_obj_kernel_args_is_set:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: an argument's position
 *
 * Gives whether the argument has a value.
 *
 * Returns: whether the argument has a value
 *
 * Since: 1.0
 */
gboolean
cuda_obj_kernel_args_is_set (CudaObjKernelArgs *self, guint index)
{
  return cuda_obj_kernel_args_get_size (self, index) != 0;
}

#define SCALAR_SETTER(suffix, ctype, doc)                                                    \
  void cuda_obj_kernel_args_set_##suffix (CudaObjKernelArgs *self, guint index, ctype value) \
  {                                                                                          \
    g_return_if_fail (CUDA_OBJ_IS_KERNEL_ARGS (self));                                       \
    if (G_LIKELY (check_index (self, index, G_STRFUNC)))                                     \
      store (self, index, &value, sizeof value, sizeof value);                               \
  }

/**
 * cuda_obj_kernel_args_set_int8:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @value: a `signed char` / `int8_t` argument
 *
 * Sets a 1-byte signed integer argument.
 *
 * Since: 1.0
 */
SCALAR_SETTER (int8, gint8, )
/**
 * cuda_obj_kernel_args_set_uint8:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @value: an `unsigned char` / `uint8_t` argument
 *
 * Sets a 1-byte unsigned integer argument.
 *
 * Since: 1.0
 */
SCALAR_SETTER (uint8, guint8, )
/**
 * cuda_obj_kernel_args_set_int16:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @value: a `short` / `int16_t` argument
 *
 * Sets a 2-byte signed integer argument.
 *
 * Since: 1.0
 */
SCALAR_SETTER (int16, gint16, )
/**
 * cuda_obj_kernel_args_set_uint16:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @value: an `unsigned short` / `uint16_t` argument
 *
 * Sets a 2-byte unsigned integer argument.
 *
 * Since: 1.0
 */
SCALAR_SETTER (uint16, guint16, )
/**
 * cuda_obj_kernel_args_set_int32:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @value: an `int` / `int32_t` argument
 *
 * Sets a 4-byte signed integer argument.
 *
 * Since: 1.0
 */
SCALAR_SETTER (int32, gint32, )
/**
 * cuda_obj_kernel_args_set_uint32:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @value: an `unsigned int` / `uint32_t` argument
 *
 * Sets a 4-byte unsigned integer argument.
 *
 * Since: 1.0
 */
SCALAR_SETTER (uint32, guint32, )
/**
 * cuda_obj_kernel_args_set_int64:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @value: a `long long` / `int64_t` argument
 *
 * Sets an 8-byte signed integer argument.
 *
 * Since: 1.0
 */
SCALAR_SETTER (int64, gint64, )
/**
 * cuda_obj_kernel_args_set_uint64:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @value: an `unsigned long long` / `uint64_t` / `size_t` argument
 *
 * Sets an 8-byte unsigned integer argument.
 *
 * Since: 1.0
 */
SCALAR_SETTER (uint64, guint64, )
/**
 * cuda_obj_kernel_args_set_float:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @value: a `float` argument
 *
 * Sets a 4-byte floating-point argument.
 *
 * Since: 1.0
 */
SCALAR_SETTER (float, float, )
/**
 * cuda_obj_kernel_args_set_double:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @value: a `double` argument
 *
 * Sets an 8-byte floating-point argument.
 *
 * Since: 1.0
 */
SCALAR_SETTER (double, double, )

/**
 * cuda_obj_kernel_args_set_bool:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @value: a `bool` argument
 *
 * Sets a C++ `bool` argument (1 byte).
 *
 * Since: 1.0
 */
void
cuda_obj_kernel_args_set_bool (CudaObjKernelArgs *self, guint index, gboolean value)
{
  guint8 byte = value ? 1 : 0;

  g_return_if_fail (CUDA_OBJ_IS_KERNEL_ARGS (self));
  if (check_index (self, index, G_STRFUNC))
    store (self, index, &byte, 1, 1);
}

/**
 * cuda_obj_kernel_args_set_pointer:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @address: a device address (such as from another library)
 *
 * Sets a pointer argument from a raw device address. Prefer
 * [method@CudaObj.KernelArgs.set_buffer] for libcudaobj's own memory: it keeps
 * the buffer alive and is checked at launch.
 *
 * Since: 1.0
 */
void
cuda_obj_kernel_args_set_pointer (CudaObjKernelArgs *self, guint index, guint64 address)
{
  g_return_if_fail (CUDA_OBJ_IS_KERNEL_ARGS (self));
  if (check_index (self, index, G_STRFUNC))
    store (self, index, &address, sizeof address, sizeof address);
}

/**
 * cuda_obj_kernel_args_set_buffer:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @buffer: the [class@CudaObj.Buffer] whose address the kernel gets
 *
 * Sets a pointer argument to the start of @buffer, which is kept alive as
 * long as it is an argument here.
 *
 * Since: 1.0
 */
void
cuda_obj_kernel_args_set_buffer (CudaObjKernelArgs *self, guint index, CudaObjBuffer *buffer)
{
  guint64 address;

  g_return_if_fail (CUDA_OBJ_IS_KERNEL_ARGS (self));
  g_return_if_fail (CUDA_OBJ_IS_BUFFER (buffer));
  if (!check_index (self, index, G_STRFUNC))
    return;
  address = cuda_obj_buffer_get_handle (buffer);
  store (self, index, &address, sizeof address, sizeof address);
  self->slots[index].buffer = g_object_ref (buffer);
}

/**
 * cuda_obj_kernel_args_set_condition:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @condition: the [class@CudaObj.GraphCondition] the kernel sets
 *
 * Sets a `cudaGraphConditionalHandle` argument (64 bits) to @condition's
 * [property@CudaObj.GraphCondition:handle], for a kernel of the graph that
 * calls `cudaGraphSetConditional()`; the same as
 * [method@CudaObj.KernelArgs.set_uint64] with the handle.
 *
 * Since: 1.0
 */
void
cuda_obj_kernel_args_set_condition (CudaObjKernelArgs *self, guint index, CudaObjGraphCondition *condition)
{
  guint64 handle;

  g_return_if_fail (CUDA_OBJ_IS_KERNEL_ARGS (self));
  if (!check_index (self, index, G_STRFUNC))
    return;
  /* Reported by the launch, as other misuse of the arguments is. */
  if (!CUDA_OBJ_IS_GRAPH_CONDITION (condition))
    {
      remember_misuse (self, "%s: argument %u is not a CudaObjGraphCondition", G_STRFUNC, index);
      return;
    }
  handle = cuda_obj_graph_condition_get_handle (condition);
  if (handle == 0)
    {
      remember_misuse (self,
                       "%s: the condition of argument %u is not initialized: conditions are made by "
                       "cuda_obj_graph_builder_create_condition()",
                       G_STRFUNC, index);
      return;
    }
  store (self, index, &handle, sizeof handle, sizeof handle);
}

/**
 * cuda_obj_kernel_args_set_data:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @data: (array length=size): the argument's bytes, laid out as the kernel's C++ type
 * @size: the number of bytes
 * @alignment: the type's alignment in bytes (1 when unknown): the launch
 *   checks that the kernel's parameter sits at a multiple of it (of 16 for
 *   larger alignments: the driver pads those itself)
 *
 * Sets an argument passed by value from raw bytes: a struct, a vector type,
 * anything not covered by the typed setters. The bytes are copied.
 *
 * Since: 1.0
 */
void
cuda_obj_kernel_args_set_data (CudaObjKernelArgs *self, guint index, const guint8 *data, gsize size,
                               guint alignment)
{
  g_return_if_fail (CUDA_OBJ_IS_KERNEL_ARGS (self));
  if (!check_index (self, index, G_STRFUNC))
    return;
  if (data == NULL || size == 0)
    {
      remember_misuse (self, "cuda_obj_kernel_args_set_data: argument %u: no data (0 bytes)", index);
      return;
    }
  store (self, index, data, size, MAX (alignment, 1));
}

/**
 * cuda_obj_kernel_args_set_bytes:
 * @self: a [class@CudaObj.KernelArgs]
 * @index: the argument's position
 * @bytes: the argument's bytes, laid out as the kernel's C++ type
 * @alignment: the type's alignment in bytes (1 when unknown)
 *
 * Like [method@CudaObj.KernelArgs.set_data], from a [struct@GLib.Bytes].
 *
 * Since: 1.0
 */
void
cuda_obj_kernel_args_set_bytes (CudaObjKernelArgs *self, guint index, GBytes *bytes, guint alignment)
{
  gsize size = 0;
  const guint8 *data;

  g_return_if_fail (bytes != NULL);
  data = g_bytes_get_data (bytes, &size);
  cuda_obj_kernel_args_set_data (self, index, data, size, alignment);
}

void
cuda_obj_kernel_args_peek (CudaObjKernelArgs *self, CudaObjKernelArgsView *view)
{
  view->n_args = self->n_args;
  view->slots = self->slots;
  view->params = self->params;
  view->misuse = self->misuse;
}

/**
 * cuda_obj_kernel_args_new_checked:
 * @n_args: how many arguments the kernel takes, at most 65535
 * @error: return location for an error
 *
 * Like [ctor@CudaObj.KernelArgs.new], but an @n_args over the maximum is
 * an error instead of arguments that fail every launch.
 *
 * Returns: (transfer full): new kernel arguments, or %NULL with @error
 *   set to %CUDA_OBJ_ERROR_INVALID_ARGUMENT
 *
 * Since: 1.0
 */
CudaObjKernelArgs *
cuda_obj_kernel_args_new_checked (guint n_args, GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (n_args > MAX_ARGS)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "cuda_obj_kernel_args_new_checked: count %u is over the maximum of %u", n_args, MAX_ARGS);
      return NULL;
    }
  return cuda_obj_kernel_args_new (n_args);
}

/**
 * cuda_obj_kernel_args_check:
 * @self: kernel arguments
 * @error: return location for an error
 *
 * Tells whether the setters were misused: an argument index over 65534,
 * empty data for [method@CudaObj.KernelArgs.set_data] or
 * [method@CudaObj.KernelArgs.set_bytes], a count over 65535 at
 * construction. The setters cannot report errors themselves; they ignore
 * such a call, and every launch with these arguments fails with the same
 * error until the object is dropped.
 *
 * Returns: %TRUE when every setter call was valid; %FALSE with @error set
 *   to %CUDA_OBJ_ERROR_INVALID_ARGUMENT naming the first misuse
 *
 * Since: 1.0
 */
gboolean
cuda_obj_kernel_args_check (CudaObjKernelArgs *self, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL_ARGS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->misuse == NULL)
    return TRUE;
  g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, self->misuse);
  return FALSE;
}

/**
 * cuda_obj_kernel_args_set_view:
 * @self: a kernel argument list
 * @index: the argument's position
 * @view: the [class@CudaObj.StridedView] whose first element the kernel
 *   gets a pointer to
 * @error: return location for an error
 *
 * Sets a pointer argument to [property@CudaObj.StridedView:data], the
 * address of @view's first element; the view (and so its memory: a buffer,
 * an imported tensor) is kept alive as long as it is an argument here. A
 * view of a buffer that is closed before the launch fails the launch, as
 * [method@CudaObj.KernelArgs.set_buffer] does. The kernel gets only the
 * address: pass the shape and strides as arguments of their own where it
 * needs them.
 *
 * Returns: %TRUE on success; %FALSE with @error set, leaving the argument
 *   as it was: %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a %NULL @view or an
 *   @index over the maximum, %CUDA_OBJ_ERROR_NOT_INITIALIZED for a view never
 *   initialized, %CUDA_OBJ_ERROR_CLOSED for a view of a closed buffer
 *
 * Since: 1.0
 */
gboolean
cuda_obj_kernel_args_set_view (CudaObjKernelArgs *self, guint index, CudaObjStridedView *view, GError **error)
{
  CudaObjBuffer *buffer;
  guint64 address;

  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL_ARGS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!CUDA_OBJ_IS_STRIDED_VIEW (view))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "KernelArgs.set_view: argument %u is NULL or not a CudaObj.StridedView", index);
      return FALSE;
    }
  if (index >= MAX_ARGS)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "KernelArgs.set_view: argument index %u is over the maximum of %u", index, MAX_ARGS - 1);
      return FALSE;
    }
  if (!cuda_obj_strided_view_peek_data (view, &address, error))
    return FALSE;
  store (self, index, &address, sizeof address, sizeof address);
  buffer = cuda_obj_strided_view_peek_buffer (view);
  if (buffer != NULL)
    self->slots[index].buffer = g_object_ref (buffer);
  self->storage[index].keep = g_object_ref (G_OBJECT (view));
  return TRUE;
}

/* What set_texture, set_surface and set_tensor_map check first. */
static gboolean
check_object_argument (CudaObjKernelArgs *self, guint index, gpointer object, GType type, const char *func,
                       GError **error)
{
  if (!G_TYPE_CHECK_INSTANCE_TYPE (object, type))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: argument %u is NULL or not a %s", func, index, g_type_name (type));
      return FALSE;
    }
  if (index >= MAX_ARGS)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: argument index %u is over the maximum of %u", func, index, MAX_ARGS - 1);
      return FALSE;
    }
  return TRUE;
}

/* Stores an object's handle (or bytes) and keeps the object alive. */
static void
store_object (CudaObjKernelArgs *self, guint index, gconstpointer value, gsize size, guint alignment,
              gpointer object, CudaObjBuffer *buffer)
{
  store (self, index, value, size, alignment);
  if (buffer != NULL)
    self->slots[index].buffer = g_object_ref (buffer);
  self->storage[index].keep = g_object_ref (G_OBJECT (object));
}

/**
 * cuda_obj_kernel_args_set_texture:
 * @self: a kernel argument list
 * @index: the argument's position
 * @texture: the [class@CudaObj.TextureObject] the kernel samples
 * @error: return location for an error
 *
 * Sets a `cudaTextureObject_t` argument (8 bytes) to @texture's handle;
 * the texture is kept alive as long as it is an argument here. A texture
 * over a buffer that is closed before the launch fails the launch, as
 * [method@CudaObj.KernelArgs.set_buffer] does. The launch checks that the
 * kernel's parameter has 8 bytes.
 *
 * Returns: %TRUE on success; %FALSE with @error set, leaving the argument
 *   as it was: %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a %NULL @texture or an
 *   @index over the maximum, %CUDA_OBJ_ERROR_NOT_INITIALIZED for a texture
 *   never initialized, %CUDA_OBJ_ERROR_CLOSED for a texture whose device
 *   was reset or whose buffer is closed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_kernel_args_set_texture (CudaObjKernelArgs *self, guint index, CudaObjTextureObject *texture,
                                  GError **error)
{
  guint64 handle;

  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL_ARGS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_object_argument (self, index, texture, CUDA_OBJ_TYPE_TEXTURE_OBJECT, "KernelArgs.set_texture",
                              error))
    return FALSE;
  handle = cuda_obj_texture_object_peek_handle (texture, error);
  if (handle == 0)
    return FALSE;
  store_object (self, index, &handle, sizeof handle, sizeof handle, texture,
                cuda_obj_texture_object_get_buffer (texture));
  return TRUE;
}

/**
 * cuda_obj_kernel_args_set_surface:
 * @self: a kernel argument list
 * @index: the argument's position
 * @surface: the [class@CudaObj.SurfaceObject] the kernel reads and writes
 * @error: return location for an error
 *
 * Sets a `cudaSurfaceObject_t` argument (8 bytes) to @surface's handle;
 * the surface is kept alive as long as it is an argument here. The launch
 * checks that the kernel's parameter has 8 bytes.
 *
 * Returns: %TRUE on success; %FALSE with @error set, leaving the argument
 *   as it was: %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a %NULL @surface or an
 *   @index over the maximum, %CUDA_OBJ_ERROR_NOT_INITIALIZED for a surface
 *   never initialized, %CUDA_OBJ_ERROR_CLOSED for a surface whose device
 *   was reset
 *
 * Since: 1.0
 */
gboolean
cuda_obj_kernel_args_set_surface (CudaObjKernelArgs *self, guint index, CudaObjSurfaceObject *surface,
                                  GError **error)
{
  guint64 handle;

  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL_ARGS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_object_argument (self, index, surface, CUDA_OBJ_TYPE_SURFACE_OBJECT, "KernelArgs.set_surface",
                              error))
    return FALSE;
  handle = cuda_obj_surface_object_peek_handle (surface, error);
  if (handle == 0)
    return FALSE;
  store_object (self, index, &handle, sizeof handle, sizeof handle, surface, NULL);
  return TRUE;
}

/**
 * cuda_obj_kernel_args_set_tensor_map:
 * @self: a kernel argument list
 * @index: the argument's position
 * @map: the [class@CudaObj.TensorMap] the kernel copies tiles with
 * @error: return location for an error
 *
 * Sets a `CUtensorMap` argument passed by value (%CUDA_OBJ_TENSOR_MAP_SIZE
 * bytes, 64-byte aligned): declare it `const __grid_constant__ CUtensorMap`
 * in the kernel. The bytes are copied now: after
 * [method@CudaObj.TensorMap.replace_buffer], set the argument again. The
 * map (and the memory it points into) is kept alive as long as it is an
 * argument here; a map into a buffer that is closed before the launch
 * fails the launch. The launch checks the parameter's size; the driver
 * places it 64-byte aligned.
 *
 * Returns: %TRUE on success; %FALSE with @error set, leaving the argument
 *   as it was: %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a %NULL @map or an
 *   @index over the maximum, %CUDA_OBJ_ERROR_NOT_INITIALIZED for an empty
 *   map
 *
 * Since: 1.0
 */
gboolean
cuda_obj_kernel_args_set_tensor_map (CudaObjKernelArgs *self, guint index, CudaObjTensorMap *map,
                                     GError **error)
{
  const CUtensorMap *value;
  CudaObjBuffer *buffer = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL_ARGS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_object_argument (self, index, map, CUDA_OBJ_TYPE_TENSOR_MAP, "KernelArgs.set_tensor_map", error))
    return FALSE;
  value = cuda_obj_tensor_map_peek (map, &buffer, error);
  if (value == NULL)
    return FALSE;
  store_object (self, index, value, CUDA_OBJ_TENSOR_MAP_SIZE, 64, map, buffer);
  return TRUE;
}
