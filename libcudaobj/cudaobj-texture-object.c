/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: texture objects over an array, a pitched 2D buffer or a
 * linear buffer (`cuTexObjectCreate`). */
#include "config.h"

#include <string.h>

#include "cudaobj-texture-object.h"
#include "cudaobj-texture-object-private.h"
#include "cudaobj-array-private.h"
#include "cudaobj-enum-types.h"
#include "cudaobj-error-private.h"
#include "cudaobj-device-private.h"

struct _CudaObjTextureObject
{
  GObject parent_instance;

  CudaObjArray *array;   /* owned; or */
  CudaObjBuffer *buffer; /* owned */
  CudaObjDevice *device; /* owned once initialized */
  CUtexObject handle;    /* 0 until initialized and after a reset */
  CudaObjArrayFormat format;
  guint channels;
  gsize width, height, pitch;
  CudaObjTextureAddressMode address_mode;
  CudaObjTextureFilterMode filter_mode;
  CudaObjTextureReadMode read_mode;
  gboolean normalized_coordinates;
  gboolean srgb;
  gboolean initialized;
  gboolean reset;
};

enum
{
  PROP_0,
  PROP_ARRAY,
  PROP_BUFFER,
  PROP_FORMAT,
  PROP_CHANNELS,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_PITCH,
  PROP_ADDRESS_MODE,
  PROP_FILTER_MODE,
  PROP_READ_MODE,
  PROP_NORMALIZED_COORDINATES,
  PROP_SRGB,
  PROP_HANDLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cuda_obj_texture_object_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjTextureObject:
 *
 * A texture object: the handle a kernel samples memory through, with the
 * texture unit's addressing, filtering and conversion.
 *
 * A texture reads a [class@CudaObj.Array] ([ctor@CudaObj.TextureObject.new_for_array]),
 * a 2D image in a [class@CudaObj.Buffer] whose rows are
 * [property@CudaObj.TextureObject:pitch] bytes apart
 * ([ctor@CudaObj.TextureObject.new_for_pitched_buffer]) or a buffer as a 1D
 * run of elements ([ctor@CudaObj.TextureObject.new_for_linear_buffer], read
 * with `tex1Dfetch`). Pass it to a kernel that takes a `cudaTextureObject_t`
 * with [method@CudaObj.KernelArgs.set_texture]:
 *
 * ```c
 * // extern "C" __global__ void sample (cudaTextureObject_t image, float4 *out)
 * // { out[i] = tex2D<float4> (image, x + 0.5f, y + 0.5f); }
 * g_autoptr (CudaObjTextureObject) texture = cuda_obj_texture_object_new_for_array (
 *     image, CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP, CUDA_OBJ_TEXTURE_FILTER_MODE_LINEAR,
 *     CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, FALSE, &error);
 * cuda_obj_kernel_args_set_texture (args, 0, texture, &error);
 * ```
 *
 * The texture keeps its array or buffer alive. Sampling never writes: a
 * kernel that writes an array uses a [class@CudaObj.SurfaceObject].
 *
 * Construction is fallible ([iface@Gio.Initable]):
 * `CudaObj.TextureObject(array=image, filter_mode=CudaObj.TextureFilterMode.LINEAR)`
 * raises for a configuration the texture unit does not have. A texture
 * made with a plain constructor and never initialized has no handle:
 * [method@CudaObj.KernelArgs.set_texture] refuses it with
 * %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjTextureObject, cuda_obj_texture_object, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_texture_object_initable_iface_init))

static gboolean
is_integer (CudaObjArrayFormat format)
{
  return format != CUDA_OBJ_ARRAY_FORMAT_FLOAT && format != CUDA_OBJ_ARRAY_FORMAT_HALF;
}

/* Checks the configuration without a driver call. */
static gboolean
check_configuration (CudaObjTextureObject *self, GError **error)
{
  gsize element, row, needed, size;

  if ((self->array == NULL) == (self->buffer == NULL))
    {
      g_set_error_literal (
          error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
          "TextureObject: set either CudaObjTextureObject:array or CudaObjTextureObject:buffer");
      return FALSE;
    }
  if (self->array != NULL)
    {
      /* The array's element is the texture's. */
      self->format = cuda_obj_array_get_format (self->array);
      self->channels = cuda_obj_array_get_channels (self->array);
      self->width = cuda_obj_array_get_width (self->array);
      self->height = cuda_obj_array_get_height (self->array);
      self->pitch = 0;
    }
  else
    {
      element = cuda_obj_array_format_get_size (self->format) * self->channels;
      if (cuda_obj_array_format_get_size (self->format) == 0
          || (self->channels != 1 && self->channels != 2 && self->channels != 4))
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "TextureObject: %u channels of format %d; a texel has 1, 2 or 4 channels of a "
                       "CudaObj.ArrayFormat",
                       self->channels, (int) self->format);
          return FALSE;
        }
      if (cuda_obj_buffer_get_closed (self->buffer))
        {
          g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED,
                               "TextureObject: the buffer is closed or not initialized");
          return FALSE;
        }
      size = cuda_obj_buffer_get_size (self->buffer);
      if (self->width == 0 && self->height == 0)
        self->width = size / element;
      if (self->width == 0)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "TextureObject: the width is 0; it must be at least 1 (the buffer of %" G_GSIZE_FORMAT
                       " bytes holds %" G_GSIZE_FORMAT " elements of %" G_GSIZE_FORMAT " bytes)",
                       size, size / element, element);
          return FALSE;
        }
      row = self->width * element;
      if (self->height == 0)
        {
          if (self->pitch != 0)
            {
              g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                                   "TextureObject: a pitch needs a height; a linear texture has neither");
              return FALSE;
            }
          if (self->filter_mode != CUDA_OBJ_TEXTURE_FILTER_MODE_POINT || self->normalized_coordinates)
            {
              g_set_error_literal (
                  error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                  "TextureObject: a linear buffer texture is read with tex1Dfetch at element "
                  "indices: it takes point filtering and no normalized coordinates");
              return FALSE;
            }
          needed = row;
        }
      else
        {
          if (self->pitch == 0)
            self->pitch = row;
          if (self->pitch < row)
            {
              g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "TextureObject: a pitch of %" G_GSIZE_FORMAT
                           " bytes is shorter than a row of %" G_GSIZE_FORMAT " bytes",
                           self->pitch, row);
              return FALSE;
            }
          if (!g_size_checked_mul (&needed, self->height - 1, self->pitch)
              || !g_size_checked_add (&needed, needed, row))
            needed = G_MAXSIZE;
        }
      if (needed > size)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "TextureObject: the texture needs %" G_GSIZE_FORMAT
                       " bytes; the buffer has %" G_GSIZE_FORMAT,
                       needed, size);
          return FALSE;
        }
    }
  if (self->filter_mode == CUDA_OBJ_TEXTURE_FILTER_MODE_LINEAR && is_integer (self->format)
      && self->read_mode == CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "TextureObject: linear filtering returns floats: an integer format needs the "
                           "normalized-float read mode");
      return FALSE;
    }
  if (!self->normalized_coordinates
      && (self->address_mode == CUDA_OBJ_TEXTURE_ADDRESS_MODE_WRAP
          || self->address_mode == CUDA_OBJ_TEXTURE_ADDRESS_MODE_MIRROR)
      && (self->array != NULL || self->height > 0))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "TextureObject: the wrap and mirror address modes need normalized coordinates");
      return FALSE;
    }
  return TRUE;
}

/* Device reset: the texture object died with the context. */
static void
invalidate (gpointer object)
{
  CudaObjTextureObject *self = object;

  if (self->handle != 0)
    {
      self->handle = 0;
      self->reset = TRUE;
    }
}

static gboolean
cuda_obj_texture_object_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjTextureObject *self = CUDA_OBJ_TEXTURE_OBJECT (initable);
  CUDA_RESOURCE_DESC resource;
  CUDA_TEXTURE_DESC texture;
  const CudaObjDriver *drv;
  CudaObjDevice *device;

  if (self->initialized)
    return TRUE;
  if (!check_configuration (self, error))
    return FALSE;
  memset (&resource, 0, sizeof resource);
  memset (&texture, 0, sizeof texture);
  if (self->array != NULL)
    {
      CUarray array = cuda_obj_array_prepare (self->array, "TextureObject", error);

      if (array == NULL)
        return FALSE;
      device = cuda_obj_array_get_device (self->array);
      resource.resType = CU_RESOURCE_TYPE_ARRAY;
      resource.res.array.hArray = array;
    }
  else
    {
      device = cuda_obj_buffer_get_device (self->buffer);
      if (!cuda_obj_device_activate (device, error))
        return FALSE;
      if (self->height == 0)
        {
          resource.resType = CU_RESOURCE_TYPE_LINEAR;
          resource.res.linear.devPtr = cuda_obj_buffer_get_handle (self->buffer);
          resource.res.linear.format = (CUarray_format) self->format;
          resource.res.linear.numChannels = self->channels;
          resource.res.linear.sizeInBytes
              = self->width * cuda_obj_array_format_get_size (self->format) * self->channels;
        }
      else
        {
          resource.resType = CU_RESOURCE_TYPE_PITCH2D;
          resource.res.pitch2D.devPtr = cuda_obj_buffer_get_handle (self->buffer);
          resource.res.pitch2D.format = (CUarray_format) self->format;
          resource.res.pitch2D.numChannels = self->channels;
          resource.res.pitch2D.width = self->width;
          resource.res.pitch2D.height = self->height;
          resource.res.pitch2D.pitchInBytes = self->pitch;
        }
    }
  drv = cuda_obj_driver_peek ();
  for (guint i = 0; i < 3; i++)
    texture.addressMode[i] = (CUaddress_mode) self->address_mode;
  texture.filterMode = (CUfilter_mode) self->filter_mode;
  if (self->read_mode == CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE)
    texture.flags |= CU_TRSF_READ_AS_INTEGER;
  if (self->normalized_coordinates)
    texture.flags |= CU_TRSF_NORMALIZED_COORDINATES;
  if (self->srgb)
    texture.flags |= CU_TRSF_SRGB;
  if (!cuda_obj_check (drv->cuTexObjectCreate (&self->handle, &resource, &texture, NULL), "cuTexObjectCreate",
                       error))
    {
      self->handle = 0;
      return FALSE;
    }
  self->device = g_object_ref (device);
  self->initialized = TRUE;
  cuda_obj_device_register (self->device, self, invalidate);
  return TRUE;
}

static void
cuda_obj_texture_object_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_texture_object_initable_init;
}

static void
cuda_obj_texture_object_dispose (GObject *object)
{
  CudaObjTextureObject *self = CUDA_OBJ_TEXTURE_OBJECT (object);
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUtexObject handle = self->handle;

  self->handle = 0;
  if (self->initialized)
    cuda_obj_device_unregister (self->device, self);
  if (handle != 0 && drv != NULL && cuda_obj_device_activate (self->device, NULL))
    drv->cuTexObjectDestroy (handle);
  g_clear_object (&self->array);
  g_clear_object (&self->buffer);
  G_OBJECT_CLASS (cuda_obj_texture_object_parent_class)->dispose (object);
}

static void
cuda_obj_texture_object_finalize (GObject *object)
{
  CudaObjTextureObject *self = CUDA_OBJ_TEXTURE_OBJECT (object);

  g_clear_object (&self->device);
  G_OBJECT_CLASS (cuda_obj_texture_object_parent_class)->finalize (object);
}

static void
cuda_obj_texture_object_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjTextureObject *self = CUDA_OBJ_TEXTURE_OBJECT (object);

  switch (prop_id)
    {
    case PROP_ARRAY: g_value_set_object (value, self->array); break;
    case PROP_BUFFER: g_value_set_object (value, self->buffer); break;
    case PROP_FORMAT: g_value_set_enum (value, self->format); break;
    case PROP_CHANNELS: g_value_set_uint (value, self->channels); break;
    case PROP_WIDTH: g_value_set_uint64 (value, self->width); break;
    case PROP_HEIGHT: g_value_set_uint64 (value, self->height); break;
    case PROP_PITCH: g_value_set_uint64 (value, self->pitch); break;
    case PROP_ADDRESS_MODE: g_value_set_enum (value, self->address_mode); break;
    case PROP_FILTER_MODE: g_value_set_enum (value, self->filter_mode); break;
    case PROP_READ_MODE: g_value_set_enum (value, self->read_mode); break;
    case PROP_NORMALIZED_COORDINATES: g_value_set_boolean (value, self->normalized_coordinates); break;
    case PROP_SRGB: g_value_set_boolean (value, self->srgb); break;
    case PROP_HANDLE: g_value_set_uint64 (value, self->handle); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_texture_object_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjTextureObject *self = CUDA_OBJ_TEXTURE_OBJECT (object);

  switch (prop_id)
    {
    case PROP_ARRAY: self->array = g_value_dup_object (value); break;
    case PROP_BUFFER: self->buffer = g_value_dup_object (value); break;
    case PROP_FORMAT: self->format = g_value_get_enum (value); break;
    case PROP_CHANNELS: self->channels = g_value_get_uint (value); break;
    case PROP_WIDTH: self->width = g_value_get_uint64 (value); break;
    case PROP_HEIGHT: self->height = g_value_get_uint64 (value); break;
    case PROP_PITCH: self->pitch = g_value_get_uint64 (value); break;
    case PROP_ADDRESS_MODE: self->address_mode = g_value_get_enum (value); break;
    case PROP_FILTER_MODE: self->filter_mode = g_value_get_enum (value); break;
    case PROP_READ_MODE: self->read_mode = g_value_get_enum (value); break;
    case PROP_NORMALIZED_COORDINATES: self->normalized_coordinates = g_value_get_boolean (value); break;
    case PROP_SRGB: self->srgb = g_value_get_boolean (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define CONSTRUCT \
  (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static void
cuda_obj_texture_object_class_init (CudaObjTextureObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cuda_obj_texture_object_dispose;
  object_class->finalize = cuda_obj_texture_object_finalize;
  object_class->get_property = cuda_obj_texture_object_get_property;
  object_class->set_property = cuda_obj_texture_object_set_property;

  /**
   * CudaObjTextureObject:array: (getter get_array)
   *
   * The array the texture reads, or %NULL for a texture over a buffer.
   *
   * Since: 1.0
   */
  properties[PROP_ARRAY] = g_param_spec_object ("array", NULL, NULL, CUDA_OBJ_TYPE_ARRAY, CONSTRUCT);
  /**
   * CudaObjTextureObject:buffer: (getter get_buffer)
   *
   * The buffer the texture reads, or %NULL for a texture over an array.
   *
   * Since: 1.0
   */
  properties[PROP_BUFFER] = g_param_spec_object ("buffer", NULL, NULL, CUDA_OBJ_TYPE_BUFFER, CONSTRUCT);
  /**
   * CudaObjTextureObject:format: (getter get_format)
   *
   * The type of each channel; a texture over an array takes the array's.
   *
   * Since: 1.0
   */
  properties[PROP_FORMAT] = g_param_spec_enum ("format", NULL, NULL, CUDA_OBJ_TYPE_ARRAY_FORMAT,
                                               CUDA_OBJ_ARRAY_FORMAT_FLOAT, CONSTRUCT);
  /**
   * CudaObjTextureObject:channels: (getter get_channels)
   *
   * The channels of a texel (1, 2 or 4); a texture over an array takes the
   * array's.
   *
   * Since: 1.0
   */
  properties[PROP_CHANNELS] = g_param_spec_uint ("channels", NULL, NULL, 0, G_MAXUINT, 1, CONSTRUCT);
  /**
   * CudaObjTextureObject:width: (getter get_width)
   *
   * The texels in a row (for a linear buffer texture, in all; 0 there
   * means as many as the buffer holds).
   *
   * Since: 1.0
   */
  properties[PROP_WIDTH] = g_param_spec_uint64 ("width", NULL, NULL, 0, G_MAXSIZE, 0, CONSTRUCT);
  /**
   * CudaObjTextureObject:height: (getter get_height)
   *
   * The rows of a 2D texture; 0 for a linear buffer texture.
   *
   * Since: 1.0
   */
  properties[PROP_HEIGHT] = g_param_spec_uint64 ("height", NULL, NULL, 0, G_MAXSIZE, 0, CONSTRUCT);
  /**
   * CudaObjTextureObject:pitch: (getter get_pitch)
   *
   * The bytes from one row to the next of a pitched buffer texture (0:
   * rows packed); the driver wants it a multiple of the device's texture
   * pitch alignment (`CU_DEVICE_ATTRIBUTE_TEXTURE_PITCH_ALIGNMENT`).
   *
   * Since: 1.0
   */
  properties[PROP_PITCH] = g_param_spec_uint64 ("pitch", NULL, NULL, 0, G_MAXSIZE, 0, CONSTRUCT);
  /**
   * CudaObjTextureObject:address-mode: (getter get_address_mode)
   *
   * What reads outside the texture give, in every dimension.
   *
   * Since: 1.0
   */
  properties[PROP_ADDRESS_MODE]
      = g_param_spec_enum ("address-mode", NULL, NULL, CUDA_OBJ_TYPE_TEXTURE_ADDRESS_MODE,
                           CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP, CONSTRUCT);
  /**
   * CudaObjTextureObject:filter-mode: (getter get_filter_mode)
   *
   * How reads between texels are filtered.
   *
   * Since: 1.0
   */
  properties[PROP_FILTER_MODE]
      = g_param_spec_enum ("filter-mode", NULL, NULL, CUDA_OBJ_TYPE_TEXTURE_FILTER_MODE,
                           CUDA_OBJ_TEXTURE_FILTER_MODE_POINT, CONSTRUCT);
  /**
   * CudaObjTextureObject:read-mode: (getter get_read_mode)
   *
   * What reads of integer formats return.
   *
   * Since: 1.0
   */
  properties[PROP_READ_MODE] = g_param_spec_enum ("read-mode", NULL, NULL, CUDA_OBJ_TYPE_TEXTURE_READ_MODE,
                                                  CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE, CONSTRUCT);
  /**
   * CudaObjTextureObject:normalized-coordinates: (getter get_normalized_coordinates)
   *
   * Whether kernels address the texture with coordinates in [0, 1) rather
   * than in texels.
   *
   * Since: 1.0
   */
  properties[PROP_NORMALIZED_COORDINATES]
      = g_param_spec_boolean ("normalized-coordinates", NULL, NULL, FALSE, CONSTRUCT);
  /**
   * CudaObjTextureObject:srgb: (getter get_srgb)
   *
   * Whether 8-bit unsigned texels are converted from sRGB to linear when
   * read as normalized floats (`CU_TRSF_SRGB`).
   *
   * Since: 1.0
   */
  properties[PROP_SRGB] = g_param_spec_boolean ("srgb", NULL, NULL, FALSE, CONSTRUCT);
  /**
   * CudaObjTextureObject:handle: (getter get_handle)
   *
   * The `CUtexObject` (a `cudaTextureObject_t`), 0 when the texture is not
   * initialized or was closed by a reset of its device.
   *
   * Since: 1.0
   */
  properties[PROP_HANDLE] = g_param_spec_uint64 ("handle", NULL, NULL, 0, G_MAXUINT64, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_texture_object_init (CudaObjTextureObject *self)
{
  self->format = CUDA_OBJ_ARRAY_FORMAT_FLOAT;
  self->channels = 1;
  self->address_mode = CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP;
}

/* Enum values outside their type would make g_object_new() warn. */
static gboolean
check_enums (CudaObjArrayFormat format, CudaObjTextureAddressMode address_mode,
             CudaObjTextureFilterMode filter_mode, CudaObjTextureReadMode read_mode, GError **error)
{
  if (cuda_obj_array_format_get_size (format) == 0
      || (guint) address_mode > CUDA_OBJ_TEXTURE_ADDRESS_MODE_BORDER
      || (guint) filter_mode > CUDA_OBJ_TEXTURE_FILTER_MODE_LINEAR
      || (guint) read_mode > CUDA_OBJ_TEXTURE_READ_MODE_NORMALIZED_FLOAT)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "TextureObject: format %d, address mode %d, filter mode %d or read mode %d is out of its "
                   "enumeration",
                   (int) format, (int) address_mode, (int) filter_mode, (int) read_mode);
      return FALSE;
    }
  return TRUE;
}

static CudaObjTextureObject *
init_or_drop (CudaObjTextureObject *self, GError **error)
{
  if (!g_initable_init (G_INITABLE (self), NULL, error))
    {
      g_object_unref (self);
      return NULL;
    }
  return self;
}

/**
 * cuda_obj_texture_object_new_for_array:
 * @array: the array to read
 * @address_mode: what reads outside the array give
 * @filter_mode: how reads between elements are filtered
 * @read_mode: what reads of integer formats return
 * @normalized_coordinates: whether kernels address the texture with
 *   coordinates in [0, 1)
 * @error: return location for an error
 *
 * Creates a texture over an array, with the array's format and channels.
 *
 * Returns: (transfer full): the texture, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a %NULL @array, linear filtering
 *   of integers read as such, wrap or mirror addressing without
 *   normalized coordinates; %CUDA_OBJ_ERROR_NOT_INITIALIZED or
 *   %CUDA_OBJ_ERROR_CLOSED for an array without memory; a
 *   %CUDA_OBJ_DRIVER_ERROR from `cuTexObjectCreate`
 *
 * Since: 1.0
 */
CudaObjTextureObject *
cuda_obj_texture_object_new_for_array (CudaObjArray *array, CudaObjTextureAddressMode address_mode,
                                       CudaObjTextureFilterMode filter_mode, CudaObjTextureReadMode read_mode,
                                       gboolean normalized_coordinates, GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!CUDA_OBJ_IS_ARRAY (array))
    return cuda_obj_set_null_argument (error, G_STRFUNC, "array"), NULL;
  if (!check_enums (CUDA_OBJ_ARRAY_FORMAT_FLOAT, address_mode, filter_mode, read_mode, error))
    return NULL;
  return init_or_drop (g_object_new (CUDA_OBJ_TYPE_TEXTURE_OBJECT, "array", array, "address-mode",
                                     address_mode, "filter-mode", filter_mode, "read-mode", read_mode,
                                     "normalized-coordinates", normalized_coordinates, NULL),
                       error);
}

/**
 * cuda_obj_texture_object_new_for_pitched_buffer:
 * @buffer: the buffer holding the image
 * @format: the type of each channel
 * @channels: the channels of a texel: 1, 2 or 4
 * @width: the texels in a row
 * @height: the rows, at least 1
 * @pitch: the bytes from one row to the next, or 0 for rows packed; the
 *   driver wants a multiple of the device's texture pitch alignment
 * @address_mode: what reads outside the image give
 * @filter_mode: how reads between texels are filtered
 * @read_mode: what reads of integer formats return
 * @normalized_coordinates: whether kernels address the texture with
 *   coordinates in [0, 1)
 * @error: return location for an error
 *
 * Creates a 2D texture over an image in a buffer, which the texture keeps
 * alive. Close the buffer only once no kernel samples the texture any more.
 *
 * Returns: (transfer full): the texture, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a %NULL @buffer, a format or
 *   channel count that is none, a zero @width or @height, a @pitch shorter
 *   than a row, an image larger than @buffer, and as for
 *   [ctor@CudaObj.TextureObject.new_for_array]; %CUDA_OBJ_ERROR_CLOSED for
 *   a closed buffer; a %CUDA_OBJ_DRIVER_ERROR from `cuTexObjectCreate` (a
 *   misaligned pitch)
 *
 * Since: 1.0
 */
CudaObjTextureObject *
cuda_obj_texture_object_new_for_pitched_buffer (CudaObjBuffer *buffer, CudaObjArrayFormat format,
                                                guint channels, gsize width, gsize height, gsize pitch,
                                                CudaObjTextureAddressMode address_mode,
                                                CudaObjTextureFilterMode filter_mode,
                                                CudaObjTextureReadMode read_mode,
                                                gboolean normalized_coordinates, GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!CUDA_OBJ_IS_BUFFER (buffer))
    return cuda_obj_set_null_argument (error, G_STRFUNC, "buffer"), NULL;
  if (!check_enums (format, address_mode, filter_mode, read_mode, error))
    return NULL;
  if (width == 0 || height == 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "TextureObject.new_for_pitched_buffer: %" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT
                   " texels; a 2D texture has at least 1 x 1",
                   width, height);
      return NULL;
    }
  return init_or_drop (g_object_new (CUDA_OBJ_TYPE_TEXTURE_OBJECT, "buffer", buffer, "format", format,
                                     "channels", channels, "width", (guint64) width, "height",
                                     (guint64) height, "pitch", (guint64) pitch, "address-mode", address_mode,
                                     "filter-mode", filter_mode, "read-mode", read_mode,
                                     "normalized-coordinates", normalized_coordinates, NULL),
                       error);
}

/**
 * cuda_obj_texture_object_new_for_linear_buffer:
 * @buffer: the buffer to read
 * @format: the type of each channel
 * @channels: the channels of a texel: 1, 2 or 4
 * @width: the texels, or 0 for as many as @buffer holds
 * @read_mode: what reads of integer formats return
 * @error: return location for an error
 *
 * Creates a 1D texture over a buffer, read in kernels with
 * `tex1Dfetch<T> (texture, index)` at element indices (no filtering),
 * which goes through the texture cache. The texture keeps @buffer alive.
 *
 * Returns: (transfer full): the texture, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a %NULL @buffer, a format or
 *   channel count that is none, more texels than @buffer holds;
 *   %CUDA_OBJ_ERROR_CLOSED for a closed buffer; a %CUDA_OBJ_DRIVER_ERROR
 *   from `cuTexObjectCreate` (more texels than the device's maximum)
 *
 * Since: 1.0
 */
CudaObjTextureObject *
cuda_obj_texture_object_new_for_linear_buffer (CudaObjBuffer *buffer, CudaObjArrayFormat format,
                                               guint channels, gsize width, CudaObjTextureReadMode read_mode,
                                               GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!CUDA_OBJ_IS_BUFFER (buffer))
    return cuda_obj_set_null_argument (error, G_STRFUNC, "buffer"), NULL;
  if (!check_enums (format, CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP, CUDA_OBJ_TEXTURE_FILTER_MODE_POINT,
                    read_mode, error))
    return NULL;
  return init_or_drop (g_object_new (CUDA_OBJ_TYPE_TEXTURE_OBJECT, "buffer", buffer, "format", format,
                                     "channels", channels, "width", (guint64) width, "read-mode", read_mode,
                                     NULL),
                       error);
}

CUtexObject
cuda_obj_texture_object_peek_handle (CudaObjTextureObject *self, GError **error)
{
  if (G_UNLIKELY (self->handle == 0))
    {
      if (self->reset)
        cuda_obj_device_set_reset_error (self->device, "TextureObject", error);
      else
        g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
                             "TextureObject is not initialized: its construction failed or g_initable_init() "
                             "was not called");
      return 0;
    }
  if (self->buffer != NULL && cuda_obj_buffer_get_closed (self->buffer))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED,
                           "TextureObject: the buffer it reads is closed");
      return 0;
    }
  return self->handle;
}

/**
 * cuda_obj_texture_object_get_handle:
 * @self: a texture
 *
 * Gives [property@CudaObj.TextureObject:handle].
 *
 * Returns: the `CUtexObject`, or 0
 *
 * Since: 1.0
 */
guint64
cuda_obj_texture_object_get_handle (CudaObjTextureObject *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TEXTURE_OBJECT (self), 0);
  return self->handle;
}

/**
 * cuda_obj_texture_object_get_array:
 * @self: a texture
 *
 * Gives [property@CudaObj.TextureObject:array].
 *
 * Returns: (transfer none) (nullable): the array read, or %NULL
 *
 * Since: 1.0
 */
CudaObjArray *
cuda_obj_texture_object_get_array (CudaObjTextureObject *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TEXTURE_OBJECT (self), NULL);
  return self->array;
}

/**
 * cuda_obj_texture_object_get_buffer:
 * @self: a texture
 *
 * Gives [property@CudaObj.TextureObject:buffer].
 *
 * Returns: (transfer none) (nullable): the buffer read, or %NULL
 *
 * Since: 1.0
 */
CudaObjBuffer *
cuda_obj_texture_object_get_buffer (CudaObjTextureObject *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TEXTURE_OBJECT (self), NULL);
  return self->buffer;
}

/**
 * cuda_obj_texture_object_get_format:
 * @self: a texture
 *
 * Gives [property@CudaObj.TextureObject:format].
 *
 * Returns: the type of each channel
 *
 * Since: 1.0
 */
CudaObjArrayFormat
cuda_obj_texture_object_get_format (CudaObjTextureObject *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TEXTURE_OBJECT (self), CUDA_OBJ_ARRAY_FORMAT_FLOAT);
  return self->format;
}

/**
 * cuda_obj_texture_object_get_channels:
 * @self: a texture
 *
 * Gives [property@CudaObj.TextureObject:channels].
 *
 * Returns: the channels of a texel
 *
 * Since: 1.0
 */
guint
cuda_obj_texture_object_get_channels (CudaObjTextureObject *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TEXTURE_OBJECT (self), 0);
  return self->channels;
}

/**
 * cuda_obj_texture_object_get_width:
 * @self: a texture
 *
 * Gives [property@CudaObj.TextureObject:width].
 *
 * Returns: the texels in a row
 *
 * Since: 1.0
 */
gsize
cuda_obj_texture_object_get_width (CudaObjTextureObject *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TEXTURE_OBJECT (self), 0);
  return self->width;
}

/**
 * cuda_obj_texture_object_get_height:
 * @self: a texture
 *
 * Gives [property@CudaObj.TextureObject:height].
 *
 * Returns: the rows, 0 for a linear or 1D texture
 *
 * Since: 1.0
 */
gsize
cuda_obj_texture_object_get_height (CudaObjTextureObject *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TEXTURE_OBJECT (self), 0);
  return self->height;
}

/**
 * cuda_obj_texture_object_get_pitch:
 * @self: a texture
 *
 * Gives [property@CudaObj.TextureObject:pitch].
 *
 * Returns: the bytes between rows of a pitched buffer texture, else 0
 *
 * Since: 1.0
 */
gsize
cuda_obj_texture_object_get_pitch (CudaObjTextureObject *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TEXTURE_OBJECT (self), 0);
  return self->pitch;
}

/**
 * cuda_obj_texture_object_get_address_mode:
 * @self: a texture
 *
 * Gives [property@CudaObj.TextureObject:address-mode].
 *
 * Returns: what reads outside the texture give
 *
 * Since: 1.0
 */
CudaObjTextureAddressMode
cuda_obj_texture_object_get_address_mode (CudaObjTextureObject *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TEXTURE_OBJECT (self), CUDA_OBJ_TEXTURE_ADDRESS_MODE_CLAMP);
  return self->address_mode;
}

/**
 * cuda_obj_texture_object_get_filter_mode:
 * @self: a texture
 *
 * Gives [property@CudaObj.TextureObject:filter-mode].
 *
 * Returns: how reads between texels are filtered
 *
 * Since: 1.0
 */
CudaObjTextureFilterMode
cuda_obj_texture_object_get_filter_mode (CudaObjTextureObject *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TEXTURE_OBJECT (self), CUDA_OBJ_TEXTURE_FILTER_MODE_POINT);
  return self->filter_mode;
}

/**
 * cuda_obj_texture_object_get_read_mode:
 * @self: a texture
 *
 * Gives [property@CudaObj.TextureObject:read-mode].
 *
 * Returns: what reads of integer formats return
 *
 * Since: 1.0
 */
CudaObjTextureReadMode
cuda_obj_texture_object_get_read_mode (CudaObjTextureObject *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TEXTURE_OBJECT (self), CUDA_OBJ_TEXTURE_READ_MODE_ELEMENT_TYPE);
  return self->read_mode;
}

/**
 * cuda_obj_texture_object_get_normalized_coordinates:
 * @self: a texture
 *
 * Gives [property@CudaObj.TextureObject:normalized-coordinates].
 *
 * Returns: whether coordinates are normalized
 *
 * Since: 1.0
 */
gboolean
cuda_obj_texture_object_get_normalized_coordinates (CudaObjTextureObject *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TEXTURE_OBJECT (self), FALSE);
  return self->normalized_coordinates;
}

/**
 * cuda_obj_texture_object_get_srgb:
 * @self: a texture
 *
 * Gives [property@CudaObj.TextureObject:srgb].
 *
 * Returns: whether reads convert from sRGB
 *
 * Since: 1.0
 */
gboolean
cuda_obj_texture_object_get_srgb (CudaObjTextureObject *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_TEXTURE_OBJECT (self), FALSE);
  return self->srgb;
}
