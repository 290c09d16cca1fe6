/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what every resource that owns a CUDA memory pool shares.
 *
 * DeviceMemoryResource (a device pool), and the pool-based pinned (host
 * pool) and managed (managed pool) resources create their pool the same way
 * and expose the same tuning properties, the ones cuda.core's memory
 * resources have. These are typed helpers, not a class: each resource keeps
 * its type, doc comments and public accessors, and holds a
 * CudaObjMemoryPoolSettings next to its CUmemoryPool.
 *
 * Using it in a resource class:
 *
 *   enum { PROP_0, PROP_DEVICE, ..., PROP_FIRST_POOL,
 *          N_PROPS = PROP_FIRST_POOL + CUDA_OBJ_MEMORY_POOL_N_PROPS };
 *   static GParamSpec *properties[N_PROPS];
 *
 *   class_init:
 *     properties[PROP_DEVICE] = ...;
 *     cuda_obj_memory_pool_install_properties (properties, PROP_FIRST_POOL);
 *     g_object_class_install_properties (object_class, N_PROPS, properties);
 *
 *   get_property / set_property, before the class's own cases:
 *     if (cuda_obj_memory_pool_get_property (self->pool, &self->pool_settings,
 *                                            prop_id - PROP_FIRST_POOL, value))
 *       return;
 *     if (cuda_obj_memory_pool_set_property (G_OBJECT (self), self->pool,
 *                                            &self->pool_settings,
 *                                            &properties[PROP_FIRST_POOL],
 *                                            prop_id - PROP_FIRST_POOL, value))
 *       return;
 *   (prop_id - PROP_FIRST_POOL wraps to a large guint below the range,
 *   so both helpers answer FALSE for the class's own properties.)
 *
 *   GInitable init, once the pool exists:
 *     cuda_obj_memory_pool_create (&config, &self->pool, error) for a pool of
 *     its own (config.max_size = self->pool_settings.max_size), then
 *     cuda_obj_memory_pool_apply_settings (self->pool, &self->pool_settings, error)
 *     to write the values given at construction.
 *
 * The class documents each property in its own file (gi-docgen needs a doc
 * comment per class) and may add public accessors that call the typed
 * helpers below. Before the pool exists the settable values are kept in
 * the settings and read back from there; the read-only statistics read 0. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* Offsets of the pool's properties inside the class's range, in the order
 * they are installed. */
typedef enum
{
  CUDA_OBJ_MEMORY_POOL_PROP_RELEASE_THRESHOLD,
  CUDA_OBJ_MEMORY_POOL_PROP_REUSE_FOLLOW_EVENT_DEPENDENCIES,
  CUDA_OBJ_MEMORY_POOL_PROP_REUSE_ALLOW_OPPORTUNISTIC,
  CUDA_OBJ_MEMORY_POOL_PROP_REUSE_ALLOW_INTERNAL_DEPENDENCIES,
  CUDA_OBJ_MEMORY_POOL_PROP_RESERVED_MEMORY_CURRENT,
  CUDA_OBJ_MEMORY_POOL_PROP_RESERVED_MEMORY_HIGH,
  CUDA_OBJ_MEMORY_POOL_PROP_USED_MEMORY_CURRENT,
  CUDA_OBJ_MEMORY_POOL_PROP_USED_MEMORY_HIGH,
  CUDA_OBJ_MEMORY_POOL_PROP_MAX_SIZE,
  CUDA_OBJ_MEMORY_POOL_N_PROPS
} CudaObjMemoryPoolProp;

/* What cuMemPoolCreate needs: CUmemPoolProps in our terms. */
typedef struct
{
  CUmemAllocationType allocation_type;    /* CU_MEM_ALLOCATION_TYPE_PINNED or _MANAGED */
  CUmemLocationType location_type;        /* _DEVICE, _HOST or _HOST_NUMA */
  int location_id;                        /* device ordinal or NUMA node; ignored for _HOST */
  CUmemAllocationHandleType handle_types; /* CU_MEM_HANDLE_TYPE_NONE or _POSIX_FILE_DESCRIPTOR */
  gsize max_size;                         /* 0: the driver's default */
} CudaObjMemoryPoolConfig;

/* The settable values given before the pool exists, and max-size. */
typedef struct
{
  guint64 release_threshold;
  gboolean reuse[3]; /* follow-event-dependencies, allow-opportunistic, allow-internal-dependencies */
  guint pending;     /* bit per settable CudaObjMemoryPoolProp set before the pool existed */
  gsize max_size;
} CudaObjMemoryPoolSettings;

/* The settings of a resource that was just constructed: the driver's
 * defaults (every reuse policy on, threshold 0, default size). */
void cuda_obj_memory_pool_settings_init (CudaObjMemoryPoolSettings *settings);

/* Creates a pool as @config says; FALSE with a GError naming
 * cuMemPoolCreate. The caller destroys it (cuMemPoolDestroy). */
gboolean cuda_obj_memory_pool_create (const CudaObjMemoryPoolConfig *config, CUmemoryPool *pool,
                                      GError **error);

/* Writes the values set before the pool existed to @pool and forgets
 * them; FALSE with a GError when the driver refuses one. */
gboolean cuda_obj_memory_pool_apply_settings (CUmemoryPool pool, CudaObjMemoryPoolSettings *settings,
                                              GError **error);

/* Fills pspecs[first .. first + CUDA_OBJ_MEMORY_POOL_N_PROPS - 1] with the
 * pool's properties, for the class's g_object_class_install_properties. */
void cuda_obj_memory_pool_install_properties (GParamSpec **pspecs, guint first);

/* The body of get_property for the pool's range: @offset is prop_id minus
 * the first pool property. FALSE when @offset is not a pool property. */
gboolean cuda_obj_memory_pool_get_property (CUmemoryPool pool, const CudaObjMemoryPoolSettings *settings,
                                            guint offset, GValue *value);

/* The body of set_property for the pool's range; @pool_pspecs is the
 * class's array from the first pool property, for the notification. A
 * driver failure warns (the accessors give a GError). FALSE when @offset
 * is not a pool property. */
gboolean cuda_obj_memory_pool_set_property (GObject *object, CUmemoryPool pool,
                                            CudaObjMemoryPoolSettings *settings, GParamSpec **pool_pspecs,
                                            guint offset, const GValue *value);

/* Typed access. @prop is a CudaObjMemoryPoolProp of the matching type; a
 * NULL @pool reads the settings (statistics read 0). Getters answer the
 * default value when the driver fails. Setters before the pool exists keep
 * the value in @settings; with a pool they write it and notify @pspec on
 * @object when it changed (either may be NULL). */
guint64 cuda_obj_memory_pool_get_uint64 (CUmemoryPool pool, const CudaObjMemoryPoolSettings *settings,
                                         CudaObjMemoryPoolProp prop);
gboolean cuda_obj_memory_pool_get_boolean (CUmemoryPool pool, const CudaObjMemoryPoolSettings *settings,
                                           CudaObjMemoryPoolProp prop);
gboolean cuda_obj_memory_pool_set_uint64 (CUmemoryPool pool, CudaObjMemoryPoolSettings *settings,
                                          CudaObjMemoryPoolProp prop, guint64 value, GObject *object,
                                          GParamSpec *pspec, GError **error);
gboolean cuda_obj_memory_pool_set_boolean (CUmemoryPool pool, CudaObjMemoryPoolSettings *settings,
                                           CudaObjMemoryPoolProp prop, gboolean value, GObject *object,
                                           GParamSpec *pspec, GError **error);

/* Resets the high watermarks of reserved and used memory to the current
 * values (the driver's rule: writing 0 to the _HIGH attributes) and
 * notifies the two properties through @pool_pspecs (may be NULL). */
gboolean cuda_obj_memory_pool_reset_high_watermarks (CUmemoryPool pool, GObject *object,
                                                     GParamSpec **pool_pspecs, GError **error);

G_END_DECLS
