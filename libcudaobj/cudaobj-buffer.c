/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a span of memory that CUDA devices can use.
 *
 * A buffer is an address, a size and a device. Memory a resource allocated
 * goes back to that resource when the buffer is closed, or finalized while
 * open; wrapped foreign memory is never freed, only its owner released.
 * Every operation checks that the buffer is open and that offsets and sizes
 * fit before it reaches the driver, so a bad argument is a GError and never
 * a stray write. */
#include "config.h"

#include "cudaobj-buffer.h"
#include "cudaobj-buffer-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-stream-private.h"

struct _CudaObjBuffer
{
  GObject parent_instance;

  CudaObjDevice *device;           /* owned */
  CudaObjMemoryResource *resource; /* owned; NULL for wrapped memory */
  GObject *owner;                  /* owned until closed; wrapped memory only */
  guint64 handle;                  /* 0 once closed */
  gsize size;
  gboolean device_accessible;
  gboolean host_accessible;
  gint closed; /* atomic; set until initialized; CLOSED_BY_RESET */
  gboolean initialized;
};

/* A reset of the device invalidated the buffer. */
#define CLOSED_BY_RESET 2

enum
{
  PROP_0,
  PROP_HANDLE,
  PROP_SIZE,
  PROP_DEVICE,
  PROP_MEMORY_RESOURCE,
  PROP_OWNER,
  PROP_IS_DEVICE_ACCESSIBLE,
  PROP_IS_HOST_ACCESSIBLE,
  PROP_CLOSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cuda_obj_buffer_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjBuffer:
 *
 * A span of memory a CUDA device can use: its address
 * ([property@CudaObj.Buffer:handle], a device address as a 64-bit integer), its
 * [property@CudaObj.Buffer:size], its [property@CudaObj.Buffer:device] and where it came from.
 *
 * Buffers come from a [iface@CudaObj.MemoryResource]
 * ([method@CudaObj.Device.allocate] uses the device's default one), or wrap
 * memory that another library owns ([ctor@CudaObj.Buffer.new_from_handle]: CuPy,
 * PyTorch and numba arrays, anything with a device pointer).
 *
 * Copies and fills are ordered on a [class@CudaObj.Stream]; %NULL means the legacy
 * default stream of the buffer's device, which waits for (and is waited on
 * by) every blocking stream of that device. They return once the work is
 * queued, except where noted: [method@CudaObj.Buffer.copy_to_bytes] waits for its
 * copy, and a copy from or to pageable host memory is staged by the driver
 * before the call returns.
 *
 * [method@CudaObj.Buffer.close] gives the memory back in stream order and is the
 * way to free it deterministically; a buffer that is finalized while open
 * frees its memory on the legacy default stream. Using a closed buffer is a
 * %CUDA_OBJ_ERROR_CLOSED error. Offsets and sizes are checked: an operation
 * that would run past the end is a %CUDA_OBJ_ERROR_INVALID_ARGUMENT error
 * and does nothing.
 *
 * A buffer may be used from several threads; closing it while another
 * thread still queues work on it is a race of the caller's making (the
 * buffer is freed once, but the other thread's work may reach freed memory).
 *
 * A buffer made with a plain constructor and never initialized is closed:
 * its operations fail with %CUDA_OBJ_ERROR_NOT_INITIALIZED, closing it does
 * nothing, and its getters give 0 or %NULL.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjBuffer, cuda_obj_buffer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, cuda_obj_buffer_initable_iface_init))

static gboolean
check_open (CudaObjBuffer *self, const char *what, GError **error)
{
  if (G_LIKELY (!g_atomic_int_get (&self->closed)))
    return TRUE;
  if (g_atomic_int_get (&self->closed) == CLOSED_BY_RESET)
    {
      cuda_obj_device_set_reset_error (self->device, what, error);
      return FALSE;
    }
  if (!self->initialized)
    g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
                 "%s is not initialized: it was made with a plain constructor and g_initable_init() "
                 "was not called, or its construction failed",
                 what);
  else
    g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "%s is closed", what);
  return FALSE;
}

/* Overflow-safe: offset + size <= self->size without computing the sum. */
static gboolean
check_range (CudaObjBuffer *self, const char *operation, const char *which, gsize offset, gsize size,
             GError **error)
{
  if (G_LIKELY (offset <= self->size && size <= self->size - offset))
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
               "%s: %" G_GSIZE_FORMAT " bytes at offset %" G_GSIZE_FORMAT " do not fit in the %s"
               " of %" G_GSIZE_FORMAT " bytes",
               operation, size, offset, which, self->size);
  return FALSE;
}

/* What copy_from_host and copy_to_host (@operation) check first: the
 * buffer is open, @size bytes at @offset fit in it, and a copy of anything
 * has a host address. */
static gboolean
check_host_copy (CudaObjBuffer *self, const char *operation, guint64 host_address, gsize offset, gsize size,
                 GError **error)
{
  if (!check_open (self, "Buffer", error) || !check_range (self, operation, "buffer", offset, size, error))
    return FALSE;
  if (size != 0 && host_address == 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: the host address of %" G_GSIZE_FORMAT " bytes is 0", operation, size);
      return FALSE;
    }
  return TRUE;
}

/* Whether the driver knows @data as page-locked, registered or managed
 * memory, from which an asynchronous copy really is asynchronous. */
static gboolean
is_driver_memory (const CudaObjDriver *drv, const void *data)
{
  unsigned int type = 0;

  return drv->cuPointerGetAttribute (&type, CU_POINTER_ATTRIBUTE_MEMORY_TYPE, (CUdeviceptr) (guintptr) data)
         == CUDA_SUCCESS;
}

/* What the driver says about wrapped memory; memory it does not know (not
 * allocated through CUDA) is taken for device memory. */
static gboolean
query_accessibility (CudaObjBuffer *self, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  unsigned int type = 0, managed = 0;

  if (!cuda_obj_device_activate (self->device, error))
    return FALSE;
  self->device_accessible = TRUE;
  self->host_accessible = FALSE;
  if (drv->cuPointerGetAttribute (&type, CU_POINTER_ATTRIBUTE_MEMORY_TYPE, self->handle) != CUDA_SUCCESS)
    return TRUE;
  if (drv->cuPointerGetAttribute (&managed, CU_POINTER_ATTRIBUTE_IS_MANAGED, self->handle) != CUDA_SUCCESS)
    managed = 0;
  self->host_accessible = type == CU_MEMORYTYPE_HOST || type == CU_MEMORYTYPE_UNIFIED || managed != 0;
  return TRUE;
}

/* Releases what the buffer holds; the caller won the race to close it. */
static gboolean
release (CudaObjBuffer *self, CudaObjStream *stream, GError **error)
{
  guint64 handle = self->handle;
  gboolean ok = TRUE;

  self->handle = 0;
  g_clear_object (&self->owner);
  if (self->resource != NULL)
    ok = cuda_obj_memory_resource_deallocate (self->resource, handle, self->size, stream, error);
  return ok;
}

/* GObject. */

/* Device reset: the memory went with the context; never free it. */
static void
invalidate (gpointer object)
{
  CudaObjBuffer *self = object;

  if (g_atomic_int_compare_and_exchange (&self->closed, FALSE, CLOSED_BY_RESET))
    self->handle = 0;
}

static gboolean
cuda_obj_buffer_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjBuffer *self = CUDA_OBJ_BUFFER (initable);

  if (!g_atomic_int_get (&self->closed))
    return TRUE; /* initialized already */

  if (self->handle == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "A Buffer needs a non-zero address");
      return FALSE;
    }
  if (self->size == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "A Buffer needs a size of at least one byte");
      return FALSE;
    }
  if (self->handle > G_MAXUINT64 - self->size)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "A Buffer of %" G_GSIZE_FORMAT " bytes at 0x%" G_GINT64_MODIFIER "x runs past the end"
                   " of the address space",
                   self->size, self->handle);
      return FALSE;
    }

  if (self->resource != NULL)
    {
      CudaObjDevice *device = cuda_obj_memory_resource_get_device (self->resource);

      if (device == NULL)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "The memory resource %s has no device", G_OBJECT_TYPE_NAME (self->resource));
          return FALSE;
        }
      if (self->device != NULL && self->device != device)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "The Buffer's device %u is not its memory resource's device %u",
                       cuda_obj_device_get_ordinal (self->device), cuda_obj_device_get_ordinal (device));
          return FALSE;
        }
      g_set_object (&self->device, device);
      self->device_accessible = cuda_obj_memory_resource_get_is_device_accessible (self->resource);
      self->host_accessible = cuda_obj_memory_resource_get_is_host_accessible (self->resource);
    }
  else
    {
      if (self->device == NULL)
        {
          g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                               "A Buffer needs a device or a memory resource");
          return FALSE;
        }
      if (!query_accessibility (self, error))
        return FALSE;
    }

  self->initialized = TRUE;
  g_atomic_int_set (&self->closed, FALSE);
  cuda_obj_device_register (self->device, self, invalidate);
  return TRUE;
}

static void
cuda_obj_buffer_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_buffer_initable_init;
}

static void
cuda_obj_buffer_dispose (GObject *object)
{
  CudaObjBuffer *self = CUDA_OBJ_BUFFER (object);

  cuda_obj_device_unregister (self->device, self);
  /* Not closed: give the memory back on the legacy default stream. There is
   * no one to report an error to; the driver has reported it already to
   * whatever failed first (a failed free means a broken context). */
  if (g_atomic_int_compare_and_exchange (&self->closed, FALSE, TRUE))
    {
      g_autoptr (GError) error = NULL;

      if (!release (self, NULL, &error))
        g_debug ("Freeing a buffer of %" G_GSIZE_FORMAT " bytes on finalization failed: %s", self->size,
                 error->message);
    }
  g_clear_object (&self->owner);
  g_clear_object (&self->resource);
  g_clear_object (&self->device);
  G_OBJECT_CLASS (cuda_obj_buffer_parent_class)->dispose (object);
}

static void
cuda_obj_buffer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjBuffer *self = CUDA_OBJ_BUFFER (object);

  switch (prop_id)
    {
    case PROP_HANDLE: g_value_set_uint64 (value, self->handle); break;
    case PROP_SIZE: g_value_set_uint64 (value, self->size); break;
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_MEMORY_RESOURCE: g_value_set_object (value, self->resource); break;
    case PROP_OWNER: g_value_set_object (value, self->owner); break;
    case PROP_IS_DEVICE_ACCESSIBLE: g_value_set_boolean (value, self->device_accessible); break;
    case PROP_IS_HOST_ACCESSIBLE: g_value_set_boolean (value, self->host_accessible); break;
    case PROP_CLOSED: g_value_set_boolean (value, g_atomic_int_get (&self->closed)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_buffer_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjBuffer *self = CUDA_OBJ_BUFFER (object);

  switch (prop_id)
    {
    case PROP_HANDLE: self->handle = g_value_get_uint64 (value); break;
    case PROP_SIZE: self->size = (gsize) g_value_get_uint64 (value); break;
    case PROP_DEVICE: self->device = g_value_dup_object (value); break;
    case PROP_MEMORY_RESOURCE: self->resource = g_value_dup_object (value); break;
    case PROP_OWNER: self->owner = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define CONSTRUCT_ONLY (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS)
#define RO (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)

static void
cuda_obj_buffer_class_init (CudaObjBufferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cuda_obj_buffer_dispose;
  object_class->get_property = cuda_obj_buffer_get_property;
  object_class->set_property = cuda_obj_buffer_set_property;

  /**
   * CudaObjBuffer:handle:
   *
   * The buffer's address as a 64-bit integer: a device address (a
   * `CUdeviceptr`), which for page-locked and managed memory is also the
   * host address (CUDA's unified addressing). 0 once the buffer is closed.
   *
   * Read it with [method@CudaObj.Buffer.get_handle].
   *
   * Since: 1.0
   */
  properties[PROP_HANDLE] = g_param_spec_uint64 ("handle", NULL, NULL, 0, G_MAXUINT64, 0, CONSTRUCT_ONLY);
  /**
   * CudaObjBuffer:size:
   *
   * The buffer's size in bytes.
   *
   * Read it with [method@CudaObj.Buffer.get_size].
   *
   * Since: 1.0
   */
  properties[PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXSIZE, 0, CONSTRUCT_ONLY);
  /**
   * CudaObjBuffer:device:
   *
   * The device the memory belongs to (for host memory, the device whose
   * context allocated it). At construction, needed for wrapped memory and
   * taken from [property@CudaObj.Buffer:memory-resource] otherwise.
   *
   * Read it with [method@CudaObj.Buffer.get_device].
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE] = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE, CONSTRUCT_ONLY);
  /**
   * CudaObjBuffer:memory-resource:
   *
   * The resource the memory came from and goes back to on close; %NULL for
   * wrapped foreign memory, which the buffer never frees.
   *
   * Read it with [method@CudaObj.Buffer.get_memory_resource].
   *
   * Since: 1.0
   */
  properties[PROP_MEMORY_RESOURCE]
      = g_param_spec_object ("memory-resource", NULL, NULL, CUDA_OBJ_TYPE_MEMORY_RESOURCE, CONSTRUCT_ONLY);
  /**
   * CudaObjBuffer:owner:
   *
   * An object that keeps wrapped foreign memory alive (a CuPy array, a
   * PyTorch tensor), held until the buffer is closed; %NULL otherwise.
   *
   * Read it with [method@CudaObj.Buffer.get_owner].
   *
   * Since: 1.0
   */
  properties[PROP_OWNER] = g_param_spec_object ("owner", NULL, NULL, G_TYPE_OBJECT, CONSTRUCT_ONLY);
  /**
   * CudaObjBuffer:is-device-accessible:
   *
   * Whether kernels on [property@CudaObj.Buffer:device] can address the memory.
   *
   * Read it with [method@CudaObj.Buffer.get_is_device_accessible].
   *
   * Since: 1.0
   */
  properties[PROP_IS_DEVICE_ACCESSIBLE]
      = g_param_spec_boolean ("is-device-accessible", NULL, NULL, FALSE, RO);
  /**
   * CudaObjBuffer:is-host-accessible:
   *
   * Whether the host can read and write the memory directly at
   * [property@CudaObj.Buffer:handle] (page-locked and managed memory).
   *
   * Read it with [method@CudaObj.Buffer.get_is_host_accessible].
   *
   * Since: 1.0
   */
  properties[PROP_IS_HOST_ACCESSIBLE] = g_param_spec_boolean ("is-host-accessible", NULL, NULL, FALSE, RO);
  /**
   * CudaObjBuffer:closed:
   *
   * Whether the buffer was closed (or never initialized); every operation
   * on a closed buffer fails with %CUDA_OBJ_ERROR_CLOSED.
   *
   * Read it with [method@CudaObj.Buffer.get_closed].
   *
   * Since: 1.0
   */
  properties[PROP_CLOSED] = g_param_spec_boolean ("closed", NULL, NULL, TRUE, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_buffer_init (CudaObjBuffer *self)
{
  self->closed = TRUE; /* until initialized */
}

CudaObjBuffer *
cuda_obj_buffer_new_owned (CudaObjMemoryResource *resource, CudaObjDevice *device, guint64 handle, gsize size,
                           gboolean device_accessible, gboolean host_accessible)
{
  CudaObjBuffer *self = g_object_new (CUDA_OBJ_TYPE_BUFFER, NULL);

  self->resource = g_object_ref (resource);
  self->device = g_object_ref (device);
  self->handle = handle;
  self->size = size;
  self->device_accessible = device_accessible;
  self->host_accessible = host_accessible;
  self->initialized = TRUE;
  self->closed = FALSE;
  cuda_obj_device_register (device, self, invalidate);
  return self;
}

/* Public API. */

/**
 * cuda_obj_buffer_new_from_handle:
 * @device: the device the memory belongs to
 * @address: the memory's device address
 * @size: its size in bytes
 * @owner: (nullable): an object that keeps the memory alive, held until the
 *   buffer is closed
 * @error: return location for a [struct@GLib.Error]
 *
 * Wraps memory that something else allocated (CuPy, PyTorch, numba, another
 * library) without taking it over: the buffer never frees it. Keeping it
 * alive is the job of @owner, which the buffer holds until it is closed or
 * finalized; without an owner, the caller keeps the memory alive for as long
 * as the buffer is used.
 *
 * [property@CudaObj.Buffer:is-host-accessible] is what the driver says of the address
 * (page-locked and managed memory are); an address the driver does not know
 * is taken for device memory.
 *
 * Closing the buffer releases @owner at once: let the work that uses the
 * memory finish first (synchronize its stream) if releasing @owner may free
 * the memory.
 *
 * Returns: (transfer full): the buffer, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a zero @address or @size
 *
 * Since: 1.0
 */
CudaObjBuffer *
cuda_obj_buffer_new_from_handle (CudaObjDevice *device, guint64 address, gsize size, GObject *owner,
                                 GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_DEVICE (device), NULL);
  g_return_val_if_fail (owner == NULL || G_IS_OBJECT (owner), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (CUDA_OBJ_TYPE_BUFFER, NULL, error, "device", device, "handle", address, "size",
                         (guint64) size, "owner", owner, NULL);
}

/**
 * cuda_obj_buffer_new_for_resource:
 * @resource: the [iface@CudaObj.MemoryResource] that allocated the memory
 * @address: the memory's device address
 * @size: its size in bytes
 * @error: return location for a [struct@GLib.Error]
 *
 * Makes the buffer a [iface@CudaObj.MemoryResource] implementation returns from its
 * [vfunc@CudaObj.MemoryResource.allocate]: closing the buffer calls
 * @resource's [vfunc@CudaObj.MemoryResource.deallocate] with @address,
 * @size and the closing stream. The buffer takes its device and
 * accessibility from @resource's properties.
 *
 * Returns: (transfer full): the buffer, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a zero @address or @size, or a
 *   @resource without a device
 *
 * Since: 1.0
 */
CudaObjBuffer *
cuda_obj_buffer_new_for_resource (CudaObjMemoryResource *resource, guint64 address, gsize size,
                                  GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_MEMORY_RESOURCE (resource), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (CUDA_OBJ_TYPE_BUFFER, NULL, error, "memory-resource", resource, "handle", address,
                         "size", (guint64) size, NULL);
}

/**
 * cuda_obj_buffer_get_handle:
 * @self: a [class@CudaObj.Buffer]
 *
 * Gives the value of [property@CudaObj.Buffer:handle]: the device address, 0 once closed.
 *
 * Returns: the value of [property@CudaObj.Buffer:handle]: the device address, 0 once closed
 *
 * Since: 1.0
 */
guint64
cuda_obj_buffer_get_handle (CudaObjBuffer *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), 0);
  return self->handle;
}

/**
 * cuda_obj_buffer_get_size:
 * @self: a [class@CudaObj.Buffer]
 *
 * Gives the buffer's size in bytes, as allocated or wrapped. See
 * [property@CudaObj.Buffer:size].
 *
 * Returns: the size in bytes
 *
 * Since: 1.0
 */
gsize
cuda_obj_buffer_get_size (CudaObjBuffer *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), 0);
  return self->size;
}

/**
 * cuda_obj_buffer_get_device:
 * @self: a [class@CudaObj.Buffer]
 *
 * Gives the device the memory belongs to; for host memory, the device whose
 * context allocated it. See [property@CudaObj.Buffer:device].
 *
 * Returns: (transfer none): the device
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_buffer_get_device (CudaObjBuffer *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), NULL);
  return self->device;
}

/**
 * cuda_obj_buffer_get_memory_resource:
 * @self: a [class@CudaObj.Buffer]
 *
 * Gives the resource the memory came from and goes back to when the buffer
 * is closed. See [property@CudaObj.Buffer:memory-resource].
 *
 * Returns: (transfer none) (nullable): the memory resource; %NULL for wrapped
 *   foreign memory, which the buffer never frees
 *
 * Since: 1.0
 */
CudaObjMemoryResource *
cuda_obj_buffer_get_memory_resource (CudaObjBuffer *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), NULL);
  return self->resource;
}

/**
 * cuda_obj_buffer_get_owner:
 * @self: a [class@CudaObj.Buffer]
 *
 * Gives the object that keeps wrapped foreign memory alive (a CuPy array, a
 * PyTorch tensor), as given to [ctor@CudaObj.Buffer.new_from_handle]; the
 * buffer holds it until it is closed. See [property@CudaObj.Buffer:owner].
 *
 * Returns: (transfer none) (nullable): the owner, or %NULL
 *
 * Since: 1.0
 */
GObject *
cuda_obj_buffer_get_owner (CudaObjBuffer *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), NULL);
  return self->owner;
}

/**
 * cuda_obj_buffer_get_is_device_accessible:
 * @self: a [class@CudaObj.Buffer]
 *
 * Tells whether kernels on the buffer's device can address the memory: the
 * memory resource says, or for wrapped memory the driver's pointer
 * attributes. See [property@CudaObj.Buffer:is-device-accessible].
 *
 * Returns: %TRUE if kernels can read and write the memory
 *
 * Since: 1.0
 */
gboolean
cuda_obj_buffer_get_is_device_accessible (CudaObjBuffer *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), FALSE);
  return self->device_accessible;
}

/**
 * cuda_obj_buffer_get_is_host_accessible:
 * @self: a [class@CudaObj.Buffer]
 *
 * Tells whether the host may read and write the buffer directly at
 * [property@CudaObj.Buffer:handle], as with page-locked and managed memory: wait for
 * the device's work on it first (synchronize the stream).
 *
 * Returns: the value of [property@CudaObj.Buffer:is-host-accessible]
 *
 * Since: 1.0
 */
gboolean
cuda_obj_buffer_get_is_host_accessible (CudaObjBuffer *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), FALSE);
  return self->host_accessible;
}

/**
 * cuda_obj_buffer_get_closed:
 * @self: a [class@CudaObj.Buffer]
 *
 * Tells whether the buffer was closed ([method@CudaObj.Buffer.close]) or
 * never initialized; every operation on such a buffer fails with
 * %CUDA_OBJ_ERROR_CLOSED. See [property@CudaObj.Buffer:closed].
 *
 * Returns: %TRUE once the buffer is closed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_buffer_get_closed (CudaObjBuffer *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), TRUE);
  return g_atomic_int_get (&self->closed);
}

/* Host memory into the buffer at @offset, on @stream. The memory of a host
 * pool (PinnedMemoryResource) is host memory to the driver, which
 * cuMemcpyHtoDAsync refuses as a destination: copies that touch a
 * host-accessible buffer let the driver infer the direction from the
 * addresses (unified addressing) instead. */
static gboolean
copy_in (CudaObjBuffer *self, gsize offset, const void *data, gsize size, CUstream stream, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();

  if (self->host_accessible)
    return cuda_obj_check (
        drv->cuMemcpyAsync (self->handle + offset, (CUdeviceptr) (guintptr) data, size, stream),
        "cuMemcpyAsync", error);
  return cuda_obj_check (drv->cuMemcpyHtoDAsync (self->handle + offset, data, size, stream),
                         "cuMemcpyHtoDAsync", error);
}

/* The buffer at @offset into host memory, on @stream; see copy_in(). */
static gboolean
copy_out (CudaObjBuffer *self, gsize offset, void *data, gsize size, CUstream stream, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();

  if (self->host_accessible)
    return cuda_obj_check (
        drv->cuMemcpyAsync ((CUdeviceptr) (guintptr) data, self->handle + offset, size, stream),
        "cuMemcpyAsync", error);
  return cuda_obj_check (drv->cuMemcpyDtoHAsync (data, self->handle + offset, size, stream),
                         "cuMemcpyDtoHAsync", error);
}

/**
 * cuda_obj_buffer_copy_from_bytes:
 * @self: a [class@CudaObj.Buffer]
 * @bytes: the data to copy in
 * @offset: where in the buffer the data goes, in bytes
 * @stream: (nullable): stream to order the copy on; %NULL for the legacy
 *   default stream of the buffer's device
 * @error: return location for a [struct@GLib.Error]
 *
 * Copies @bytes into the buffer at @offset, ordered on @stream. @bytes may
 * be released when the call returns: ordinary (pageable) memory is staged
 * by the driver before it returns, and when @bytes wraps page-locked or
 * managed memory the call waits for the copy.
 *
 * Returns: %TRUE on success; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when the data does not fit at @offset,
 *   %CUDA_OBJ_ERROR_CLOSED when the buffer or @stream is closed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_buffer_copy_from_bytes (CudaObjBuffer *self, GBytes *bytes, gsize offset, CudaObjStream *stream,
                                 GError **error)
{
  const CudaObjDriver *drv;
  const void *data;
  gsize size = 0;
  CUstream handle;

  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (bytes, &size);
  if (!check_open (self, "Buffer", error)
      || !check_range (self, "copy_from_bytes", "buffer", offset, size, error))
    return FALSE;
  if (size == 0)
    return TRUE;
  if (!cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error))
    return FALSE;
  drv = cuda_obj_driver_peek ();
  if (!copy_in (self, offset, data, size, handle, error))
    return FALSE;
  /* From page-locked or managed memory the copy runs later, but @bytes may
   * go as soon as we return. */
  if (is_driver_memory (drv, data))
    return cuda_obj_check (drv->cuStreamSynchronize (handle), "cuStreamSynchronize", error);
  return TRUE;
}

/**
 * cuda_obj_buffer_copy_to_bytes:
 * @self: a [class@CudaObj.Buffer]
 * @offset: first byte to copy
 * @size: number of bytes, or -1 for the rest of the buffer
 * @stream: (nullable): stream to order the copy on; %NULL for the legacy
 *   default stream of the buffer's device
 * @error: return location for a [struct@GLib.Error]
 *
 * Copies device memory into a new [struct@GLib.Bytes], ordered on @stream, and waits
 * for @stream (so for the copy and all work queued on @stream before it).
 *
 * Returns: (transfer full): the bytes, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when the range does not fit in the
 *   buffer, %CUDA_OBJ_ERROR_CLOSED when the buffer or @stream is closed, a
 *   %CUDA_OBJ_DRIVER_ERROR from the copy or from earlier work on @stream
 *
 * Since: 1.0
 */
GBytes *
cuda_obj_buffer_copy_to_bytes (CudaObjBuffer *self, gsize offset, gssize size, CudaObjStream *stream,
                               GError **error)
{
  const CudaObjDriver *drv;
  g_autofree guint8 *data = NULL;
  CUstream handle;
  gsize count;

  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), NULL);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_open (self, "Buffer", error))
    return NULL;
  if (size < -1)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "copy_to_bytes: size %" G_GSSIZE_FORMAT " is negative (-1 means the rest of the buffer)",
                   size);
      return NULL;
    }
  count = size == -1 ? (offset <= self->size ? self->size - offset : 0) : (gsize) size;
  if (!check_range (self, "copy_to_bytes", "buffer", offset, count, error))
    return NULL;
  if (count == 0)
    return g_bytes_new (NULL, 0);
  data = g_try_malloc (count);
  if (data == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED,
                   "copy_to_bytes: cannot allocate %" G_GSIZE_FORMAT " bytes of host memory", count);
      return NULL;
    }
  if (!cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error))
    return NULL;
  drv = cuda_obj_driver_peek ();
  if (!copy_out (self, offset, data, count, handle, error)
      || !cuda_obj_check (drv->cuStreamSynchronize (handle), "cuStreamSynchronize", error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&data), count);
}

/**
 * cuda_obj_buffer_copy_from_host:
 * @self: a [class@CudaObj.Buffer]
 * @host_address: address of the host memory to copy from (a numpy array's
 *   data pointer, for instance)
 * @size: number of bytes to copy
 * @offset: where in the buffer the data goes, in bytes
 * @stream: (nullable): stream to order the copy on; %NULL for the legacy
 *   default stream of the buffer's device
 * @error: return location for a [struct@GLib.Error]
 *
 * Copies @size bytes from host memory at @host_address into the buffer,
 * without an intermediate copy: the way to move a numpy array in.
 *
 * The copy is asynchronous on @stream: the host memory must stay valid and
 * unchanged until @stream reaches the copy. From ordinary (pageable) host
 * memory the driver stages the data before the call returns, which makes it
 * effectively synchronous; from page-locked memory (a
 * [class@CudaObj.LegacyPinnedMemoryResource] buffer) it runs truly asynchronously.
 *
 * Returns: %TRUE once the copy is queued; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a zero @host_address or a range
 *   that does not fit, %CUDA_OBJ_ERROR_CLOSED when the buffer or @stream is
 *   closed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_buffer_copy_from_host (CudaObjBuffer *self, guint64 host_address, gsize size, gsize offset,
                                CudaObjStream *stream, GError **error)
{
  CUstream handle;

  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), FALSE);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_host_copy (self, "copy_from_host", host_address, offset, size, error))
    return FALSE;
  if (size == 0)
    return TRUE;
  return cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error)
         && copy_in (self, offset, (const void *) (guintptr) host_address, size, handle, error);
}

/**
 * cuda_obj_buffer_copy_to_host:
 * @self: a [class@CudaObj.Buffer]
 * @host_address: address of the host memory to copy into (a numpy array's
 *   data pointer, for instance)
 * @size: number of bytes to copy
 * @offset: first byte of the buffer to copy
 * @stream: (nullable): stream to order the copy on; %NULL for the legacy
 *   default stream of the buffer's device
 * @error: return location for a [struct@GLib.Error]
 *
 * Copies @size bytes of the buffer, from @offset, into host memory at
 * @host_address, without an intermediate copy: the way to fill a numpy array.
 *
 * The copy is asynchronous on @stream: the host memory must stay valid until
 * @stream reaches the copy, and holds the data once @stream has been
 * synchronized. Into ordinary (pageable) host memory the call returns only
 * once the copy is done, which makes it effectively synchronous; into
 * page-locked memory it runs truly asynchronously.
 *
 * Returns: %TRUE once the copy is queued; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a zero @host_address or a range
 *   that does not fit, %CUDA_OBJ_ERROR_CLOSED when the buffer or @stream is
 *   closed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_buffer_copy_to_host (CudaObjBuffer *self, guint64 host_address, gsize size, gsize offset,
                              CudaObjStream *stream, GError **error)
{
  CUstream handle;

  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), FALSE);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_host_copy (self, "copy_to_host", host_address, offset, size, error))
    return FALSE;
  if (size == 0)
    return TRUE;
  return cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error)
         && copy_out (self, offset, (void *) (guintptr) host_address, size, handle, error);
}

/**
 * cuda_obj_buffer_copy_to:
 * @self: the source [class@CudaObj.Buffer]
 * @dst: the destination [class@CudaObj.Buffer], on the same device or another one
 * @src_offset: first byte of @self to copy
 * @dst_offset: where in @dst the data goes
 * @size: number of bytes to copy
 * @stream: (nullable): stream to order the copy on; %NULL for the legacy
 *   default stream of @self's device
 * @error: return location for a [struct@GLib.Error]
 *
 * Copies @size bytes from @self to @dst, ordered on @stream. Between the
 * memories of two devices the copy is a peer copy, which works whether or
 * not peer access was enabled (without it the driver stages it through the
 * host). @self and @dst may be the same buffer if the ranges do not overlap.
 *
 * Returns: %TRUE once the copy is queued; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when a range does not fit,
 *   %CUDA_OBJ_ERROR_CLOSED when a buffer or @stream is closed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_buffer_copy_to (CudaObjBuffer *self, CudaObjBuffer *dst, gsize src_offset, gsize dst_offset,
                         gsize size, CudaObjStream *stream, GError **error)
{
  const CudaObjDriver *drv;
  CUstream handle;
  CUcontext src_context, dst_context;

  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), FALSE);
  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (dst), FALSE);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_open (self, "Buffer", error) || !check_open (dst, "Destination buffer", error)
      || !check_range (self, "copy_to", "source buffer", src_offset, size, error)
      || !check_range (dst, "copy_to", "destination buffer", dst_offset, size, error))
    return FALSE;
  if (size == 0)
    return TRUE;
  if (!cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error))
    return FALSE;
  drv = cuda_obj_driver_peek ();

  /* Unified addressing lets the driver tell what each address is; only
   * device memory on two different devices needs both contexts named. */
  if (self->device == dst->device || self->host_accessible || dst->host_accessible)
    return cuda_obj_check (
        drv->cuMemcpyAsync (dst->handle + dst_offset, self->handle + src_offset, size, handle),
        "cuMemcpyAsync", error);
  src_context = cuda_obj_device_get_context (self->device, error);
  if (src_context == NULL)
    return FALSE;
  dst_context = cuda_obj_device_get_context (dst->device, error);
  if (dst_context == NULL)
    return FALSE;
  return cuda_obj_check (drv->cuMemcpyPeerAsync (dst->handle + dst_offset, dst_context,
                                                 self->handle + src_offset, src_context, size, handle),
                         "cuMemcpyPeerAsync", error);
}

/**
 * cuda_obj_buffer_fill:
 * @self: a [class@CudaObj.Buffer]
 * @pattern: the value to repeat; it must fit in @width bytes
 * @width: the size of one element in bytes: 1, 2 or 4
 * @offset: first byte to fill; a multiple of @width
 * @count: number of elements (not bytes) to fill
 * @stream: (nullable): stream to order the fill on; %NULL for the legacy
 *   default stream of the buffer's device
 * @error: return location for a [struct@GLib.Error]
 *
 * Sets @count elements of @width bytes each, from byte @offset, to
 * @pattern, ordered on @stream: fill (buf, 0, 1, 0, size) zeroes a buffer,
 * fill (buf, 0x3f800000, 4, 0, n) sets n floats to 1.0.
 *
 * Returns: %TRUE once the fill is queued; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a @width other than 1, 2 or 4, a
 *   @pattern wider than @width, a misaligned @offset or a range that does
 *   not fit, %CUDA_OBJ_ERROR_CLOSED when the buffer or @stream is closed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_buffer_fill (CudaObjBuffer *self, guint32 pattern, guint width, gsize offset, gsize count,
                      CudaObjStream *stream, GError **error)
{
  const CudaObjDriver *drv;
  CUdeviceptr start;
  CUstream handle;

  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), FALSE);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_open (self, "Buffer", error))
    return FALSE;
  if (width != 1 && width != 2 && width != 4)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "fill: the element width must be 1, 2 or 4 bytes, not %u", width);
      return FALSE;
    }
  if (width < 4 && (pattern >> (8 * width)) != 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "fill: the pattern 0x%x does not fit in %u byte%s", pattern, width, width == 1 ? "" : "s");
      return FALSE;
    }
  if (count > G_MAXSIZE / width)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "fill: %" G_GSIZE_FORMAT " elements of %u bytes at offset %" G_GSIZE_FORMAT
                   " do not fit in the buffer of %" G_GSIZE_FORMAT " bytes",
                   count, width, offset, self->size);
      return FALSE;
    }
  if (!check_range (self, "fill", "buffer", offset, count * width, error))
    return FALSE;
  start = self->handle + offset;
  if (start % width != 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "fill: offset %" G_GSIZE_FORMAT " (address 0x%" G_GINT64_MODIFIER "x) is not aligned"
                   " to the %u-byte element width",
                   offset, (guint64) start, width);
      return FALSE;
    }
  if (count == 0)
    return TRUE;
  if (!cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error))
    return FALSE;
  drv = cuda_obj_driver_peek ();
  switch (width)
    {
    case 1:
      return cuda_obj_check (drv->cuMemsetD8Async (start, (unsigned char) pattern, count, handle),
                             "cuMemsetD8Async", error);
    case 2:
      return cuda_obj_check (drv->cuMemsetD16Async (start, (unsigned short) pattern, count, handle),
                             "cuMemsetD16Async", error);
    default:
      return cuda_obj_check (drv->cuMemsetD32Async (start, pattern, count, handle), "cuMemsetD32Async",
                             error);
    }
}

/**
 * cuda_obj_buffer_close:
 * @self: a [class@CudaObj.Buffer]
 * @stream: (nullable): stream to order the free on; %NULL for the legacy
 *   default stream of the buffer's device
 * @error: return location for a [struct@GLib.Error]
 *
 * Gives the memory back to its [property@CudaObj.Buffer:memory-resource] once the
 * work queued on @stream so far has finished (how is up to the resource:
 * stream-ordered pools free in stream order, synchronous resources wait for
 * @stream first). Work queued later, on any stream, must not use the buffer.
 * For wrapped memory, releases [property@CudaObj.Buffer:owner] at once.
 *
 * Closing a closed buffer does nothing and succeeds. After a close, even one
 * that reports a driver error, the buffer is closed.
 *
 * Returns: %TRUE on success; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_CLOSED when @stream is closed (the buffer then stays
 *   open), or the resource's error
 *
 * Since: 1.0
 */
gboolean
cuda_obj_buffer_close (CudaObjBuffer *self, CudaObjStream *stream, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), FALSE);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_atomic_int_get (&self->closed))
    return TRUE;
  /* A closed stream cannot take the free: keep the memory. */
  if (stream != NULL && self->resource != NULL && !cuda_obj_stream_check_open (stream, error))
    return FALSE;
  if (!g_atomic_int_compare_and_exchange (&self->closed, FALSE, TRUE))
    return TRUE;
  ok = release (self, stream, error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HANDLE]);
  return ok;
}

/* Private API for resources that move or grow a buffer's memory. */

void
cuda_obj_buffer_set_span (CudaObjBuffer *self, guint64 handle, gsize size)
{
  gboolean moved = self->handle != handle, resized = self->size != size;

  self->handle = handle;
  self->size = size;
  if (moved)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HANDLE]);
  if (resized)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}

/* ------------------------------------------------------------------------
 * Managed memory: advice, prefetch and discard.
 * ------------------------------------------------------------------------ */

/* TRUE when @self is open managed memory (cuMemAllocManaged or a managed
 * pool); else FALSE with CUDA_OBJ_ERROR_INVALID_ARGUMENT naming @operation. */
static gboolean
require_managed (CudaObjBuffer *self, const char *operation, GError **error)
{
  unsigned int managed = 0;

  if (!check_open (self, "Buffer", error) || !cuda_obj_device_activate (self->device, error))
    return FALSE;
  if (cuda_obj_driver_peek ()->cuPointerGetAttribute (&managed, CU_POINTER_ATTRIBUTE_IS_MANAGED, self->handle)
          != CUDA_SUCCESS
      || !managed)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: the buffer is not managed memory; it applies only to buffers of a "
                   "ManagedMemoryResource or other memory from cuMemAllocManaged",
                   operation);
      return FALSE;
    }
  return TRUE;
}

/* NOT_SUPPORTED naming @call when the driver table lacks it. */
static gboolean
require_entry_point (gconstpointer entry_point, const char *call, const char *requirement, GError **error)
{
  if (G_LIKELY (entry_point != NULL))
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
               "%s is not available: it needs libcudaobj built with CUDA %s or newer headers and a "
               "driver that has it",
               call, requirement);
  return FALSE;
}

/**
 * cuda_obj_buffer_advise:
 * @self: a [class@CudaObj.Buffer] of managed memory
 * @advice: what to tell the driver
 * @location: (nullable): the device the advice is about; %NULL for the host.
 *   Ignored by the read-mostly advice and by
 *   %CUDA_OBJ_MEMORY_ADVICE_UNSET_PREFERRED_LOCATION
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells the driver how the buffer's managed memory will be used
 * (`cuMemAdvise` over the whole buffer), so that it migrates pages less:
 * data mostly read, where it should live, or which device will access it
 * (that device then gets a mapping and does not fault). Advice is a hint;
 * it changes performance, never results. It takes effect at once, not in
 * stream order.
 *
 * Returns: %TRUE on success; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when the buffer is not managed memory
 *   or @advice is unknown, %CUDA_OBJ_ERROR_CLOSED when it is closed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_buffer_advise (CudaObjBuffer *self, CudaObjMemoryAdvice advice, CudaObjDevice *location,
                        GError **error)
{
  const CudaObjDriver *drv;

  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), FALSE);
  g_return_val_if_fail (location == NULL || CUDA_OBJ_IS_DEVICE (location), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (advice < CUDA_OBJ_MEMORY_ADVICE_SET_READ_MOSTLY || advice > CUDA_OBJ_MEMORY_ADVICE_UNSET_ACCESSED_BY)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "advise: %d is not a CudaObjMemoryAdvice value", (int) advice);
      return FALSE;
    }
  if (location != NULL && !cuda_obj_device_require (location, G_STRFUNC, "location", error))
    return FALSE;
  if (!require_managed (self, "advise", error))
    return FALSE;
  drv = cuda_obj_driver_peek ();
#if CUDA_VERSION >= 12020
  if (!require_entry_point (drv->cuMemAdvise, "cuMemAdvise", "12.2", error))
    return FALSE;
  return cuda_obj_check (drv->cuMemAdvise (self->handle, self->size, (CUmem_advise) advice,
                                           cuda_obj_device_memory_location (location)),
                         "cuMemAdvise", error);
#else
  return require_entry_point (NULL, "cuMemAdvise", "12.2", error);
#endif
}

/**
 * cuda_obj_buffer_prefetch:
 * @self: a [class@CudaObj.Buffer] of managed memory
 * @location: (nullable): the device to move the memory to; %NULL for the host
 * @stream: (nullable): stream to order the prefetch on; %NULL for the legacy
 *   default stream of the buffer's device
 * @error: return location for a [struct@GLib.Error]
 *
 * Migrates the buffer's managed memory to @location ahead of its use there
 * (`cuMemPrefetchAsync`), ordered on @stream, so that kernels or the host
 * do not fault on first touch. Prefetching to a device needs
 * [property@CudaObj.Device:concurrent-managed-access] on that device and
 * on the stream's.
 *
 * Returns: %TRUE once the prefetch is queued; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when the buffer is not managed memory,
 *   %CUDA_OBJ_ERROR_CLOSED when it or @stream is closed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_buffer_prefetch (CudaObjBuffer *self, CudaObjDevice *location, CudaObjStream *stream, GError **error)
{
  const CudaObjDriver *drv;
  CUstream handle;

  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), FALSE);
  g_return_val_if_fail (location == NULL || CUDA_OBJ_IS_DEVICE (location), FALSE);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (location != NULL && !cuda_obj_device_require (location, G_STRFUNC, "location", error))
    return FALSE;
  if (!require_managed (self, "prefetch", error)
      || !cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error))
    return FALSE;
  drv = cuda_obj_driver_peek ();
#if CUDA_VERSION >= 12020
  if (!require_entry_point (drv->cuMemPrefetchAsync, "cuMemPrefetchAsync", "12.2", error))
    return FALSE;
  return cuda_obj_check (drv->cuMemPrefetchAsync (self->handle, self->size,
                                                  cuda_obj_device_memory_location (location), 0, handle),
                         "cuMemPrefetchAsync", error);
#else
  return require_entry_point (NULL, "cuMemPrefetchAsync", "12.2", error);
#endif
}

/**
 * cuda_obj_buffer_discard:
 * @self: a [class@CudaObj.Buffer] of managed memory
 * @stream: (nullable): stream to order the discard on; the driver does not
 *   take the legacy default stream, so %NULL is an error
 * @error: return location for a [struct@GLib.Error]
 *
 * Tells the driver that the buffer's contents are no longer needed
 * (`cuMemDiscardBatchAsync`), ordered on @stream: it may then drop the
 * pages instead of migrating them, which saves bandwidth and memory.
 * Reading the buffer afterwards gives undefined values until it is written
 * or prefetched again. Every device of the system needs
 * [property@CudaObj.Device:concurrent-managed-access].
 *
 * Returns: %TRUE once the discard is queued; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when the buffer is not managed memory
 *   or @stream is %NULL, %CUDA_OBJ_ERROR_NOT_SUPPORTED when the driver
 *   cannot discard (CUDA 13.0 is needed), %CUDA_OBJ_ERROR_CLOSED when the
 *   buffer or @stream is closed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_buffer_discard (CudaObjBuffer *self, CudaObjStream *stream, GError **error)
{
  const CudaObjDriver *drv;
  CUstream handle;

  g_return_val_if_fail (CUDA_OBJ_IS_BUFFER (self), FALSE);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stream == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "discard: a Stream is needed; the driver does not order discards on the legacy "
                   "default stream");
      return FALSE;
    }
  if (!require_managed (self, "discard", error)
      || !cuda_obj_stream_prepare_for_device (stream, self->device, &handle, error))
    return FALSE;
  drv = cuda_obj_driver_peek ();
#if CUDA_VERSION >= 13000
  if (!require_entry_point (drv->cuMemDiscardBatchAsync, "cuMemDiscardBatchAsync", "13.0", error))
    return FALSE;
  {
    CUdeviceptr address = self->handle;
    size_t size = self->size;

    return cuda_obj_check (drv->cuMemDiscardBatchAsync (&address, &size, 1, 0, handle),
                           "cuMemDiscardBatchAsync", error);
  }
#else
  return require_entry_point (NULL, "cuMemDiscardBatchAsync", "13.0", error);
#endif
}
