/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: CUDA arrays.
 *
 * Every copy, whatever the rank, goes through one cuMemcpy3DAsync: a 1D
 * array is a box of height and depth 1, a 2D one of depth 1, and a layered
 * array keeps its layers where a 3D array keeps its depth. */
#include "config.h"

#include "cudaobj-array.h"
#include "cudaobj-array-private.h"
#include "cudaobj-enum-types.h"
#include "cudaobj-error-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-stream-private.h"

struct _CudaObjArray
{
  GObject parent_instance;

  CudaObjDevice *device; /* owned */
  CUarray handle;        /* NULL until initialized, after a reset or forget */
  CudaObjArrayFormat format;
  guint channels;
  gsize width, height, depth, layers;
  CudaObjArrayFlags flags;
  gboolean owns_handle;
  gboolean initialized;
  gboolean closed; /* a reset of the device or cuda_obj_array_forget() took the handle */
  GObject *owner;  /* owned, nullable: what keeps a foreign handle valid */
};

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_FORMAT,
  PROP_CHANNELS,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_DEPTH,
  PROP_LAYERS,
  PROP_FLAGS,
  PROP_HANDLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cuda_obj_array_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjArray:
 *
 * A CUDA array: device memory in an opaque layout that texture units read
 * fast in 1D, 2D and 3D neighbourhoods, and that kernels read and write
 * through a [class@CudaObj.SurfaceObject].
 *
 * An array has a shape ([property@CudaObj.Array:width],
 * [property@CudaObj.Array:height], 0 for a 1D array,
 * [property@CudaObj.Array:depth], 0 for a 2D array, and
 * [property@CudaObj.Array:layers] for a layered 1D or 2D array) and an
 * element of 1, 2 or 4 channels of one [enum@CudaObj.ArrayFormat]. Kernels
 * never address it: they sample it with a [class@CudaObj.TextureObject] or
 * load and store with a [class@CudaObj.SurfaceObject].
 *
 * Data moves in and out with copies ordered on a [class@CudaObj.Stream]:
 * from and to [struct@GLib.Bytes] (the whole array or a box of it, rows
 * packed without padding), from and to a [class@CudaObj.Buffer] with a row
 * pitch, and from one array to another of the same shape and format.
 *
 * ```c
 * g_autoptr (CudaObjArray) image = cuda_obj_array_new (device, CUDA_OBJ_ARRAY_FORMAT_FLOAT, 4,
 *                                                      640, 480, 0, &error);
 * if (image == NULL || !cuda_obj_array_copy_from_bytes (image, pixels, stream, &error))
 *   return FALSE;
 * ```
 *
 * Construction is fallible ([iface@Gio.Initable]): `CudaObj.Array(device=dev,
 * format=CudaObj.ArrayFormat.FLOAT, channels=4, width=640, height=480)` raises
 * for a shape or format the device cannot have. An array made with a plain
 * constructor and never initialized has no memory: its copies fail with
 * %CUDA_OBJ_ERROR_NOT_INITIALIZED. A reset of the device
 * ([method@CudaObj.Device.reset]) frees the array's memory: its copies then
 * fail with %CUDA_OBJ_ERROR_CLOSED.
 *
 * Graphics interop maps textures of other APIs as arrays that libcudaobj
 * does not own: they behave like any other array until they are unmapped.
 *
 * An array may be used from several threads; copies into one array that
 * overlap in time are ordered only by their streams.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjArray, cuda_obj_array, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, cuda_obj_array_initable_iface_init))

/**
 * cuda_obj_array_format_get_size:
 * @format: a channel format
 *
 * Gives the size of one channel of @format in bytes.
 *
 * Returns: the size in bytes (1, 2 or 4), or 0 for a value that is no
 *   [enum@CudaObj.ArrayFormat]
 *
 * Since: 1.0
 */
gsize
cuda_obj_array_format_get_size (CudaObjArrayFormat format)
{
  switch (format)
    {
    case CUDA_OBJ_ARRAY_FORMAT_UINT8:
    case CUDA_OBJ_ARRAY_FORMAT_INT8: return 1;
    case CUDA_OBJ_ARRAY_FORMAT_UINT16:
    case CUDA_OBJ_ARRAY_FORMAT_INT16:
    case CUDA_OBJ_ARRAY_FORMAT_HALF: return 2;
    case CUDA_OBJ_ARRAY_FORMAT_UINT32:
    case CUDA_OBJ_ARRAY_FORMAT_INT32:
    case CUDA_OBJ_ARRAY_FORMAT_FLOAT: return 4;
    default: return 0;
    }
}

/* The box every copy of the whole array covers. */
static void
get_extent (CudaObjArray *self, gsize extent[3])
{
  extent[0] = self->width;
  extent[1] = MAX (self->height, 1);
  extent[2] = self->layers > 0 ? self->layers : MAX (self->depth, 1);
}

/* Checks the construct properties; no driver call, so that a wrong shape
 * is reported the same with and without a GPU. */
static gboolean
check_shape (CudaObjArray *self, GError **error)
{
  if (cuda_obj_array_format_get_size (self->format) == 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Array: format %d is not a CudaObj.ArrayFormat", (int) self->format);
      return FALSE;
    }
  if (self->channels != 1 && self->channels != 2 && self->channels != 4)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Array: %u channels; an array element has 1, 2 or 4", self->channels);
      return FALSE;
    }
  if (self->width == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Array: the width is 0; it must be at least 1");
      return FALSE;
    }
  if (self->depth > 0 && self->height == 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Array: a depth of %" G_GSIZE_FORMAT " needs a height; a 3D array has all three",
                   self->depth);
      return FALSE;
    }
  if (self->layers > 0 && self->depth > 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Array: layered arrays are 1D or 2D: set the depth or the layers, not both");
      return FALSE;
    }
  if ((self->flags & CUDA_OBJ_ARRAY_FLAGS_TEXTURE_GATHER) && (self->height == 0 || self->depth > 0))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "Array: texture gather is for 2D arrays only");
      return FALSE;
    }
  return TRUE;
}

/* Device reset: the CUarray died with the context; never destroy it. */
static void
invalidate (gpointer object)
{
  CudaObjArray *self = object;

  if (self->handle != NULL)
    {
      self->handle = NULL;
      self->closed = TRUE;
    }
}

static gboolean
cuda_obj_array_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjArray *self = CUDA_OBJ_ARRAY (initable);
  CUDA_ARRAY3D_DESCRIPTOR desc = { 0 };
  const CudaObjDriver *drv;

  if (self->initialized)
    return TRUE;
  if (!check_shape (self, error))
    return FALSE;
  if (self->device == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "An array needs a device: set CudaObjArray:device");
      return FALSE;
    }
  drv = cuda_obj_driver_get (error);
  if (drv == NULL || !cuda_obj_device_require (self->device, "Array", "device", error)
      || !cuda_obj_device_activate (self->device, error))
    return FALSE;
  desc.Width = self->width;
  desc.Height = self->height;
  desc.Depth = self->layers > 0 ? self->layers : self->depth;
  desc.Format = (CUarray_format) self->format;
  desc.NumChannels = self->channels;
  if (self->layers > 0)
    desc.Flags |= CUDA_ARRAY3D_LAYERED;
  if (self->flags & CUDA_OBJ_ARRAY_FLAGS_SURFACE_LOAD_STORE)
    desc.Flags |= CUDA_ARRAY3D_SURFACE_LDST;
  if (self->flags & CUDA_OBJ_ARRAY_FLAGS_TEXTURE_GATHER)
    desc.Flags |= CUDA_ARRAY3D_TEXTURE_GATHER;
  if (!cuda_obj_check (drv->cuArray3DCreate (&self->handle, &desc), "cuArray3DCreate", error))
    {
      self->handle = NULL;
      return FALSE;
    }
  self->owns_handle = TRUE;
  self->initialized = TRUE;
  cuda_obj_device_register (self->device, self, invalidate);
  return TRUE;
}

static void
cuda_obj_array_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_array_initable_init;
}

static void
cuda_obj_array_dispose (GObject *object)
{
  CudaObjArray *self = CUDA_OBJ_ARRAY (object);
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUarray handle;

  if (self->initialized)
    cuda_obj_device_unregister (self->device, self);
  handle = g_steal_pointer (&self->handle);
  /* The driver defers the free until work already queued on it is done. */
  if (handle != NULL && self->owns_handle && drv != NULL && cuda_obj_device_activate (self->device, NULL))
    drv->cuArrayDestroy (handle);
  g_clear_object (&self->owner);
  G_OBJECT_CLASS (cuda_obj_array_parent_class)->dispose (object);
}

static void
cuda_obj_array_finalize (GObject *object)
{
  CudaObjArray *self = CUDA_OBJ_ARRAY (object);

  g_clear_object (&self->device);
  G_OBJECT_CLASS (cuda_obj_array_parent_class)->finalize (object);
}

static void
cuda_obj_array_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjArray *self = CUDA_OBJ_ARRAY (object);

  switch (prop_id)
    {
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_FORMAT: g_value_set_enum (value, self->format); break;
    case PROP_CHANNELS: g_value_set_uint (value, self->channels); break;
    case PROP_WIDTH: g_value_set_uint64 (value, self->width); break;
    case PROP_HEIGHT: g_value_set_uint64 (value, self->height); break;
    case PROP_DEPTH: g_value_set_uint64 (value, self->depth); break;
    case PROP_LAYERS: g_value_set_uint64 (value, self->layers); break;
    case PROP_FLAGS: g_value_set_flags (value, self->flags); break;
    case PROP_HANDLE: g_value_set_uint64 (value, cuda_obj_array_get_handle (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_array_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjArray *self = CUDA_OBJ_ARRAY (object);

  switch (prop_id)
    {
    case PROP_DEVICE: self->device = g_value_dup_object (value); break;
    case PROP_FORMAT: self->format = g_value_get_enum (value); break;
    case PROP_CHANNELS: self->channels = g_value_get_uint (value); break;
    case PROP_WIDTH: self->width = g_value_get_uint64 (value); break;
    case PROP_HEIGHT: self->height = g_value_get_uint64 (value); break;
    case PROP_DEPTH: self->depth = g_value_get_uint64 (value); break;
    case PROP_LAYERS: self->layers = g_value_get_uint64 (value); break;
    case PROP_FLAGS: self->flags = g_value_get_flags (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define CONSTRUCT \
  (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static void
cuda_obj_array_class_init (CudaObjArrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cuda_obj_array_dispose;
  object_class->finalize = cuda_obj_array_finalize;
  object_class->get_property = cuda_obj_array_get_property;
  object_class->set_property = cuda_obj_array_set_property;

  /**
   * CudaObjArray:device: (getter get_device)
   *
   * The device whose memory holds the array.
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE] = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE, CONSTRUCT);
  /**
   * CudaObjArray:format: (getter get_format)
   *
   * The type of each channel of an element.
   *
   * Since: 1.0
   */
  properties[PROP_FORMAT] = g_param_spec_enum ("format", NULL, NULL, CUDA_OBJ_TYPE_ARRAY_FORMAT,
                                               CUDA_OBJ_ARRAY_FORMAT_FLOAT, CONSTRUCT);
  /**
   * CudaObjArray:channels: (getter get_channels)
   *
   * The number of channels of an element: 1, 2 or 4 (a `float4` texel has 4).
   *
   * Since: 1.0
   */
  /* Any guint: the initialization reports a wrong count as an error. */
  properties[PROP_CHANNELS] = g_param_spec_uint ("channels", NULL, NULL, 0, G_MAXUINT, 1, CONSTRUCT);
  /**
   * CudaObjArray:width: (getter get_width)
   *
   * The number of elements in a row.
   *
   * Since: 1.0
   */
  properties[PROP_WIDTH] = g_param_spec_uint64 ("width", NULL, NULL, 0, G_MAXSIZE, 0, CONSTRUCT);
  /**
   * CudaObjArray:height: (getter get_height)
   *
   * The number of rows, or 0 for a 1D array.
   *
   * Since: 1.0
   */
  properties[PROP_HEIGHT] = g_param_spec_uint64 ("height", NULL, NULL, 0, G_MAXSIZE, 0, CONSTRUCT);
  /**
   * CudaObjArray:depth: (getter get_depth)
   *
   * The number of slices of a 3D array, or 0 for a 1D or 2D array.
   *
   * Since: 1.0
   */
  properties[PROP_DEPTH] = g_param_spec_uint64 ("depth", NULL, NULL, 0, G_MAXSIZE, 0, CONSTRUCT);
  /**
   * CudaObjArray:layers: (getter get_layers)
   *
   * The number of layers of a layered 1D or 2D array, or 0 for an array
   * that is not layered. Copies address a layer as the z coordinate.
   *
   * Since: 1.0
   */
  properties[PROP_LAYERS] = g_param_spec_uint64 ("layers", NULL, NULL, 0, G_MAXSIZE, 0, CONSTRUCT);
  /**
   * CudaObjArray:flags: (getter get_flags)
   *
   * What the array is made for, such as surface loads and stores.
   *
   * Since: 1.0
   */
  properties[PROP_FLAGS] = g_param_spec_flags ("flags", NULL, NULL, CUDA_OBJ_TYPE_ARRAY_FLAGS,
                                               CUDA_OBJ_ARRAY_FLAGS_NONE, CONSTRUCT);
  /**
   * CudaObjArray:handle: (getter get_handle)
   *
   * The `CUarray`, for other libraries that take one; 0 when the array is
   * not initialized or was closed by a reset of its device.
   *
   * Since: 1.0
   */
  properties[PROP_HANDLE] = g_param_spec_uint64 ("handle", NULL, NULL, 0, G_MAXUINT64, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_array_init (CudaObjArray *self)
{
  self->format = CUDA_OBJ_ARRAY_FORMAT_FLOAT;
  self->channels = 1;
}

/**
 * cuda_obj_array_new:
 * @device: the device whose memory holds the array
 * @format: the type of each channel
 * @channels: the channels of an element: 1, 2 or 4
 * @width: the elements in a row, at least 1
 * @height: the rows, or 0 for a 1D array
 * @depth: the slices, or 0 for a 1D or 2D array
 * @error: return location for an error
 *
 * Creates a 1D, 2D or 3D array that textures read. See
 * [ctor@CudaObj.Array.new_full] for layered arrays and surfaces.
 *
 * Returns: (transfer full): the array, or %NULL with @error set as
 *   [ctor@CudaObj.Array.new_full] does
 *
 * Since: 1.0
 */
CudaObjArray *
cuda_obj_array_new (CudaObjDevice *device, CudaObjArrayFormat format, guint channels, gsize width,
                    gsize height, gsize depth, GError **error)
{
  return cuda_obj_array_new_full (device, format, channels, width, height, depth, 0,
                                  CUDA_OBJ_ARRAY_FLAGS_NONE, error);
}

/**
 * cuda_obj_array_new_full:
 * @device: the device whose memory holds the array
 * @format: the type of each channel
 * @channels: the channels of an element: 1, 2 or 4
 * @width: the elements in a row, at least 1
 * @height: the rows, or 0 for a 1D array
 * @depth: the slices, or 0 for a 1D or 2D array
 * @layers: the layers of a layered 1D or 2D array, or 0
 * @flags: what the array is made for
 * @error: return location for an error
 *
 * Creates an array (`cuArray3DCreate`).
 *
 * Returns: (transfer full): the array, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for an unknown @format, a channel
 *   count other than 1, 2 or 4, a zero @width, a @depth without a @height,
 *   @layers with a @depth, texture gather on an array that is not 2D, or a
 *   %NULL @device; a %CUDA_OBJ_DRIVER_ERROR for a shape over the device's
 *   limits or when memory runs out
 *
 * Since: 1.0
 */
CudaObjArray *
cuda_obj_array_new_full (CudaObjDevice *device, CudaObjArrayFormat format, guint channels, gsize width,
                         gsize height, gsize depth, gsize layers, CudaObjArrayFlags flags, GError **error)
{
  g_autoptr (CudaObjArray) self = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (cuda_obj_array_format_get_size (format) == 0)
    {
      /* An invalid value would make g_object_new() warn. */
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Array: format %d is not a CudaObj.ArrayFormat", (int) format);
      return NULL;
    }
  if ((flags & ~(CUDA_OBJ_ARRAY_FLAGS_SURFACE_LOAD_STORE | CUDA_OBJ_ARRAY_FLAGS_TEXTURE_GATHER)) != 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Array: flags 0x%x are not CudaObj.ArrayFlags", (guint) flags);
      return NULL;
    }
  self = g_object_new (CUDA_OBJ_TYPE_ARRAY, "device", device, "format", format, "channels", channels, "width",
                       (guint64) width, "height", (guint64) height, "depth", (guint64) depth, "layers",
                       (guint64) layers, "flags", flags, NULL);
  if (!g_initable_init (G_INITABLE (self), NULL, error))
    return NULL;
  return g_steal_pointer (&self);
}

CudaObjArray *
cuda_obj_array_new_foreign (CudaObjDevice *device, CUarray handle, GObject *owner, GError **error)
{
  g_autoptr (CudaObjArray) self = NULL;
  CUDA_ARRAY3D_DESCRIPTOR desc = { 0 };
  const CudaObjDriver *drv = cuda_obj_driver_get (error);

  if (drv == NULL || !cuda_obj_device_require (device, "Array", "device", error)
      || !cuda_obj_device_activate (device, error)
      || !cuda_obj_check (drv->cuArray3DGetDescriptor (&desc, handle), "cuArray3DGetDescriptor", error))
    return NULL;
  if (cuda_obj_array_format_get_size ((CudaObjArrayFormat) desc.Format) == 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "Array: the foreign array's format 0x%x is none of CudaObj.ArrayFormat",
                   (guint) desc.Format);
      return NULL;
    }
  self = g_object_new (CUDA_OBJ_TYPE_ARRAY, "device", device, "format", (CudaObjArrayFormat) desc.Format,
                       "channels", desc.NumChannels, "width", (guint64) desc.Width, "height",
                       (guint64) desc.Height, NULL);
  if (desc.Flags & CUDA_ARRAY3D_LAYERED)
    self->layers = desc.Depth;
  else
    self->depth = desc.Depth;
  if (desc.Flags & CUDA_ARRAY3D_SURFACE_LDST)
    self->flags |= CUDA_OBJ_ARRAY_FLAGS_SURFACE_LOAD_STORE;
  if (desc.Flags & CUDA_ARRAY3D_TEXTURE_GATHER)
    self->flags |= CUDA_OBJ_ARRAY_FLAGS_TEXTURE_GATHER;
  self->handle = handle;
  self->owns_handle = FALSE;
  self->owner = owner != NULL ? g_object_ref (owner) : NULL;
  self->initialized = TRUE;
  cuda_obj_device_register (self->device, self, invalidate);
  return g_steal_pointer (&self);
}

void
cuda_obj_array_forget (CudaObjArray *self)
{
  if (!self->owns_handle && self->handle != NULL)
    {
      self->handle = NULL;
      self->closed = TRUE;
    }
}

CUarray
cuda_obj_array_prepare (CudaObjArray *self, const char *what, GError **error)
{
  if (G_UNLIKELY (self->handle == NULL))
    {
      if (!self->initialized)
        g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
                     "%s: the array is not initialized: it was made with a plain constructor and "
                     "g_initable_init() was not called, or its construction failed",
                     what);
      else if (self->owns_handle)
        cuda_obj_device_set_reset_error (self->device, "Array", error);
      else
        g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED,
                     "%s: the array was unmapped or its device was reset", what);
      return NULL;
    }
  if (!cuda_obj_device_activate (self->device, error))
    return NULL;
  return self->handle;
}

/* Getters. */

/**
 * cuda_obj_array_get_device:
 * @self: an array
 *
 * Gives [property@CudaObj.Array:device].
 *
 * Returns: (transfer none) (nullable): the device, %NULL for an array made
 *   without one
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_array_get_device (CudaObjArray *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), NULL);
  return self->device;
}

/**
 * cuda_obj_array_get_format:
 * @self: an array
 *
 * Gives [property@CudaObj.Array:format].
 *
 * Returns: the type of each channel
 *
 * Since: 1.0
 */
CudaObjArrayFormat
cuda_obj_array_get_format (CudaObjArray *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), CUDA_OBJ_ARRAY_FORMAT_FLOAT);
  return self->format;
}

/**
 * cuda_obj_array_get_channels:
 * @self: an array
 *
 * Gives [property@CudaObj.Array:channels].
 *
 * Returns: the channels of an element
 *
 * Since: 1.0
 */
guint
cuda_obj_array_get_channels (CudaObjArray *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), 0);
  return self->channels;
}

/**
 * cuda_obj_array_get_width:
 * @self: an array
 *
 * Gives [property@CudaObj.Array:width].
 *
 * Returns: the elements in a row
 *
 * Since: 1.0
 */
gsize
cuda_obj_array_get_width (CudaObjArray *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), 0);
  return self->width;
}

/**
 * cuda_obj_array_get_height:
 * @self: an array
 *
 * Gives [property@CudaObj.Array:height].
 *
 * Returns: the rows, 0 for a 1D array
 *
 * Since: 1.0
 */
gsize
cuda_obj_array_get_height (CudaObjArray *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), 0);
  return self->height;
}

/**
 * cuda_obj_array_get_depth:
 * @self: an array
 *
 * Gives [property@CudaObj.Array:depth].
 *
 * Returns: the slices, 0 for a 1D or 2D array
 *
 * Since: 1.0
 */
gsize
cuda_obj_array_get_depth (CudaObjArray *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), 0);
  return self->depth;
}

/**
 * cuda_obj_array_get_layers:
 * @self: an array
 *
 * Gives [property@CudaObj.Array:layers].
 *
 * Returns: the layers, 0 for an array that is not layered
 *
 * Since: 1.0
 */
gsize
cuda_obj_array_get_layers (CudaObjArray *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), 0);
  return self->layers;
}

/**
 * cuda_obj_array_get_flags:
 * @self: an array
 *
 * Gives [property@CudaObj.Array:flags].
 *
 * Returns: what the array is made for
 *
 * Since: 1.0
 */
CudaObjArrayFlags
cuda_obj_array_get_flags (CudaObjArray *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), CUDA_OBJ_ARRAY_FLAGS_NONE);
  return self->flags;
}

/**
 * cuda_obj_array_get_handle:
 * @self: an array
 *
 * Gives [property@CudaObj.Array:handle].
 *
 * Returns: the `CUarray`, or 0
 *
 * Since: 1.0
 */
guint64
cuda_obj_array_get_handle (CudaObjArray *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), 0);
  return (guint64) (guintptr) self->handle;
}

/**
 * cuda_obj_array_get_element_size:
 * @self: an array
 *
 * Gives the size of one element: the channel size times the channels.
 *
 * Returns: the size of an element in bytes (0 for an unknown format)
 *
 * Since: 1.0
 */
gsize
cuda_obj_array_get_element_size (CudaObjArray *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), 0);
  return cuda_obj_array_format_get_size (self->format) * self->channels;
}

/**
 * cuda_obj_array_get_size:
 * @self: an array
 *
 * Gives the bytes of the whole array with rows packed: what
 * [method@CudaObj.Array.copy_from_bytes] takes and
 * [method@CudaObj.Array.copy_to_bytes] gives.
 *
 * Returns: the size in bytes
 *
 * Since: 1.0
 */
gsize
cuda_obj_array_get_size (CudaObjArray *self)
{
  gsize extent[3];

  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), 0);
  get_extent (self, extent);
  return cuda_obj_array_get_element_size (self) * extent[0] * extent[1] * extent[2];
}

/* Copies. */

typedef struct
{
  gsize origin[3]; /* in elements */
  gsize extent[3];
} Box;

/* Checks that @box lies in the array; @what names the operation. */
static gboolean
check_box (CudaObjArray *self, const Box *box, const char *what, GError **error)
{
  static const char *const axes[] = { "x", "y", "z" };
  gsize full[3];

  get_extent (self, full);
  for (guint i = 0; i < 3; i++)
    {
      if (box->extent[i] == 0)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "%s: the region is empty along %s; each extent must be at least 1", what, axes[i]);
          return FALSE;
        }
      if (box->origin[i] > full[i] || box->extent[i] > full[i] - box->origin[i])
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "%s: %" G_GSIZE_FORMAT " elements from %s = %" G_GSIZE_FORMAT
                       " do not fit in the array's %" G_GSIZE_FORMAT,
                       what, box->extent[i], axes[i], box->origin[i], full[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static void
whole (CudaObjArray *self, Box *box)
{
  box->origin[0] = box->origin[1] = box->origin[2] = 0;
  get_extent (self, box->extent);
}

/* Fills @copy's array side (source or destination) for @box. */
static void
set_array_side (CudaObjArray *self, CUarray handle, const Box *box, gboolean source, CUDA_MEMCPY3D *copy)
{
  gsize x_bytes = box->origin[0] * cuda_obj_array_get_element_size (self);

  if (source)
    {
      copy->srcMemoryType = CU_MEMORYTYPE_ARRAY;
      copy->srcArray = handle;
      copy->srcXInBytes = x_bytes;
      copy->srcY = box->origin[1];
      copy->srcZ = box->origin[2];
    }
  else
    {
      copy->dstMemoryType = CU_MEMORYTYPE_ARRAY;
      copy->dstArray = handle;
      copy->dstXInBytes = x_bytes;
      copy->dstY = box->origin[1];
      copy->dstZ = box->origin[2];
    }
  copy->WidthInBytes = box->extent[0] * cuda_obj_array_get_element_size (self);
  copy->Height = box->extent[1];
  copy->Depth = box->extent[2];
}

static gboolean
run_copy (CudaObjArray *self, const CUDA_MEMCPY3D *copy, CUstream stream, gboolean wait, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();

  if (!cuda_obj_check (drv->cuMemcpy3DAsync (copy, stream), "cuMemcpy3DAsync", error))
    return FALSE;
  return !wait || cuda_obj_check (drv->cuStreamSynchronize (stream), "cuStreamSynchronize", error);
}

static gboolean
copy_in_from_bytes (CudaObjArray *self, GBytes *bytes, const Box *box, CudaObjStream *stream,
                    const char *what, GError **error)
{
  CUDA_MEMCPY3D copy = { 0 };
  gsize size = 0, expected;
  const void *data;
  CUarray handle;
  CUstream stream_handle;

  if (!cuda_obj_require_argument (bytes, error))
    return FALSE;
  handle = cuda_obj_array_prepare (self, what, error);
  if (handle == NULL || !check_box (self, box, what, error))
    return FALSE;
  data = g_bytes_get_data (bytes, &size);
  expected = cuda_obj_array_get_element_size (self) * box->extent[0] * box->extent[1] * box->extent[2];
  if (size != expected)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: %" G_GSIZE_FORMAT " bytes given; the region of %" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT
                   " x %" G_GSIZE_FORMAT " elements of %" G_GSIZE_FORMAT " bytes takes %" G_GSIZE_FORMAT,
                   what, size, box->extent[0], box->extent[1], box->extent[2],
                   cuda_obj_array_get_element_size (self), expected);
      return FALSE;
    }
  if (!cuda_obj_stream_prepare_for_device (stream, self->device, &stream_handle, error))
    return FALSE;
  copy.srcMemoryType = CU_MEMORYTYPE_HOST;
  copy.srcHost = data;
  copy.srcPitch = box->extent[0] * cuda_obj_array_get_element_size (self);
  copy.srcHeight = box->extent[1];
  set_array_side (self, handle, box, FALSE, &copy);
  /* @bytes may go as soon as we return: wait for the copy. */
  return run_copy (self, &copy, stream_handle, TRUE, error);
}

static GBytes *
copy_out_to_bytes (CudaObjArray *self, const Box *box, CudaObjStream *stream, const char *what,
                   GError **error)
{
  CUDA_MEMCPY3D copy = { 0 };
  g_autofree guint8 *data = NULL;
  gsize size;
  CUarray handle;
  CUstream stream_handle;

  handle = cuda_obj_array_prepare (self, what, error);
  if (handle == NULL || !check_box (self, box, what, error))
    return NULL;
  size = cuda_obj_array_get_element_size (self) * box->extent[0] * box->extent[1] * box->extent[2];
  data = g_try_malloc (size);
  if (data == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED,
                   "%s: cannot allocate %" G_GSIZE_FORMAT " bytes of host memory", what, size);
      return NULL;
    }
  if (!cuda_obj_stream_prepare_for_device (stream, self->device, &stream_handle, error))
    return NULL;
  set_array_side (self, handle, box, TRUE, &copy);
  copy.dstMemoryType = CU_MEMORYTYPE_HOST;
  copy.dstHost = data;
  copy.dstPitch = box->extent[0] * cuda_obj_array_get_element_size (self);
  copy.dstHeight = box->extent[1];
  if (!run_copy (self, &copy, stream_handle, TRUE, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&data), size);
}

/**
 * cuda_obj_array_copy_from_bytes:
 * @self: an array
 * @bytes: the whole array's elements, rows packed without padding, then
 *   slices (or layers): [method@CudaObj.Array.get_size] bytes
 * @stream: (nullable): stream to order the copy on; %NULL for the legacy
 *   default stream of the array's device
 * @error: return location for an error
 *
 * Copies host data into the whole array (`cuMemcpy3DAsync`) and waits for
 * the copy, so @bytes may be released when the call returns.
 *
 * Returns: %TRUE on success; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when @bytes is not the array's size
 *   (the message gives the size expected), %CUDA_OBJ_ERROR_NOT_INITIALIZED
 *   for an array never initialized, %CUDA_OBJ_ERROR_CLOSED after a reset of
 *   its device or when @stream is closed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_array_copy_from_bytes (CudaObjArray *self, GBytes *bytes, CudaObjStream *stream, GError **error)
{
  Box box;

  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), FALSE);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  whole (self, &box);
  return copy_in_from_bytes (self, bytes, &box, stream, "Array.copy_from_bytes", error);
}

/**
 * cuda_obj_array_copy_to_bytes:
 * @self: an array
 * @stream: (nullable): stream to order the copy on; %NULL for the legacy
 *   default stream of the array's device
 * @error: return location for an error
 *
 * Copies the whole array into host memory, rows packed without padding,
 * and waits for @stream.
 *
 * Returns: (transfer full): [method@CudaObj.Array.get_size] bytes, or %NULL
 *   with @error set: %CUDA_OBJ_ERROR_NOT_INITIALIZED, %CUDA_OBJ_ERROR_CLOSED
 *   as for [method@CudaObj.Array.copy_from_bytes], a %CUDA_OBJ_DRIVER_ERROR
 *   from the copy or from earlier work on @stream
 *
 * Since: 1.0
 */
GBytes *
cuda_obj_array_copy_to_bytes (CudaObjArray *self, CudaObjStream *stream, GError **error)
{
  Box box;

  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), NULL);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  whole (self, &box);
  return copy_out_to_bytes (self, &box, stream, "Array.copy_to_bytes", error);
}

/**
 * cuda_obj_array_copy_region_from_bytes:
 * @self: an array
 * @bytes: the region's elements, rows packed without padding
 * @x: the region's first element in a row
 * @y: the region's first row (0 for a 1D array)
 * @z: the region's first slice or layer (0 for a 2D array)
 * @width: the region's elements in a row, at least 1
 * @height: the region's rows, at least 1
 * @depth: the region's slices or layers, at least 1
 * @stream: (nullable): stream to order the copy on; %NULL for the legacy
 *   default stream of the array's device
 * @error: return location for an error
 *
 * Copies host data into a box of the array and waits for the copy. A 1D
 * array has one row and one slice, a 2D array one slice.
 *
 * Returns: %TRUE on success; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for an empty region, a region that
 *   runs past the array or @bytes of another size than the region's,
 *   and the errors of [method@CudaObj.Array.copy_from_bytes]
 *
 * Since: 1.0
 */
gboolean
cuda_obj_array_copy_region_from_bytes (CudaObjArray *self, GBytes *bytes, gsize x, gsize y, gsize z,
                                       gsize width, gsize height, gsize depth, CudaObjStream *stream,
                                       GError **error)
{
  Box box = { { x, y, z }, { width, height, depth } };

  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), FALSE);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return copy_in_from_bytes (self, bytes, &box, stream, "Array.copy_region_from_bytes", error);
}

/**
 * cuda_obj_array_copy_region_to_bytes:
 * @self: an array
 * @x: the region's first element in a row
 * @y: the region's first row (0 for a 1D array)
 * @z: the region's first slice or layer (0 for a 2D array)
 * @width: the region's elements in a row, at least 1
 * @height: the region's rows, at least 1
 * @depth: the region's slices or layers, at least 1
 * @stream: (nullable): stream to order the copy on; %NULL for the legacy
 *   default stream of the array's device
 * @error: return location for an error
 *
 * Copies a box of the array into host memory, rows packed without
 * padding, and waits for @stream.
 *
 * Returns: (transfer full): the region's bytes, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for an empty region or one that runs
 *   past the array, and the errors of [method@CudaObj.Array.copy_to_bytes]
 *
 * Since: 1.0
 */
GBytes *
cuda_obj_array_copy_region_to_bytes (CudaObjArray *self, gsize x, gsize y, gsize z, gsize width, gsize height,
                                     gsize depth, CudaObjStream *stream, GError **error)
{
  Box box = { { x, y, z }, { width, height, depth } };

  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), NULL);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return copy_out_to_bytes (self, &box, stream, "Array.copy_region_to_bytes", error);
}

/* Checks that the whole array fits in @buffer at @offset with rows @pitch
 * bytes apart (0: packed); sets *@pitch to the pitch used. */
static gboolean
check_buffer_side (CudaObjArray *self, CudaObjBuffer *buffer, gsize offset, gsize *pitch, const char *what,
                   GError **error)
{
  gsize extent[3], row, rows, needed, size;

  if (!CUDA_OBJ_IS_BUFFER (buffer))
    return cuda_obj_set_null_argument (error, what, "buffer");
  if (cuda_obj_buffer_get_closed (buffer))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "%s: the buffer is closed", what);
      return FALSE;
    }
  get_extent (self, extent);
  row = extent[0] * cuda_obj_array_get_element_size (self);
  if (*pitch == 0)
    *pitch = row;
  if (*pitch < row)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: a pitch of %" G_GSIZE_FORMAT " bytes is shorter than a row of %" G_GSIZE_FORMAT
                   " bytes",
                   what, *pitch, row);
      return FALSE;
    }
  rows = extent[1] * extent[2];
  size = cuda_obj_buffer_get_size (buffer);
  /* The last row needs only its own bytes, not a whole pitch. */
  if (!g_size_checked_mul (&needed, rows - 1, *pitch) || !g_size_checked_add (&needed, needed, row)
      || offset > size || needed > size - offset)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: %" G_GSIZE_FORMAT " rows %" G_GSIZE_FORMAT " bytes apart from offset %" G_GSIZE_FORMAT
                   " do not fit in the buffer of %" G_GSIZE_FORMAT " bytes",
                   what, rows, *pitch, offset, size);
      return FALSE;
    }
  return TRUE;
}

static gboolean
copy_with_buffer (CudaObjArray *self, CudaObjBuffer *buffer, gsize offset, gsize pitch, CudaObjStream *stream,
                  gboolean to_array, const char *what, GError **error)
{
  CUDA_MEMCPY3D copy = { 0 };
  CUarray handle;
  CUstream stream_handle;
  CUdeviceptr address;
  Box box;

  handle = cuda_obj_array_prepare (self, what, error);
  if (handle == NULL || !check_buffer_side (self, buffer, offset, &pitch, what, error)
      || !cuda_obj_stream_prepare_for_device (stream, self->device, &stream_handle, error))
    return FALSE;
  whole (self, &box);
  address = cuda_obj_buffer_get_handle (buffer) + offset;
  set_array_side (self, handle, &box, !to_array, &copy);
  if (to_array)
    {
      copy.srcMemoryType = CU_MEMORYTYPE_DEVICE;
      copy.srcDevice = address;
      copy.srcPitch = pitch;
      copy.srcHeight = box.extent[1];
    }
  else
    {
      copy.dstMemoryType = CU_MEMORYTYPE_DEVICE;
      copy.dstDevice = address;
      copy.dstPitch = pitch;
      copy.dstHeight = box.extent[1];
    }
  return run_copy (self, &copy, stream_handle, FALSE, error);
}

/**
 * cuda_obj_array_copy_from_buffer:
 * @self: an array
 * @buffer: the buffer to copy from
 * @offset: where the first row starts in @buffer, in bytes
 * @pitch: the bytes from one row to the next in @buffer, or 0 for rows
 *   packed without padding; slices (or layers) follow each other every
 *   @pitch times the array's height bytes
 * @stream: (nullable): stream to order the copy on; %NULL for the legacy
 *   default stream of the array's device
 * @error: return location for an error
 *
 * Copies the whole array's elements from @buffer, ordered on @stream.
 *
 * Returns: %TRUE once the copy is queued; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a @pitch shorter than a row or
 *   rows that do not fit in @buffer, %CUDA_OBJ_ERROR_CLOSED for a closed
 *   buffer or stream, and the errors of [method@CudaObj.Array.copy_from_bytes]
 *
 * Since: 1.0
 */
gboolean
cuda_obj_array_copy_from_buffer (CudaObjArray *self, CudaObjBuffer *buffer, gsize offset, gsize pitch,
                                 CudaObjStream *stream, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), FALSE);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return copy_with_buffer (self, buffer, offset, pitch, stream, TRUE, "Array.copy_from_buffer", error);
}

/**
 * cuda_obj_array_copy_to_buffer:
 * @self: an array
 * @buffer: the buffer to copy to
 * @offset: where the first row goes in @buffer, in bytes
 * @pitch: the bytes from one row to the next in @buffer, or 0 for rows
 *   packed without padding
 * @stream: (nullable): stream to order the copy on; %NULL for the legacy
 *   default stream of the array's device
 * @error: return location for an error
 *
 * Copies the whole array's elements into @buffer, ordered on @stream; the
 * bytes of @buffer between rows are left alone.
 *
 * Returns: %TRUE once the copy is queued; %FALSE with @error set as for
 *   [method@CudaObj.Array.copy_from_buffer]
 *
 * Since: 1.0
 */
gboolean
cuda_obj_array_copy_to_buffer (CudaObjArray *self, CudaObjBuffer *buffer, gsize offset, gsize pitch,
                               CudaObjStream *stream, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), FALSE);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return copy_with_buffer (self, buffer, offset, pitch, stream, FALSE, "Array.copy_to_buffer", error);
}

/**
 * cuda_obj_array_copy_to_array:
 * @self: the array to copy from
 * @destination: an array of the same shape, format and channels
 * @stream: (nullable): stream to order the copy on; %NULL for the legacy
 *   default stream of @self's device
 * @error: return location for an error
 *
 * Copies every element of @self into @destination, ordered on @stream.
 *
 * Returns: %TRUE once the copy is queued; %FALSE with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when the two arrays differ in shape,
 *   format or channels; %CUDA_OBJ_ERROR_NOT_INITIALIZED or
 *   %CUDA_OBJ_ERROR_CLOSED for either array as for
 *   [method@CudaObj.Array.copy_from_bytes]
 *
 * Since: 1.0
 */
gboolean
cuda_obj_array_copy_to_array (CudaObjArray *self, CudaObjArray *destination, CudaObjStream *stream,
                              GError **error)
{
  CUDA_MEMCPY3D copy = { 0 };
  CUarray source_handle, destination_handle;
  CUstream stream_handle;
  gsize mine[3], theirs[3];
  Box box;

  g_return_val_if_fail (CUDA_OBJ_IS_ARRAY (self), FALSE);
  g_return_val_if_fail (stream == NULL || CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!CUDA_OBJ_IS_ARRAY (destination))
    return cuda_obj_set_null_argument (error, "Array.copy_to_array", "destination");
  source_handle = cuda_obj_array_prepare (self, "Array.copy_to_array", error);
  if (source_handle == NULL)
    return FALSE;
  destination_handle = cuda_obj_array_prepare (destination, "Array.copy_to_array", error);
  if (destination_handle == NULL)
    return FALSE;
  get_extent (self, mine);
  get_extent (destination, theirs);
  if (self->format != destination->format || self->channels != destination->channels || mine[0] != theirs[0]
      || mine[1] != theirs[1] || mine[2] != theirs[2])
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Array.copy_to_array: the destination (%" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT
                   " x %" G_GSIZE_FORMAT ", %u channels of %" G_GSIZE_FORMAT
                   " bytes) differs from the source (%" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT
                   " x %" G_GSIZE_FORMAT ", %u channels of %" G_GSIZE_FORMAT " bytes)",
                   theirs[0], theirs[1], theirs[2], destination->channels,
                   cuda_obj_array_format_get_size (destination->format), mine[0], mine[1], mine[2],
                   self->channels, cuda_obj_array_format_get_size (self->format));
      return FALSE;
    }
  if (!cuda_obj_device_activate (self->device, error)
      || !cuda_obj_stream_prepare_for_device (stream, self->device, &stream_handle, error))
    return FALSE;
  whole (self, &box);
  set_array_side (self, source_handle, &box, TRUE, &copy);
  set_array_side (destination, destination_handle, &box, FALSE, &copy);
  return run_copy (self, &copy, stream_handle, FALSE, error);
}
