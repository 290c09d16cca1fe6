/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: an OpenGL buffer object or texture registered with CUDA.
 *
 * libcudaobj links no GL library and includes no GL header: the caller
 * names its GL objects by their integer names and targets, and its GL
 * context is current on the calling thread around registration, mapping
 * and unregistration (what the driver requires). The Buffer handed out for
 * a mapped buffer object is closed by unmap, so that a stale pointer gives
 * CUDA_OBJ_ERROR_CLOSED rather than a fault; so are the Arrays handed out
 * for a mapped image. */
#include "config.h"

#include "cudaobj-graphics-resource.h"
#include "cudaobj-error-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-stream-private.h"
#include "cudaobj-array-private.h"

G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPHICS_REGISTER_READ_ONLY == CU_GRAPHICS_REGISTER_FLAGS_READ_ONLY);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPHICS_REGISTER_WRITE_DISCARD == CU_GRAPHICS_REGISTER_FLAGS_WRITE_DISCARD);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPHICS_REGISTER_SURFACE_LOAD_STORE
                 == CU_GRAPHICS_REGISTER_FLAGS_SURFACE_LDST);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPHICS_REGISTER_TEXTURE_GATHER
                 == CU_GRAPHICS_REGISTER_FLAGS_TEXTURE_GATHER);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPHICS_MAP_READ_WRITE == CU_GRAPHICS_MAP_RESOURCE_FLAGS_NONE);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPHICS_MAP_READ_ONLY == CU_GRAPHICS_MAP_RESOURCE_FLAGS_READ_ONLY);
G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPHICS_MAP_WRITE_DISCARD == CU_GRAPHICS_MAP_RESOURCE_FLAGS_WRITE_DISCARD);

/* The GL targets cuGraphicsGLRegisterImage accepts (values from the GL
 * registry, which libcudaobj does not include). */
static const struct
{
  guint target;
  const char *name;
} image_targets[] = {
  { 0x0DE1, "GL_TEXTURE_2D" }, { 0x84F5, "GL_TEXTURE_RECTANGLE" }, { 0x8513, "GL_TEXTURE_CUBE_MAP" },
  { 0x806F, "GL_TEXTURE_3D" }, { 0x8C1A, "GL_TEXTURE_2D_ARRAY" },  { 0x8D41, "GL_RENDERBUFFER" },
};

#define ALL_REGISTER_FLAGS                                                         \
  (CUDA_OBJ_GRAPHICS_REGISTER_READ_ONLY | CUDA_OBJ_GRAPHICS_REGISTER_WRITE_DISCARD \
   | CUDA_OBJ_GRAPHICS_REGISTER_SURFACE_LOAD_STORE | CUDA_OBJ_GRAPHICS_REGISTER_TEXTURE_GATHER)
#define IMAGE_ONLY_FLAGS \
  (CUDA_OBJ_GRAPHICS_REGISTER_SURFACE_LOAD_STORE | CUDA_OBJ_GRAPHICS_REGISTER_TEXTURE_GATHER)

struct _CudaObjGraphicsResource
{
  GObject parent_instance;

  CudaObjDevice *device; /* owned */
  CudaObjGraphicsResourceKind kind;
  guint gl_name;
  guint gl_target;
  CudaObjGraphicsRegisterFlags flags;

  CUgraphicsResource handle;    /* NULL until registered and once closed */
  CudaObjBuffer *mapped_buffer; /* owned, nullable: made on demand while mapped */
  GArray *mapped_arrays;        /* of MappedArray, made on demand while mapped */
  gboolean mapped;
  gboolean initialized;
  gboolean reset; /* a reset of the device took the handle */
};

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_KIND,
  PROP_GL_NAME,
  PROP_GL_TARGET,
  PROP_REGISTER_FLAGS,
  PROP_MAPPED,
  PROP_CLOSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  guint array_index;
  guint mip_level;
  CudaObjArray *array; /* owned */
} MappedArray;

static void cuda_obj_graphics_resource_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjGraphicsResource:
 *
 * An OpenGL buffer object or texture that CUDA kernels and copies can use
 * in place, without a copy through the host.
 *
 * Register a GL buffer object with
 * [ctor@CudaObj.GraphicsResource.new_from_gl_buffer] or a texture or
 * renderbuffer with [ctor@CudaObj.GraphicsResource.new_from_gl_image]. Then,
 * for every frame: [method@CudaObj.GraphicsResource.map] hands the resource
 * to CUDA (GL must not use it while mapped),
 * [method@CudaObj.GraphicsResource.get_mapped_buffer] or
 * [method@CudaObj.GraphicsResource.get_mapped_array] give what kernels
 * use, and [method@CudaObj.GraphicsResource.unmap] gives it back to
 * GL, ordered after the work on the stream.
 *
 * ```c
 * // GL context current, texture allocated with glTexImage2D (GL_RGBA8)
 * g_autoptr (CudaObjGraphicsResource) res
 *   = cuda_obj_graphics_resource_new_from_gl_image (device, texture, GL_TEXTURE_2D,
 *                                                   CUDA_OBJ_GRAPHICS_REGISTER_SURFACE_LOAD_STORE,
 *                                                   &error);
 * cuda_obj_graphics_resource_map (res, stream, &error);
 * g_autoptr (CudaObjArray) array = cuda_obj_graphics_resource_get_mapped_array (res, 0, 0, &error);
 * // ... a kernel writes the array through a surface object, or a copy fills it ...
 * cuda_obj_graphics_resource_unmap (res, stream, &error);
 * ```
 *
 * libcudaobj does not link OpenGL: GL objects are given by their names
 * (`GLuint`) and texture targets by their `GLenum` values. The GL context
 * that owns the object must be current on the calling thread when the
 * resource is registered, mapped, unmapped and closed, and the CUDA device
 * must be the one that runs that GL context. The resource lives in the
 * device's primary context; streams given to map and unmap must belong to
 * the same device.
 *
 * [method@CudaObj.GraphicsResource.close] unregisters the resource; do it
 * while the GL object still exists. A resource made with a plain
 * constructor and never initialized fails with
 * %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjGraphicsResource, cuda_obj_graphics_resource, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_graphics_resource_initable_iface_init))

/* Device reset: the registration died with the context; never unregister it. */
static void
invalidate (gpointer object)
{
  CudaObjGraphicsResource *self = object;

  if (self->handle != NULL)
    {
      self->handle = NULL;
      self->mapped = FALSE;
      self->reset = TRUE;
    }
}

static const char *
image_target_name (guint target)
{
  for (gsize i = 0; i < G_N_ELEMENTS (image_targets); i++)
    if (image_targets[i].target == target)
      return image_targets[i].name;
  return NULL;
}

/* Everything that can be checked without the driver, first. */
static gboolean
check_registration (CudaObjGraphicsResource *self, GError **error)
{
  const char *what = self->kind == CUDA_OBJ_GRAPHICS_RESOURCE_GL_BUFFER ? "GL buffer object" : "GL image";

  if (self->gl_name == 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "GraphicsResource: 0 is not a %s name: give a name made by the GL context", what);
      return FALSE;
    }
  if ((self->flags & CUDA_OBJ_GRAPHICS_REGISTER_READ_ONLY)
      && (self->flags & CUDA_OBJ_GRAPHICS_REGISTER_WRITE_DISCARD))
    {
      g_set_error_literal (
          error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
          "GraphicsResource: READ_ONLY and WRITE_DISCARD exclude each other: give one of them");
      return FALSE;
    }
  if (self->kind == CUDA_OBJ_GRAPHICS_RESOURCE_GL_BUFFER)
    {
      if ((self->flags & IMAGE_ONLY_FLAGS) != 0)
        {
          g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                               "GraphicsResource: SURFACE_LOAD_STORE and TEXTURE_GATHER are for GL images; "
                               "a GL buffer object takes NONE, READ_ONLY or WRITE_DISCARD");
          return FALSE;
        }
      return TRUE;
    }
  if (image_target_name (self->gl_target) == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "GraphicsResource: GL target 0x%04x cannot be registered: give GL_TEXTURE_2D, "
                   "GL_TEXTURE_RECTANGLE, GL_TEXTURE_CUBE_MAP, GL_TEXTURE_3D, GL_TEXTURE_2D_ARRAY "
                   "or GL_RENDERBUFFER",
                   self->gl_target);
      return FALSE;
    }
  return TRUE;
}

static gboolean
cuda_obj_graphics_resource_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjGraphicsResource *self = CUDA_OBJ_GRAPHICS_RESOURCE (initable);
  const CudaObjDriver *drv;
  CUresult result;

  if (self->initialized)
    return TRUE;
  if (!check_registration (self, error)
      || !cuda_obj_device_require (self->device, "GraphicsResource", "device", error))
    return FALSE;
  drv = cuda_obj_driver_get (error);
  if (drv == NULL || !cuda_obj_device_activate (self->device, error))
    return FALSE;
  if (self->kind == CUDA_OBJ_GRAPHICS_RESOURCE_GL_BUFFER)
    result = drv->cuGraphicsGLRegisterBuffer (&self->handle, self->gl_name, self->flags);
  else
    result = drv->cuGraphicsGLRegisterImage (&self->handle, self->gl_name, self->gl_target, self->flags);
  if (result == CUDA_ERROR_INVALID_GRAPHICS_CONTEXT)
    {
      self->handle = NULL;
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                           "GraphicsResource: no OpenGL context is current on this thread, or it does not "
                           "run on this CUDA device: make the GL context current first");
      return FALSE;
    }
  if (!cuda_obj_check (result,
                       self->kind == CUDA_OBJ_GRAPHICS_RESOURCE_GL_BUFFER ? "cuGraphicsGLRegisterBuffer"
                                                                          : "cuGraphicsGLRegisterImage",
                       error))
    {
      self->handle = NULL;
      return FALSE;
    }
  self->initialized = TRUE;
  cuda_obj_device_register (self->device, self, invalidate);
  return TRUE;
}

static void
cuda_obj_graphics_resource_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_graphics_resource_initable_init;
}

static gboolean
require_open (CudaObjGraphicsResource *self, const char *func, GError **error)
{
  if (G_UNLIKELY (!self->initialized))
    return cuda_obj_set_not_initialized (error, self, func);
  if (G_UNLIKELY (self->handle == NULL))
    {
      if (self->reset)
        cuda_obj_device_set_reset_error (self->device, "GraphicsResource", error);
      else
        g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "%s: the GraphicsResource is closed",
                     func);
      return FALSE;
    }
  return TRUE;
}

static gboolean
require_mapped (CudaObjGraphicsResource *self, const char *func, GError **error)
{
  if (!require_open (self, func, error))
    return FALSE;
  if (!self->mapped)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: the GraphicsResource is not mapped: call cuda_obj_graphics_resource_map() first",
                   func);
      return FALSE;
    }
  return TRUE;
}

/* The stream's CUstream, for @self's device; the legacy default stream for NULL. */
static gboolean
prepare_stream (CudaObjGraphicsResource *self, CudaObjStream *stream, const char *func, CUstream *handle,
                GError **error)
{
  if (stream != NULL && cuda_obj_stream_get_device (stream) != NULL
      && cuda_obj_stream_get_device (stream) != self->device)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: the stream belongs to device %u, the GraphicsResource to device %u", func,
                   cuda_obj_device_get_ordinal (cuda_obj_stream_get_device (stream)),
                   cuda_obj_device_get_ordinal (self->device));
      return FALSE;
    }
  return cuda_obj_stream_prepare_for_device (stream, self->device, handle, error);
}

/* Unmap done: the Buffer and the Arrays over the mapping are stale. */
static void
drop_mapped (CudaObjGraphicsResource *self)
{
  if (self->mapped_buffer != NULL)
    {
      cuda_obj_buffer_close (self->mapped_buffer, NULL, NULL);
      g_clear_object (&self->mapped_buffer);
    }
  for (guint i = 0; i < self->mapped_arrays->len; i++)
    {
      MappedArray *mapped = &g_array_index (self->mapped_arrays, MappedArray, i);

      cuda_obj_array_forget (mapped->array);
      g_clear_object (&mapped->array);
    }
  g_array_set_size (self->mapped_arrays, 0);
}

static void
cuda_obj_graphics_resource_dispose (GObject *object)
{
  CudaObjGraphicsResource *self = CUDA_OBJ_GRAPHICS_RESOURCE (object);

  if (self->initialized)
    cuda_obj_device_unregister (self->device, self);
  drop_mapped (self);
  /* Best effort: an explicit close reports what goes wrong. */
  if (self->handle != NULL)
    cuda_obj_graphics_resource_close (self, NULL);
  G_OBJECT_CLASS (cuda_obj_graphics_resource_parent_class)->dispose (object);
}

static void
cuda_obj_graphics_resource_finalize (GObject *object)
{
  CudaObjGraphicsResource *self = CUDA_OBJ_GRAPHICS_RESOURCE (object);

  g_clear_object (&self->device);
  g_array_unref (self->mapped_arrays);
  G_OBJECT_CLASS (cuda_obj_graphics_resource_parent_class)->finalize (object);
}

static void
cuda_obj_graphics_resource_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjGraphicsResource *self = CUDA_OBJ_GRAPHICS_RESOURCE (object);

  switch (prop_id)
    {
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_KIND: g_value_set_enum (value, self->kind); break;
    case PROP_GL_NAME: g_value_set_uint (value, self->gl_name); break;
    case PROP_GL_TARGET: g_value_set_uint (value, self->gl_target); break;
    case PROP_REGISTER_FLAGS: g_value_set_flags (value, self->flags); break;
    case PROP_MAPPED: g_value_set_boolean (value, cuda_obj_graphics_resource_get_mapped (self)); break;
    case PROP_CLOSED: g_value_set_boolean (value, cuda_obj_graphics_resource_get_closed (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_graphics_resource_set_property (GObject *object, guint prop_id, const GValue *value,
                                         GParamSpec *pspec)
{
  CudaObjGraphicsResource *self = CUDA_OBJ_GRAPHICS_RESOURCE (object);

  switch (prop_id)
    {
    case PROP_DEVICE: self->device = g_value_dup_object (value); break;
    case PROP_KIND: self->kind = g_value_get_enum (value); break;
    case PROP_GL_NAME: self->gl_name = g_value_get_uint (value); break;
    case PROP_GL_TARGET: self->gl_target = g_value_get_uint (value); break;
    case PROP_REGISTER_FLAGS: self->flags = g_value_get_flags (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define CONSTRUCT_ONLY \
  (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)
#define READ_ONLY (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static void
cuda_obj_graphics_resource_class_init (CudaObjGraphicsResourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cuda_obj_graphics_resource_dispose;
  object_class->finalize = cuda_obj_graphics_resource_finalize;
  object_class->get_property = cuda_obj_graphics_resource_get_property;
  object_class->set_property = cuda_obj_graphics_resource_set_property;

  /**
   * CudaObjGraphicsResource:device:
   *
   * The device that runs the GL context, whose primary context holds the
   * registration.
   *
   * Read it with [method@CudaObj.GraphicsResource.get_device].
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE] = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE, CONSTRUCT_ONLY);
  /**
   * CudaObjGraphicsResource:kind:
   *
   * What the resource was registered from: a GL buffer object or a GL image.
   *
   * Read it with [method@CudaObj.GraphicsResource.get_kind].
   *
   * Since: 1.0
   */
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, CUDA_OBJ_TYPE_GRAPHICS_RESOURCE_KIND,
                                             CUDA_OBJ_GRAPHICS_RESOURCE_GL_BUFFER, CONSTRUCT_ONLY);
  /**
   * CudaObjGraphicsResource:gl-name:
   *
   * The name of the GL buffer object, texture or renderbuffer.
   *
   * Read it with [method@CudaObj.GraphicsResource.get_gl_name].
   *
   * Since: 1.0
   */
  properties[PROP_GL_NAME] = g_param_spec_uint ("gl-name", NULL, NULL, 0, G_MAXUINT, 0, CONSTRUCT_ONLY);
  /**
   * CudaObjGraphicsResource:gl-target:
   *
   * For a GL image, its target as a `GLenum` value (`GL_TEXTURE_2D`,
   * `GL_RENDERBUFFER`, ...); 0 for a buffer object.
   *
   * Read it with [method@CudaObj.GraphicsResource.get_gl_target].
   *
   * Since: 1.0
   */
  properties[PROP_GL_TARGET] = g_param_spec_uint ("gl-target", NULL, NULL, 0, G_MAXUINT, 0, CONSTRUCT_ONLY);
  /**
   * CudaObjGraphicsResource:register-flags:
   *
   * How CUDA will use the resource.
   *
   * Read it with [method@CudaObj.GraphicsResource.get_register_flags].
   *
   * Since: 1.0
   */
  properties[PROP_REGISTER_FLAGS]
      = g_param_spec_flags ("register-flags", NULL, NULL, CUDA_OBJ_TYPE_GRAPHICS_REGISTER_FLAGS,
                            CUDA_OBJ_GRAPHICS_REGISTER_NONE, CONSTRUCT_ONLY);
  /**
   * CudaObjGraphicsResource:mapped:
   *
   * Whether CUDA has the resource now, between
   * [method@CudaObj.GraphicsResource.map] and
   * [method@CudaObj.GraphicsResource.unmap].
   *
   * Read it with [method@CudaObj.GraphicsResource.get_mapped].
   *
   * Since: 1.0
   */
  properties[PROP_MAPPED] = g_param_spec_boolean ("mapped", NULL, NULL, FALSE, READ_ONLY);
  /**
   * CudaObjGraphicsResource:closed:
   *
   * Whether the resource was unregistered by
   * [method@CudaObj.GraphicsResource.close] (or never registered).
   *
   * Read it with [method@CudaObj.GraphicsResource.get_closed].
   *
   * Since: 1.0
   */
  properties[PROP_CLOSED] = g_param_spec_boolean ("closed", NULL, NULL, TRUE, READ_ONLY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_graphics_resource_init (CudaObjGraphicsResource *self)
{
  self->mapped_arrays = g_array_new (FALSE, FALSE, sizeof (MappedArray));
}

/* The property refuses unknown bits with a warning: the constructors
 * check them first, so that bindings get an error instead. */
static gboolean
check_flag_bits (guint flags, GError **error)
{
  if ((flags & ~ALL_REGISTER_FLAGS) == 0)
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
               "GraphicsResource: unknown register flags 0x%x", flags & ~ALL_REGISTER_FLAGS);
  return FALSE;
}

/**
 * cuda_obj_graphics_resource_new_from_gl_buffer:
 * @device: the device that runs the current GL context
 * @buffer: the name of a GL buffer object with storage
 * @flags: how CUDA will use it: %CUDA_OBJ_GRAPHICS_REGISTER_NONE,
 *   %CUDA_OBJ_GRAPHICS_REGISTER_READ_ONLY or
 *   %CUDA_OBJ_GRAPHICS_REGISTER_WRITE_DISCARD
 * @error: return location for an error
 *
 * Registers a GL buffer object with CUDA (`cuGraphicsGLRegisterBuffer`).
 * The GL context that owns @buffer must be current on the calling thread.
 * Once mapped, [method@CudaObj.GraphicsResource.get_mapped_buffer] gives
 * its memory.
 *
 * Returns: (transfer full): the resource, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_NOT_SUPPORTED when no usable GL context is current)
 *
 * Since: 1.0
 */
CudaObjGraphicsResource *
cuda_obj_graphics_resource_new_from_gl_buffer (CudaObjDevice *device, guint buffer,
                                               CudaObjGraphicsRegisterFlags flags, GError **error)
{
  if (!check_flag_bits (flags, error))
    return NULL;
  return g_initable_new (CUDA_OBJ_TYPE_GRAPHICS_RESOURCE, NULL, error, "device", device, "kind",
                         CUDA_OBJ_GRAPHICS_RESOURCE_GL_BUFFER, "gl-name", buffer, "register-flags", flags,
                         NULL);
}

/**
 * cuda_obj_graphics_resource_new_from_gl_image:
 * @device: the device that runs the current GL context
 * @image: the name of a GL texture or renderbuffer with storage
 * @target: its target, a `GLenum` value: `GL_TEXTURE_2D` (0x0DE1),
 *   `GL_TEXTURE_RECTANGLE`, `GL_TEXTURE_CUBE_MAP`, `GL_TEXTURE_3D`,
 *   `GL_TEXTURE_2D_ARRAY` or `GL_RENDERBUFFER` (0x8D41)
 * @flags: how CUDA will use it; kernels that write it through a surface
 *   object need %CUDA_OBJ_GRAPHICS_REGISTER_SURFACE_LOAD_STORE
 * @error: return location for an error
 *
 * Registers a GL texture or renderbuffer with CUDA
 * (`cuGraphicsGLRegisterImage`). The GL context that owns @image must be
 * current on the calling thread. Once mapped,
 * [method@CudaObj.GraphicsResource.get_mapped_array] gives its
 * CUDA arrays.
 *
 * Returns: (transfer full): the resource, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_NOT_SUPPORTED when no usable GL context is current)
 *
 * Since: 1.0
 */
CudaObjGraphicsResource *
cuda_obj_graphics_resource_new_from_gl_image (CudaObjDevice *device, guint image, guint target,
                                              CudaObjGraphicsRegisterFlags flags, GError **error)
{
  if (!check_flag_bits (flags, error))
    return NULL;
  return g_initable_new (CUDA_OBJ_TYPE_GRAPHICS_RESOURCE, NULL, error, "device", device, "kind",
                         CUDA_OBJ_GRAPHICS_RESOURCE_GL_IMAGE, "gl-name", image, "gl-target", target,
                         "register-flags", flags, NULL);
}

/**
 * cuda_obj_graphics_resource_map:
 * @self: a [class@CudaObj.GraphicsResource]
 * @stream: (nullable): the stream that orders the mapping after GL's work
 *   and before the work submitted to it next; %NULL for the legacy default
 *   stream of the device
 * @error: return location for an error
 *
 * Hands the resource to CUDA (`cuGraphicsMapResources`): GL work issued
 * before finishes first, and GL must not touch the object until
 * [method@CudaObj.GraphicsResource.unmap]. The GL context must be current.
 *
 * Returns: %TRUE when mapped; %FALSE with @error set, also when it was
 *   mapped already
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graphics_resource_map (CudaObjGraphicsResource *self, CudaObjStream *stream, GError **error)
{
  CUstream handle;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPHICS_RESOURCE (self), FALSE);
  if (!require_open (self, G_STRFUNC, error))
    return FALSE;
  if (self->mapped)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "cuda_obj_graphics_resource_map: the GraphicsResource is mapped already: "
                           "unmap it first");
      return FALSE;
    }
  if (!prepare_stream (self, stream, G_STRFUNC, &handle, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuGraphicsMapResources (1, &self->handle, handle),
                          "cuGraphicsMapResources", error))
    return FALSE;
  self->mapped = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAPPED]);
  return TRUE;
}

/**
 * cuda_obj_graphics_resource_unmap:
 * @self: a [class@CudaObj.GraphicsResource]
 * @stream: (nullable): the stream whose work on the resource finishes
 *   before GL uses it again; %NULL for the legacy default stream of the device
 * @error: return location for an error
 *
 * Gives the resource back to GL (`cuGraphicsUnmapResources`). The
 * [class@CudaObj.Buffer] that
 * [method@CudaObj.GraphicsResource.get_mapped_buffer] gave is closed, as
 * are the [class@CudaObj.Array]s, and array handles are no longer valid. The GL context must be current.
 *
 * Returns: %TRUE when unmapped; %FALSE with @error set, also when it was
 *   not mapped
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graphics_resource_unmap (CudaObjGraphicsResource *self, CudaObjStream *stream, GError **error)
{
  CUstream handle;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPHICS_RESOURCE (self), FALSE);
  if (!require_mapped (self, G_STRFUNC, error) || !prepare_stream (self, stream, G_STRFUNC, &handle, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuGraphicsUnmapResources (1, &self->handle, handle),
                          "cuGraphicsUnmapResources", error))
    return FALSE;
  self->mapped = FALSE;
  drop_mapped (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAPPED]);
  return TRUE;
}

/**
 * cuda_obj_graphics_resource_get_mapped_buffer:
 * @self: a mapped [class@CudaObj.GraphicsResource] of a GL buffer object
 * @error: return location for an error
 *
 * Gives the memory of a mapped GL buffer object as a [class@CudaObj.Buffer]
 * (`cuGraphicsResourceGetMappedPointer`), valid until
 * [method@CudaObj.GraphicsResource.unmap], which closes it. Asked again
 * while mapped, it gives the same buffer.
 *
 * Returns: (transfer full): the buffer, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjBuffer *
cuda_obj_graphics_resource_get_mapped_buffer (CudaObjGraphicsResource *self, GError **error)
{
  CUdeviceptr address = 0;
  size_t size = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPHICS_RESOURCE (self), NULL);
  if (!require_mapped (self, G_STRFUNC, error))
    return NULL;
  if (self->kind != CUDA_OBJ_GRAPHICS_RESOURCE_GL_BUFFER)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "cuda_obj_graphics_resource_get_mapped_buffer: a GL image maps to CUDA arrays, "
                           "not memory: use cuda_obj_graphics_resource_get_mapped_array()");
      return NULL;
    }
  if (self->mapped_buffer == NULL)
    {
      if (!cuda_obj_device_activate (self->device, error)
          || !cuda_obj_check (
              cuda_obj_driver_peek ()->cuGraphicsResourceGetMappedPointer (&address, &size, self->handle),
              "cuGraphicsResourceGetMappedPointer", error))
        return NULL;
      self->mapped_buffer = cuda_obj_buffer_new_from_handle (self->device, address, size, NULL, error);
      if (self->mapped_buffer == NULL)
        return NULL;
    }
  return g_object_ref (self->mapped_buffer);
}

/* The CUarray of a mapped image's sub-resource, checked. */
static CUarray
get_mapped_array (CudaObjGraphicsResource *self, guint array_index, guint mip_level, const char *func,
                  GError **error)
{
  CUarray array = NULL;

  if (!require_mapped (self, func, error))
    return NULL;
  if (self->kind != CUDA_OBJ_GRAPHICS_RESOURCE_GL_IMAGE)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: a GL buffer object maps to memory, not arrays: use "
                   "cuda_obj_graphics_resource_get_mapped_buffer()",
                   func);
      return NULL;
    }
  if (!cuda_obj_device_activate (self->device, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuGraphicsSubResourceGetMappedArray (
                              &array, self->handle, array_index, mip_level),
                          "cuGraphicsSubResourceGetMappedArray", error))
    return NULL;
  return array;
}

/**
 * cuda_obj_graphics_resource_get_mapped_array:
 * @self: a mapped [class@CudaObj.GraphicsResource] of a GL image
 * @array_index: the layer of an array texture, or the face of a cube map
 *   (`CUarray_cubemap_face`); 0 otherwise
 * @mip_level: the mipmap level; 0 for the base level
 * @error: return location for an error
 *
 * Gives one CUDA array of a mapped GL image
 * (`cuGraphicsSubResourceGetMappedArray`) as a [class@CudaObj.Array]: the
 * source or destination of copies, and what
 * [class@CudaObj.SurfaceObject]s (register with
 * %CUDA_OBJ_GRAPHICS_REGISTER_SURFACE_LOAD_STORE) and
 * [class@CudaObj.TextureObject]s are made from. Its shape and format are
 * the texture's. [method@CudaObj.GraphicsResource.unmap] closes it; asked
 * again while mapped, it gives the same array.
 *
 * Returns: (transfer full): the array, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjArray *
cuda_obj_graphics_resource_get_mapped_array (CudaObjGraphicsResource *self, guint array_index,
                                             guint mip_level, GError **error)
{
  MappedArray mapped = { array_index, mip_level, NULL };
  CUarray handle;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPHICS_RESOURCE (self), NULL);
  handle = get_mapped_array (self, array_index, mip_level, G_STRFUNC, error);
  if (handle == NULL)
    return NULL;
  for (guint i = 0; i < self->mapped_arrays->len; i++)
    {
      MappedArray *known = &g_array_index (self->mapped_arrays, MappedArray, i);

      if (known->array_index == array_index && known->mip_level == mip_level)
        return g_object_ref (known->array);
    }
  /* No owner: the resource forgets the array at unmap instead, and a
   * reference back to the resource would make a cycle. */
  mapped.array = cuda_obj_array_new_foreign (self->device, handle, NULL, error);
  if (mapped.array == NULL)
    return NULL;
  g_array_append_val (self->mapped_arrays, mapped);
  return g_object_ref (mapped.array);
}

/**
 * cuda_obj_graphics_resource_get_mapped_array_handle:
 * @self: a mapped [class@CudaObj.GraphicsResource] of a GL image
 * @array_index: the layer of an array texture, or the face of a cube map
 *   (`CUarray_cubemap_face`); 0 otherwise
 * @mip_level: the mipmap level; 0 for the base level
 * @error: return location for an error
 *
 * Gives the `CUarray` handle of one CUDA array of a mapped GL image
 * (`cuGraphicsSubResourceGetMappedArray`), for code that calls the driver
 * itself; [method@CudaObj.GraphicsResource.get_mapped_array] gives it as a
 * [class@CudaObj.Array]. It is valid until
 * [method@CudaObj.GraphicsResource.unmap] and owned by the resource.
 *
 * Returns: the `CUarray` handle, or 0 with @error set
 *
 * Since: 1.0
 */
guint64
cuda_obj_graphics_resource_get_mapped_array_handle (CudaObjGraphicsResource *self, guint array_index,
                                                    guint mip_level, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPHICS_RESOURCE (self), 0);
  return (guint64) (guintptr) get_mapped_array (self, array_index, mip_level, G_STRFUNC, error);
}

/**
 * cuda_obj_graphics_resource_set_map_usage:
 * @self: an unmapped [class@CudaObj.GraphicsResource]
 * @usage: how the next mappings use the resource
 * @error: return location for an error
 *
 * Tells the driver how the mappings that follow will use the resource
 * (`cuGraphicsResourceSetMapFlags`), so that it can skip copies: with
 * %CUDA_OBJ_GRAPHICS_MAP_WRITE_DISCARD, the contents are undefined when
 * mapped.
 *
 * Returns: %TRUE on success; %FALSE with @error set, also while mapped
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graphics_resource_set_map_usage (CudaObjGraphicsResource *self, CudaObjGraphicsMapUsage usage,
                                          GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPHICS_RESOURCE (self), FALSE);
  if (!require_open (self, G_STRFUNC, error))
    return FALSE;
  if ((guint) usage > CUDA_OBJ_GRAPHICS_MAP_WRITE_DISCARD)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "cuda_obj_graphics_resource_set_map_usage: unknown usage %d", (int) usage);
      return FALSE;
    }
  if (self->mapped)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "cuda_obj_graphics_resource_set_map_usage: the GraphicsResource is mapped: "
                           "unmap it first");
      return FALSE;
    }
  return cuda_obj_device_activate (self->device, error)
         && cuda_obj_check (cuda_obj_driver_peek ()->cuGraphicsResourceSetMapFlags (self->handle, usage),
                            "cuGraphicsResourceSetMapFlags", error);
}

/**
 * cuda_obj_graphics_resource_close:
 * @self: a [class@CudaObj.GraphicsResource]
 * @error: return location for an error
 *
 * Unmaps the resource if it is mapped (on the legacy default stream) and
 * unregisters it (`cuGraphicsUnregisterResource`), with the GL context
 * current and while the GL object still exists. Closing a closed resource
 * does nothing; dropping the last reference closes it too, reporting
 * nothing.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graphics_resource_close (CudaObjGraphicsResource *self, GError **error)
{
  const CudaObjDriver *drv;
  CUgraphicsResource handle;

  g_return_val_if_fail (CUDA_OBJ_IS_GRAPHICS_RESOURCE (self), FALSE);
  if (!self->initialized)
    return cuda_obj_set_not_initialized (error, self, G_STRFUNC);
  if (self->handle == NULL)
    return TRUE;
  drv = cuda_obj_driver_peek ();
  if (!cuda_obj_device_activate (self->device, error))
    return FALSE;
  drop_mapped (self);
  if (self->mapped)
    {
      self->mapped = FALSE;
      if (!cuda_obj_check (drv->cuGraphicsUnmapResources (1, &self->handle, NULL), "cuGraphicsUnmapResources",
                           error))
        return FALSE;
    }
  handle = g_steal_pointer (&self->handle);
  cuda_obj_device_unregister (self->device, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);
  return cuda_obj_check (drv->cuGraphicsUnregisterResource (handle), "cuGraphicsUnregisterResource", error);
}

/**
 * cuda_obj_graphics_resource_get_device:
 * @self: a [class@CudaObj.GraphicsResource]
 *
 * Gives the device. See [property@CudaObj.GraphicsResource:device].
 *
 * Returns: (transfer none) (nullable): the device; %NULL when none was given
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_graphics_resource_get_device (CudaObjGraphicsResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPHICS_RESOURCE (self), NULL);
  return self->device;
}

/**
 * cuda_obj_graphics_resource_get_kind:
 * @self: a [class@CudaObj.GraphicsResource]
 *
 * Gives what the resource was registered from. See
 * [property@CudaObj.GraphicsResource:kind].
 *
 * Returns: the kind
 *
 * Since: 1.0
 */
CudaObjGraphicsResourceKind
cuda_obj_graphics_resource_get_kind (CudaObjGraphicsResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPHICS_RESOURCE (self), CUDA_OBJ_GRAPHICS_RESOURCE_GL_BUFFER);
  return self->kind;
}

/**
 * cuda_obj_graphics_resource_get_gl_name:
 * @self: a [class@CudaObj.GraphicsResource]
 *
 * Gives the GL object's name. See [property@CudaObj.GraphicsResource:gl-name].
 *
 * Returns: the name
 *
 * Since: 1.0
 */
guint
cuda_obj_graphics_resource_get_gl_name (CudaObjGraphicsResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPHICS_RESOURCE (self), 0);
  return self->gl_name;
}

/**
 * cuda_obj_graphics_resource_get_gl_target:
 * @self: a [class@CudaObj.GraphicsResource]
 *
 * Gives the GL image's target. See
 * [property@CudaObj.GraphicsResource:gl-target].
 *
 * Returns: the `GLenum` value; 0 for a buffer object
 *
 * Since: 1.0
 */
guint
cuda_obj_graphics_resource_get_gl_target (CudaObjGraphicsResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPHICS_RESOURCE (self), 0);
  return self->gl_target;
}

/**
 * cuda_obj_graphics_resource_get_register_flags:
 * @self: a [class@CudaObj.GraphicsResource]
 *
 * Gives how CUDA uses the resource. See
 * [property@CudaObj.GraphicsResource:register-flags].
 *
 * Returns: the flags
 *
 * Since: 1.0
 */
CudaObjGraphicsRegisterFlags
cuda_obj_graphics_resource_get_register_flags (CudaObjGraphicsResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPHICS_RESOURCE (self), CUDA_OBJ_GRAPHICS_REGISTER_NONE);
  return self->flags;
}

/**
 * cuda_obj_graphics_resource_get_mapped:
 * @self: a [class@CudaObj.GraphicsResource]
 *
 * Tells whether CUDA has the resource now. See
 * [property@CudaObj.GraphicsResource:mapped].
 *
 * Returns: %TRUE while mapped
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graphics_resource_get_mapped (CudaObjGraphicsResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPHICS_RESOURCE (self), FALSE);
  return self->mapped;
}

/**
 * cuda_obj_graphics_resource_get_closed:
 * @self: a [class@CudaObj.GraphicsResource]
 *
 * Tells whether the resource is unregistered. See
 * [property@CudaObj.GraphicsResource:closed].
 *
 * Returns: %TRUE once closed, and for a resource never registered
 *
 * Since: 1.0
 */
gboolean
cuda_obj_graphics_resource_get_closed (CudaObjGraphicsResource *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPHICS_RESOURCE (self), TRUE);
  return self->handle == NULL;
}
