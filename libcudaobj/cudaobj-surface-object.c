/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: surface objects over arrays (`cuSurfObjectCreate`). */
#include "config.h"

#include <string.h>

#include "cudaobj-surface-object.h"
#include "cudaobj-surface-object-private.h"
#include "cudaobj-array-private.h"
#include "cudaobj-error-private.h"
#include "cudaobj-device-private.h"

struct _CudaObjSurfaceObject
{
  GObject parent_instance;

  CudaObjArray *array;   /* owned */
  CudaObjDevice *device; /* owned once initialized */
  CUsurfObject handle;   /* 0 until initialized and after a reset */
  gboolean initialized;
  gboolean reset;
};

enum
{
  PROP_0,
  PROP_ARRAY,
  PROP_HANDLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cuda_obj_surface_object_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjSurfaceObject:
 *
 * A surface object: the handle through which kernels read and write a
 * [class@CudaObj.Array] element by element, with `surf2Dread` and
 * `surf2Dwrite` (x in bytes, y in rows) and their 1D and 3D kin.
 *
 * The array must be made with
 * %CUDA_OBJ_ARRAY_FLAGS_SURFACE_LOAD_STORE. Pass the surface to a kernel
 * that takes a `cudaSurfaceObject_t` with
 * [method@CudaObj.KernelArgs.set_surface]. The surface keeps its array
 * alive.
 *
 * Construction is fallible ([iface@Gio.Initable]):
 * `CudaObj.SurfaceObject(array=image)` raises for an array without surface
 * load and store. A surface made with a plain constructor and never
 * initialized has no handle: [method@CudaObj.KernelArgs.set_surface]
 * refuses it with %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjSurfaceObject, cuda_obj_surface_object, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_surface_object_initable_iface_init))

/* Device reset: the surface object died with the context. */
static void
invalidate (gpointer object)
{
  CudaObjSurfaceObject *self = object;

  if (self->handle != 0)
    {
      self->handle = 0;
      self->reset = TRUE;
    }
}

static gboolean
cuda_obj_surface_object_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjSurfaceObject *self = CUDA_OBJ_SURFACE_OBJECT (initable);
  CUDA_RESOURCE_DESC resource;
  CUarray array;

  if (self->initialized)
    return TRUE;
  if (self->array == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "A surface needs an array: set CudaObjSurfaceObject:array");
      return FALSE;
    }
  if (!(cuda_obj_array_get_flags (self->array) & CUDA_OBJ_ARRAY_FLAGS_SURFACE_LOAD_STORE))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "SurfaceObject: the array was made without surface load and store: create it with "
                           "CUDA_OBJ_ARRAY_FLAGS_SURFACE_LOAD_STORE");
      return FALSE;
    }
  array = cuda_obj_array_prepare (self->array, "SurfaceObject", error);
  if (array == NULL)
    return FALSE;
  memset (&resource, 0, sizeof resource);
  resource.resType = CU_RESOURCE_TYPE_ARRAY;
  resource.res.array.hArray = array;
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuSurfObjectCreate (&self->handle, &resource),
                       "cuSurfObjectCreate", error))
    {
      self->handle = 0;
      return FALSE;
    }
  self->device = g_object_ref (cuda_obj_array_get_device (self->array));
  self->initialized = TRUE;
  cuda_obj_device_register (self->device, self, invalidate);
  return TRUE;
}

static void
cuda_obj_surface_object_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_surface_object_initable_init;
}

static void
cuda_obj_surface_object_dispose (GObject *object)
{
  CudaObjSurfaceObject *self = CUDA_OBJ_SURFACE_OBJECT (object);
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUsurfObject handle = self->handle;

  self->handle = 0;
  if (self->initialized)
    cuda_obj_device_unregister (self->device, self);
  if (handle != 0 && drv != NULL && cuda_obj_device_activate (self->device, NULL))
    drv->cuSurfObjectDestroy (handle);
  g_clear_object (&self->array);
  G_OBJECT_CLASS (cuda_obj_surface_object_parent_class)->dispose (object);
}

static void
cuda_obj_surface_object_finalize (GObject *object)
{
  CudaObjSurfaceObject *self = CUDA_OBJ_SURFACE_OBJECT (object);

  g_clear_object (&self->device);
  G_OBJECT_CLASS (cuda_obj_surface_object_parent_class)->finalize (object);
}

static void
cuda_obj_surface_object_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjSurfaceObject *self = CUDA_OBJ_SURFACE_OBJECT (object);

  switch (prop_id)
    {
    case PROP_ARRAY: g_value_set_object (value, self->array); break;
    case PROP_HANDLE: g_value_set_uint64 (value, self->handle); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_surface_object_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjSurfaceObject *self = CUDA_OBJ_SURFACE_OBJECT (object);

  switch (prop_id)
    {
    case PROP_ARRAY: self->array = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_surface_object_class_init (CudaObjSurfaceObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cuda_obj_surface_object_dispose;
  object_class->finalize = cuda_obj_surface_object_finalize;
  object_class->get_property = cuda_obj_surface_object_get_property;
  object_class->set_property = cuda_obj_surface_object_set_property;

  /**
   * CudaObjSurfaceObject:array: (getter get_array)
   *
   * The array kernels read and write through the surface.
   *
   * Since: 1.0
   */
  properties[PROP_ARRAY] = g_param_spec_object ("array", NULL, NULL, CUDA_OBJ_TYPE_ARRAY,
                                                G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                                    | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * CudaObjSurfaceObject:handle: (getter get_handle)
   *
   * The `CUsurfObject` (a `cudaSurfaceObject_t`), 0 when the surface is not
   * initialized or was closed by a reset of its device.
   *
   * Since: 1.0
   */
  properties[PROP_HANDLE] = g_param_spec_uint64 ("handle", NULL, NULL, 0, G_MAXUINT64, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_surface_object_init (CudaObjSurfaceObject *self)
{
}

/**
 * cuda_obj_surface_object_new:
 * @array: an array made with %CUDA_OBJ_ARRAY_FLAGS_SURFACE_LOAD_STORE
 * @error: return location for an error
 *
 * Creates a surface over @array.
 *
 * Returns: (transfer full): the surface, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a %NULL @array or one made without
 *   surface load and store; %CUDA_OBJ_ERROR_NOT_INITIALIZED or
 *   %CUDA_OBJ_ERROR_CLOSED for an array without memory; a
 *   %CUDA_OBJ_DRIVER_ERROR from `cuSurfObjectCreate`
 *
 * Since: 1.0
 */
CudaObjSurfaceObject *
cuda_obj_surface_object_new (CudaObjArray *array, GError **error)
{
  CudaObjSurfaceObject *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!CUDA_OBJ_IS_ARRAY (array))
    return cuda_obj_set_null_argument (error, G_STRFUNC, "array"), NULL;
  self = g_object_new (CUDA_OBJ_TYPE_SURFACE_OBJECT, "array", array, NULL);
  if (!g_initable_init (G_INITABLE (self), NULL, error))
    {
      g_object_unref (self);
      return NULL;
    }
  return self;
}

CUsurfObject
cuda_obj_surface_object_peek_handle (CudaObjSurfaceObject *self, GError **error)
{
  if (G_UNLIKELY (self->handle == 0))
    {
      if (self->reset)
        cuda_obj_device_set_reset_error (self->device, "SurfaceObject", error);
      else
        g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
                             "SurfaceObject is not initialized: its construction failed or g_initable_init() "
                             "was not called");
    }
  return self->handle;
}

/**
 * cuda_obj_surface_object_get_handle:
 * @self: a surface
 *
 * Gives [property@CudaObj.SurfaceObject:handle].
 *
 * Returns: the `CUsurfObject`, or 0
 *
 * Since: 1.0
 */
guint64
cuda_obj_surface_object_get_handle (CudaObjSurfaceObject *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_SURFACE_OBJECT (self), 0);
  return self->handle;
}

/**
 * cuda_obj_surface_object_get_array:
 * @self: a surface
 *
 * Gives [property@CudaObj.SurfaceObject:array].
 *
 * Returns: (transfer none) (nullable): the array, %NULL for a surface made
 *   without one
 *
 * Since: 1.0
 */
CudaObjArray *
cuda_obj_surface_object_get_array (CudaObjSurfaceObject *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_SURFACE_OBJECT (self), NULL);
  return self->array;
}
