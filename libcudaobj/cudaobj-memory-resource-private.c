/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what the simple memory resources share (see
 * cudaobj-memory-resource-private.h). */
#include "config.h"

#include "cudaobj-memory-resource-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-error-private.h"

enum
{
  PROP_0,
  PROP_DEVICE,
  N_PROPS,
  /* The interface's, overridden. */
  PROP_IS_DEVICE_ACCESSIBLE = N_PROPS,
  PROP_IS_HOST_ACCESSIBLE,
};

void
cuda_obj_simple_resource_install_properties (GObjectClass *object_class)
{
  GParamSpec *properties[N_PROPS] = { NULL };

  /* Each class documents its own CudaObj*MemoryResource:device. */
  properties[PROP_DEVICE]
      = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_IS_DEVICE_ACCESSIBLE, "is-device-accessible");
  g_object_class_override_property (object_class, PROP_IS_HOST_ACCESSIBLE, "is-host-accessible");
}

gboolean
cuda_obj_simple_resource_get_property (CudaObjDevice *device, gboolean is_host_accessible, guint prop_id,
                                       GValue *value)
{
  switch (prop_id)
    {
    case PROP_DEVICE: g_value_set_object (value, device); return TRUE;
    case PROP_IS_DEVICE_ACCESSIBLE: g_value_set_boolean (value, TRUE); return TRUE;
    case PROP_IS_HOST_ACCESSIBLE: g_value_set_boolean (value, is_host_accessible); return TRUE;
    default: return FALSE;
    }
}

gboolean
cuda_obj_simple_resource_set_property (CudaObjDevice **device, guint prop_id, const GValue *value)
{
  switch (prop_id)
    {
    case PROP_DEVICE: *device = g_value_dup_object (value); return TRUE;
    default: return FALSE;
    }
}

gboolean
cuda_obj_simple_resource_init_device (CudaObjDevice **device, GError **error)
{
  if (*device == NULL && (*device = cuda_obj_device_get (0, error)) == NULL)
    return FALSE;
  return cuda_obj_device_require (*device, G_STRFUNC, "device", error);
}

gboolean
cuda_obj_simple_resource_require (gpointer self, CudaObjDevice *device, const char *func, GError **error)
{
  if (G_UNLIKELY (device == NULL))
    return cuda_obj_set_not_initialized (error, self, func);
  /* A device given at construction but never initialized itself. */
  return cuda_obj_device_require (device, func, "device", error);
}
