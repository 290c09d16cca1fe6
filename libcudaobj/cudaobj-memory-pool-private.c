/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: pool creation and the tuning properties that pool-based
 * memory resources share (see cudaobj-memory-pool-private.h). */
#include "config.h"

#include <string.h>

#include "cudaobj-memory-pool-private.h"
#include "cudaobj-error-private.h"

/* The driver attribute behind each property but max-size, which is a
 * creation parameter with no attribute to read it back. */
static const CUmemPool_attribute attributes[] = {
  [CUDA_OBJ_MEMORY_POOL_PROP_RELEASE_THRESHOLD] = CU_MEMPOOL_ATTR_RELEASE_THRESHOLD,
  [CUDA_OBJ_MEMORY_POOL_PROP_REUSE_FOLLOW_EVENT_DEPENDENCIES]
  = CU_MEMPOOL_ATTR_REUSE_FOLLOW_EVENT_DEPENDENCIES,
  [CUDA_OBJ_MEMORY_POOL_PROP_REUSE_ALLOW_OPPORTUNISTIC] = CU_MEMPOOL_ATTR_REUSE_ALLOW_OPPORTUNISTIC,
  [CUDA_OBJ_MEMORY_POOL_PROP_REUSE_ALLOW_INTERNAL_DEPENDENCIES]
  = CU_MEMPOOL_ATTR_REUSE_ALLOW_INTERNAL_DEPENDENCIES,
  [CUDA_OBJ_MEMORY_POOL_PROP_RESERVED_MEMORY_CURRENT] = CU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT,
  [CUDA_OBJ_MEMORY_POOL_PROP_RESERVED_MEMORY_HIGH] = CU_MEMPOOL_ATTR_RESERVED_MEM_HIGH,
  [CUDA_OBJ_MEMORY_POOL_PROP_USED_MEMORY_CURRENT] = CU_MEMPOOL_ATTR_USED_MEM_CURRENT,
  [CUDA_OBJ_MEMORY_POOL_PROP_USED_MEMORY_HIGH] = CU_MEMPOOL_ATTR_USED_MEM_HIGH,
};

#define is_reuse(prop)                                                 \
  ((prop) >= CUDA_OBJ_MEMORY_POOL_PROP_REUSE_FOLLOW_EVENT_DEPENDENCIES \
   && (prop) <= CUDA_OBJ_MEMORY_POOL_PROP_REUSE_ALLOW_INTERNAL_DEPENDENCIES)
#define reuse_index(prop) ((prop) -CUDA_OBJ_MEMORY_POOL_PROP_REUSE_FOLLOW_EVENT_DEPENDENCIES)

void
cuda_obj_memory_pool_settings_init (CudaObjMemoryPoolSettings *settings)
{
  memset (settings, 0, sizeof *settings);
  for (guint i = 0; i < G_N_ELEMENTS (settings->reuse); i++)
    settings->reuse[i] = TRUE;
}

gboolean
cuda_obj_memory_pool_create (const CudaObjMemoryPoolConfig *config, CUmemoryPool *pool, GError **error)
{
  CUmemPoolProps props;

  memset (&props, 0, sizeof props);
  props.allocType = config->allocation_type;
  props.handleTypes = config->handle_types;
  props.location.type = config->location_type;
  props.location.id = config->location_type == CU_MEM_LOCATION_TYPE_HOST ? 0 : config->location_id;
  props.maxSize = config->max_size;
  return cuda_obj_check (cuda_obj_driver_peek ()->cuMemPoolCreate (pool, &props), "cuMemPoolCreate", error);
}

gboolean
cuda_obj_memory_pool_apply_settings (CUmemoryPool pool, CudaObjMemoryPoolSettings *settings, GError **error)
{
  guint pending = settings->pending;

  settings->pending = 0;
  for (guint prop = 0; prop < CUDA_OBJ_MEMORY_POOL_PROP_RESERVED_MEMORY_CURRENT; prop++)
    {
      gboolean ok;

      if (!(pending & (1u << prop)))
        continue;
      if (prop == CUDA_OBJ_MEMORY_POOL_PROP_RELEASE_THRESHOLD)
        ok = cuda_obj_memory_pool_set_uint64 (pool, settings, prop, settings->release_threshold, NULL, NULL,
                                              error);
      else
        ok = cuda_obj_memory_pool_set_boolean (pool, settings, prop, settings->reuse[reuse_index (prop)],
                                               NULL, NULL, error);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

void
cuda_obj_memory_pool_install_properties (GParamSpec **pspecs, guint first)
{
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  pspecs += first;
  pspecs[CUDA_OBJ_MEMORY_POOL_PROP_RELEASE_THRESHOLD]
      = g_param_spec_uint64 ("release-threshold", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  pspecs[CUDA_OBJ_MEMORY_POOL_PROP_REUSE_FOLLOW_EVENT_DEPENDENCIES]
      = g_param_spec_boolean ("reuse-follow-event-dependencies", NULL, NULL, TRUE, rw);
  pspecs[CUDA_OBJ_MEMORY_POOL_PROP_REUSE_ALLOW_OPPORTUNISTIC]
      = g_param_spec_boolean ("reuse-allow-opportunistic", NULL, NULL, TRUE, rw);
  pspecs[CUDA_OBJ_MEMORY_POOL_PROP_REUSE_ALLOW_INTERNAL_DEPENDENCIES]
      = g_param_spec_boolean ("reuse-allow-internal-dependencies", NULL, NULL, TRUE, rw);
  pspecs[CUDA_OBJ_MEMORY_POOL_PROP_RESERVED_MEMORY_CURRENT]
      = g_param_spec_uint64 ("reserved-memory-current", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  pspecs[CUDA_OBJ_MEMORY_POOL_PROP_RESERVED_MEMORY_HIGH]
      = g_param_spec_uint64 ("reserved-memory-high", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  pspecs[CUDA_OBJ_MEMORY_POOL_PROP_USED_MEMORY_CURRENT]
      = g_param_spec_uint64 ("used-memory-current", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  pspecs[CUDA_OBJ_MEMORY_POOL_PROP_USED_MEMORY_HIGH]
      = g_param_spec_uint64 ("used-memory-high", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  pspecs[CUDA_OBJ_MEMORY_POOL_PROP_MAX_SIZE]
      = g_param_spec_uint64 ("max-size", NULL, NULL, 0, G_MAXSIZE, 0,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
}

gboolean
cuda_obj_memory_pool_get_property (CUmemoryPool pool, const CudaObjMemoryPoolSettings *settings, guint offset,
                                   GValue *value)
{
  if (offset >= CUDA_OBJ_MEMORY_POOL_N_PROPS)
    return FALSE;
  if (is_reuse (offset))
    g_value_set_boolean (value, cuda_obj_memory_pool_get_boolean (pool, settings, offset));
  else
    g_value_set_uint64 (value, cuda_obj_memory_pool_get_uint64 (pool, settings, offset));
  return TRUE;
}

gboolean
cuda_obj_memory_pool_set_property (GObject *object, CUmemoryPool pool, CudaObjMemoryPoolSettings *settings,
                                   GParamSpec **pool_pspecs, guint offset, const GValue *value)
{
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (offset >= CUDA_OBJ_MEMORY_POOL_N_PROPS)
    return FALSE;
  if (offset == CUDA_OBJ_MEMORY_POOL_PROP_MAX_SIZE)
    {
      /* Construct-only: read by the class when it creates its pool. */
      settings->max_size = g_value_get_uint64 (value);
      return TRUE;
    }
  if (is_reuse (offset))
    ok = cuda_obj_memory_pool_set_boolean (pool, settings, offset, g_value_get_boolean (value), object,
                                           pool_pspecs[offset], &error);
  else
    ok = cuda_obj_memory_pool_set_uint64 (pool, settings, offset, g_value_get_uint64 (value), object,
                                          pool_pspecs[offset], &error);
  if (!ok)
    g_warning ("Cannot set %s on %s: %s", pool_pspecs[offset]->name, G_OBJECT_TYPE_NAME (object),
               error->message);
  return TRUE;
}

guint64
cuda_obj_memory_pool_get_uint64 (CUmemoryPool pool, const CudaObjMemoryPoolSettings *settings,
                                 CudaObjMemoryPoolProp prop)
{
  cuuint64_t value = 0;

  g_return_val_if_fail (!is_reuse (prop) && prop < CUDA_OBJ_MEMORY_POOL_N_PROPS, 0);
  if (prop == CUDA_OBJ_MEMORY_POOL_PROP_MAX_SIZE)
    return settings->max_size;
  if (pool == NULL)
    return prop == CUDA_OBJ_MEMORY_POOL_PROP_RELEASE_THRESHOLD ? settings->release_threshold : 0;
  if (cuda_obj_driver_peek ()->cuMemPoolGetAttribute (pool, attributes[prop], &value) != CUDA_SUCCESS)
    return 0;
  return value;
}

gboolean
cuda_obj_memory_pool_get_boolean (CUmemoryPool pool, const CudaObjMemoryPoolSettings *settings,
                                  CudaObjMemoryPoolProp prop)
{
  int value = 0;

  g_return_val_if_fail (is_reuse (prop), FALSE);
  if (pool == NULL)
    return settings->reuse[reuse_index (prop)];
  /* The driver's own default when it cannot tell. */
  if (cuda_obj_driver_peek ()->cuMemPoolGetAttribute (pool, attributes[prop], &value) != CUDA_SUCCESS)
    return TRUE;
  return value != 0;
}

gboolean
cuda_obj_memory_pool_set_uint64 (CUmemoryPool pool, CudaObjMemoryPoolSettings *settings,
                                 CudaObjMemoryPoolProp prop, guint64 value, GObject *object,
                                 GParamSpec *pspec, GError **error)
{
  cuuint64_t driver_value = value;

  g_return_val_if_fail (prop == CUDA_OBJ_MEMORY_POOL_PROP_RELEASE_THRESHOLD, FALSE);
  if (pool == NULL)
    {
      settings->release_threshold = value;
      settings->pending |= 1u << prop;
      return TRUE;
    }
  if (cuda_obj_memory_pool_get_uint64 (pool, settings, prop) == value)
    return TRUE;
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuMemPoolSetAttribute (pool, attributes[prop], &driver_value),
                       "cuMemPoolSetAttribute", error))
    return FALSE;
  if (object != NULL && pspec != NULL)
    g_object_notify_by_pspec (object, pspec);
  return TRUE;
}

gboolean
cuda_obj_memory_pool_set_boolean (CUmemoryPool pool, CudaObjMemoryPoolSettings *settings,
                                  CudaObjMemoryPoolProp prop, gboolean value, GObject *object,
                                  GParamSpec *pspec, GError **error)
{
  int driver_value = value ? 1 : 0;

  g_return_val_if_fail (is_reuse (prop), FALSE);
  if (pool == NULL)
    {
      settings->reuse[reuse_index (prop)] = value != FALSE;
      settings->pending |= 1u << prop;
      return TRUE;
    }
  if (cuda_obj_memory_pool_get_boolean (pool, settings, prop) == (value != FALSE))
    return TRUE;
  if (!cuda_obj_check (cuda_obj_driver_peek ()->cuMemPoolSetAttribute (pool, attributes[prop], &driver_value),
                       "cuMemPoolSetAttribute", error))
    return FALSE;
  if (object != NULL && pspec != NULL)
    g_object_notify_by_pspec (object, pspec);
  return TRUE;
}

gboolean
cuda_obj_memory_pool_reset_high_watermarks (CUmemoryPool pool, GObject *object, GParamSpec **pool_pspecs,
                                            GError **error)
{
  static const CudaObjMemoryPoolProp highs[]
      = { CUDA_OBJ_MEMORY_POOL_PROP_RESERVED_MEMORY_HIGH, CUDA_OBJ_MEMORY_POOL_PROP_USED_MEMORY_HIGH };

  for (guint i = 0; i < G_N_ELEMENTS (highs); i++)
    {
      /* The only value the driver accepts for a watermark. */
      cuuint64_t zero = 0;

      if (!cuda_obj_check (cuda_obj_driver_peek ()->cuMemPoolSetAttribute (pool, attributes[highs[i]], &zero),
                           "cuMemPoolSetAttribute", error))
        return FALSE;
    }
  if (object != NULL && pool_pspecs != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (highs); i++)
      g_object_notify_by_pspec (object, pool_pspecs[highs[i]]);
  return TRUE;
}
