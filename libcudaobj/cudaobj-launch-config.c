/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the shape of a kernel launch.
 *
 * Plain data: checked against the device and the kernel at launch time,
 * where both are known. */
#include "config.h"

#include "cudaobj-launch-config.h"
#include "cudaobj-launch-config-private.h"

#include <string.h>

struct _CudaObjLaunchConfig
{
  GObject parent_instance;
  CudaObjLaunchShape shape;
};

enum
{
  PROP_0,
  PROP_GRID_X,
  PROP_GRID_Y,
  PROP_GRID_Z,
  PROP_BLOCK_X,
  PROP_BLOCK_Y,
  PROP_BLOCK_Z,
  PROP_CLUSTER_X,
  PROP_CLUSTER_Y,
  PROP_CLUSTER_Z,
  PROP_SHARED_MEMORY_BYTES,
  PROP_COOPERATIVE,
  PROP_PROGRAMMATIC_STREAM_SERIALIZATION,
  PROP_PRIORITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * CudaObjLaunchConfig:
 *
 * How a kernel is launched: the grid of blocks, the block of threads, the
 * dynamic shared memory per block, an optional thread-block cluster shape
 * and whether the launch is cooperative.
 *
 * Every dimension defaults to 1 and shared memory to 0. The configuration is
 * checked when it is used, by [func@CudaObj.launch], against the limits of the
 * stream's device and of the kernel: a block larger than the device or the
 * kernel allows, a grid dimension of 0 or over the device's limit, or more
 * shared memory than the kernel may use each give a
 * %CUDA_OBJ_ERROR_INVALID_ARGUMENT error naming the limit.
 *
 * Launch features beyond the shape are launch attributes
 * (`CUlaunchAttribute`): [property@CudaObj.LaunchConfig:cooperative],
 * thread-block clusters, programmatic dependent launch
 * ([property@CudaObj.LaunchConfig:programmatic-stream-serialization]) and a
 * per-launch [property@CudaObj.LaunchConfig:priority]. The configuration
 * keeps their array ready, rebuilt when a property changes, so a launch
 * costs the same with them as without.
 *
 * A configuration may be shared by launches on several threads as long as
 * nobody changes it meanwhile.
 *
 * A plain constructor makes a valid configuration (one block of one
 * thread). Setting a property cannot fail, so values a launch cannot use
 * (a zero dimension) are taken and reported by the launch as
 * %CUDA_OBJ_ERROR_INVALID_ARGUMENT.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjLaunchConfig, cuda_obj_launch_config, G_TYPE_OBJECT)

static guint *
field_for (CudaObjLaunchConfig *self, guint prop_id)
{
  switch (prop_id)
    {
    case PROP_GRID_X: return &self->shape.grid[0];
    case PROP_GRID_Y: return &self->shape.grid[1];
    case PROP_GRID_Z: return &self->shape.grid[2];
    case PROP_BLOCK_X: return &self->shape.block[0];
    case PROP_BLOCK_Y: return &self->shape.block[1];
    case PROP_BLOCK_Z: return &self->shape.block[2];
    case PROP_CLUSTER_X: return &self->shape.cluster[0];
    case PROP_CLUSTER_Y: return &self->shape.cluster[1];
    case PROP_CLUSTER_Z: return &self->shape.cluster[2];
    case PROP_SHARED_MEMORY_BYTES: return &self->shape.shared_memory_bytes;
    default: return NULL;
    }
}

static void
cuda_obj_launch_config_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjLaunchConfig *self = CUDA_OBJ_LAUNCH_CONFIG (object);
  guint *field = field_for (self, prop_id);

  if (field != NULL)
    g_value_set_uint (value, *field);
  else if (prop_id == PROP_COOPERATIVE)
    g_value_set_boolean (value, self->shape.cooperative);
  else if (prop_id == PROP_PROGRAMMATIC_STREAM_SERIALIZATION)
    g_value_set_boolean (value, self->shape.programmatic_stream_serialization);
  else if (prop_id == PROP_PRIORITY)
    g_value_set_int (value, self->shape.priority);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

/* The attributes a launch passes as they are: cooperative, cluster shape
 * (when more than one block), programmatic stream serialization, priority. */
static void
rebuild_attributes (CudaObjLaunchConfig *self)
{
  CudaObjLaunchShape *shape = &self->shape;
  CUlaunchAttribute *attribute = shape->attributes;

  memset (shape->attributes, 0, sizeof shape->attributes);
  if (shape->cooperative)
    {
      attribute->id = CU_LAUNCH_ATTRIBUTE_COOPERATIVE;
      attribute->value.cooperative = 1;
      attribute++;
    }
  if (shape->cluster[0] * shape->cluster[1] * shape->cluster[2] > 1)
    {
      attribute->id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
      attribute->value.clusterDim.x = shape->cluster[0];
      attribute->value.clusterDim.y = shape->cluster[1];
      attribute->value.clusterDim.z = shape->cluster[2];
      attribute++;
    }
  if (shape->programmatic_stream_serialization)
    {
      attribute->id = CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION;
      attribute->value.programmaticStreamSerializationAllowed = 1;
      attribute++;
    }
  if (shape->priority != 0)
    {
      attribute->id = CU_LAUNCH_ATTRIBUTE_PRIORITY;
      attribute->value.priority = shape->priority;
      attribute++;
    }
  shape->n_attributes = (guint) (attribute - shape->attributes);
}

static void
set_field (CudaObjLaunchConfig *self, guint prop_id, guint value)
{
  guint *field = field_for (self, prop_id);

  if (*field == value)
    return;
  *field = value;
  rebuild_attributes (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
cuda_obj_launch_config_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjLaunchConfig *self = CUDA_OBJ_LAUNCH_CONFIG (object);

  if (field_for (self, prop_id) != NULL)
    set_field (self, prop_id, g_value_get_uint (value));
  else if (prop_id == PROP_COOPERATIVE)
    cuda_obj_launch_config_set_cooperative (self, g_value_get_boolean (value));
  else if (prop_id == PROP_PROGRAMMATIC_STREAM_SERIALIZATION)
    cuda_obj_launch_config_set_programmatic_stream_serialization (self, g_value_get_boolean (value));
  else if (prop_id == PROP_PRIORITY)
    cuda_obj_launch_config_set_priority (self, g_value_get_int (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

#define RW (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static void
cuda_obj_launch_config_class_init (CudaObjLaunchConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cuda_obj_launch_config_get_property;
  object_class->set_property = cuda_obj_launch_config_set_property;

  /**
   * CudaObjLaunchConfig:grid-x:
   *
   * Blocks in the grid's x dimension.
   *
   * Since: 1.0
   */
  properties[PROP_GRID_X] = g_param_spec_uint ("grid-x", NULL, NULL, 0, G_MAXUINT, 1, RW);
  /**
   * CudaObjLaunchConfig:grid-y:
   *
   * Blocks in the grid's y dimension.
   *
   * Since: 1.0
   */
  properties[PROP_GRID_Y] = g_param_spec_uint ("grid-y", NULL, NULL, 0, G_MAXUINT, 1, RW);
  /**
   * CudaObjLaunchConfig:grid-z:
   *
   * Blocks in the grid's z dimension.
   *
   * Since: 1.0
   */
  properties[PROP_GRID_Z] = g_param_spec_uint ("grid-z", NULL, NULL, 0, G_MAXUINT, 1, RW);
  /**
   * CudaObjLaunchConfig:block-x:
   *
   * Threads in the block's x dimension.
   *
   * Since: 1.0
   */
  properties[PROP_BLOCK_X] = g_param_spec_uint ("block-x", NULL, NULL, 0, G_MAXUINT, 1, RW);
  /**
   * CudaObjLaunchConfig:block-y:
   *
   * Threads in the block's y dimension.
   *
   * Since: 1.0
   */
  properties[PROP_BLOCK_Y] = g_param_spec_uint ("block-y", NULL, NULL, 0, G_MAXUINT, 1, RW);
  /**
   * CudaObjLaunchConfig:block-z:
   *
   * Threads in the block's z dimension.
   *
   * Since: 1.0
   */
  properties[PROP_BLOCK_Z] = g_param_spec_uint ("block-z", NULL, NULL, 0, G_MAXUINT, 1, RW);
  /**
   * CudaObjLaunchConfig:cluster-x:
   *
   * Blocks per thread-block cluster in x; 1 in every dimension means no clusters.
   * A launch with 0 in any dimension fails with %CUDA_OBJ_ERROR_INVALID_ARGUMENT
   * (the property takes it, since setting a property cannot fail).
   *
   * Since: 1.0
   */
  properties[PROP_CLUSTER_X] = g_param_spec_uint ("cluster-x", NULL, NULL, 0, G_MAXUINT, 1, RW);
  /**
   * CudaObjLaunchConfig:cluster-y:
   *
   * Blocks per thread-block cluster in y.
   *
   * Since: 1.0
   */
  properties[PROP_CLUSTER_Y] = g_param_spec_uint ("cluster-y", NULL, NULL, 0, G_MAXUINT, 1, RW);
  /**
   * CudaObjLaunchConfig:cluster-z:
   *
   * Blocks per thread-block cluster in z.
   *
   * Since: 1.0
   */
  properties[PROP_CLUSTER_Z] = g_param_spec_uint ("cluster-z", NULL, NULL, 0, G_MAXUINT, 1, RW);
  /**
   * CudaObjLaunchConfig:shared-memory-bytes:
   *
   * Dynamic shared memory per block, in bytes. Over 48 KiB needs the kernel's
   * %CUDA_OBJ_KERNEL_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES raised first
   * ([method@CudaObj.Kernel.set_attribute]).
   *
   * Since: 1.0
   */
  properties[PROP_SHARED_MEMORY_BYTES]
      = g_param_spec_uint ("shared-memory-bytes", NULL, NULL, 0, G_MAXUINT, 0, RW);
  /**
   * CudaObjLaunchConfig:cooperative:
   *
   * Whether the launch is cooperative: all blocks are resident at once and
   * may synchronize with each other through cooperative groups.
   *
   * Read it with [method@CudaObj.LaunchConfig.get_cooperative] and
   * change it with [method@CudaObj.LaunchConfig.set_cooperative].
   *
   * Since: 1.0
   */
  properties[PROP_COOPERATIVE] = g_param_spec_boolean ("cooperative", NULL, NULL, FALSE, RW);
  /**
   * CudaObjLaunchConfig:programmatic-stream-serialization:
   *
   * Whether the launch may start before the previous kernel on its stream
   * finished (programmatic dependent launch, compute capability 9.0 and
   * newer). The previous kernel lets it start by calling
   * `cudaTriggerProgrammaticLaunchCompletion()` (PTX
   * `griddepcontrol.launch_dependents`), or by finishing; this kernel must
   * call `cudaGridDependencySynchronize()` (PTX `griddepcontrol.wait`)
   * before it reads what the previous one wrote. Its prologue (setup that
   * does not read those results) then overlaps the previous kernel's tail.
   * Without those calls the launch behaves as an ordinary one.
   *
   * Read it with [method@CudaObj.LaunchConfig.get_programmatic_stream_serialization]
   * and change it with [method@CudaObj.LaunchConfig.set_programmatic_stream_serialization].
   *
   * Since: 1.0
   */
  properties[PROP_PROGRAMMATIC_STREAM_SERIALIZATION]
      = g_param_spec_boolean ("programmatic-stream-serialization", NULL, NULL, FALSE, RW);
  /**
   * CudaObjLaunchConfig:priority:
   *
   * The launch's scheduling priority, overriding the stream's for this
   * kernel: lower numbers run first, as for
   * [property@CudaObj.Stream:priority]. 0, the default, keeps the stream's
   * priority. The driver clamps values outside
   * [func@CudaObj.Stream.get_priority_range].
   *
   * Read it with [method@CudaObj.LaunchConfig.get_priority] and change it
   * with [method@CudaObj.LaunchConfig.set_priority].
   *
   * Since: 1.0
   */
  properties[PROP_PRIORITY] = g_param_spec_int ("priority", NULL, NULL, G_MININT, G_MAXINT, 0, RW);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_launch_config_init (CudaObjLaunchConfig *self)
{
  for (guint i = 0; i < 3; i++)
    self->shape.grid[i] = self->shape.block[i] = self->shape.cluster[i] = 1;
}

/**
 * cuda_obj_launch_config_new:
 * @grid: blocks in the grid (x dimension)
 * @block: threads per block (x dimension)
 *
 * Creates a one-dimensional launch configuration.
 *
 * Returns: (transfer full): a new [class@CudaObj.LaunchConfig]
 *
 * Since: 1.0
 */
CudaObjLaunchConfig *
cuda_obj_launch_config_new (guint grid, guint block)
{
  return g_object_new (CUDA_OBJ_TYPE_LAUNCH_CONFIG, "grid-x", grid, "block-x", block, NULL);
}

/**
 * cuda_obj_launch_config_new_3d:
 * @grid_x: blocks in x
 * @grid_y: blocks in y
 * @grid_z: blocks in z
 * @block_x: threads per block in x
 * @block_y: threads per block in y
 * @block_z: threads per block in z
 *
 * Creates a three-dimensional launch configuration.
 *
 * Returns: (transfer full): a new [class@CudaObj.LaunchConfig]
 *
 * Since: 1.0
 */
CudaObjLaunchConfig *
cuda_obj_launch_config_new_3d (guint grid_x, guint grid_y, guint grid_z, guint block_x, guint block_y,
                               guint block_z)
{
  return g_object_new (CUDA_OBJ_TYPE_LAUNCH_CONFIG, "grid-x", grid_x, "grid-y", grid_y, "grid-z", grid_z,
                       "block-x", block_x, "block-y", block_y, "block-z", block_z, NULL);
}

/**
 * cuda_obj_launch_config_new_for_size:
 * @n_threads: how many threads the work needs in all
 * @block: threads per block
 *
 * Creates a one-dimensional configuration with enough blocks of @block
 * threads to cover @n_threads: the grid is @n_threads / @block rounded up
 * (at least 1). The kernel must ignore the threads past @n_threads.
 *
 * Returns: (transfer full): a new [class@CudaObj.LaunchConfig]
 *
 * Since: 1.0
 */
CudaObjLaunchConfig *
cuda_obj_launch_config_new_for_size (gsize n_threads, guint block)
{
  gsize grid = block == 0 ? 0 : (n_threads + block - 1) / block;

  /* An impossible grid is left for the launch to report, not clamped. */
  return cuda_obj_launch_config_new ((guint) MIN (MAX (grid, 1), G_MAXUINT), block);
}

static void
set_triple (CudaObjLaunchConfig *self, guint first_prop, guint x, guint y, guint z)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_field (self, first_prop, x);
  set_field (self, first_prop + 1, y);
  set_field (self, first_prop + 2, z);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
get_triple (const guint *v, guint *x, guint *y, guint *z)
{
  if (x != NULL)
    *x = v[0];
  if (y != NULL)
    *y = v[1];
  if (z != NULL)
    *z = v[2];
}

/**
 * cuda_obj_launch_config_set_grid:
 * @self: a [class@CudaObj.LaunchConfig]
 * @x: blocks in x
 * @y: blocks in y
 * @z: blocks in z
 *
 * Sets the grid's dimensions, in blocks (not clusters, even when
 * [method@CudaObj.LaunchConfig.set_cluster] is used): the
 * [property@CudaObj.LaunchConfig:grid-x], [property@CudaObj.LaunchConfig:grid-y]
 * and [property@CudaObj.LaunchConfig:grid-z] properties. Values are checked
 * against the device's limits at launch, where 0 or too large a value is a
 * %CUDA_OBJ_ERROR_INVALID_ARGUMENT.
 *
 * Since: 1.0
 */
void
cuda_obj_launch_config_set_grid (CudaObjLaunchConfig *self, guint x, guint y, guint z)
{
  g_return_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (self));
  set_triple (self, PROP_GRID_X, x, y, z);
}

/**
 * cuda_obj_launch_config_get_grid:
 * @self: a [class@CudaObj.LaunchConfig]
 * @x: (out) (optional): blocks in x
 * @y: (out) (optional): blocks in y
 * @z: (out) (optional): blocks in z
 *
 * Gives the grid's dimensions, in blocks.
 *
 * Since: 1.0
 */
void
cuda_obj_launch_config_get_grid (CudaObjLaunchConfig *self, guint *x, guint *y, guint *z)
{
  g_return_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (self));
  get_triple (self->shape.grid, x, y, z);
}

/**
 * cuda_obj_launch_config_set_block:
 * @self: a [class@CudaObj.LaunchConfig]
 * @x: threads in x
 * @y: threads in y
 * @z: threads in z
 *
 * Sets the block's dimensions, in threads: the
 * [property@CudaObj.LaunchConfig:block-x], [property@CudaObj.LaunchConfig:block-y]
 * and [property@CudaObj.LaunchConfig:block-z] properties. Their product may not
 * exceed the kernel's [property@CudaObj.Kernel:max-threads-per-block]; that is
 * checked at launch.
 *
 * Since: 1.0
 */
void
cuda_obj_launch_config_set_block (CudaObjLaunchConfig *self, guint x, guint y, guint z)
{
  g_return_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (self));
  set_triple (self, PROP_BLOCK_X, x, y, z);
}

/**
 * cuda_obj_launch_config_get_block:
 * @self: a [class@CudaObj.LaunchConfig]
 * @x: (out) (optional): threads in x
 * @y: (out) (optional): threads in y
 * @z: (out) (optional): threads in z
 *
 * Gives the block's dimensions, in threads.
 *
 * Since: 1.0
 */
void
cuda_obj_launch_config_get_block (CudaObjLaunchConfig *self, guint *x, guint *y, guint *z)
{
  g_return_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (self));
  get_triple (self->shape.block, x, y, z);
}

/**
 * cuda_obj_launch_config_set_cluster:
 * @self: a [class@CudaObj.LaunchConfig]
 * @x: blocks per cluster in x (at least 1)
 * @y: blocks per cluster in y (at least 1)
 * @z: blocks per cluster in z (at least 1)
 *
 * Sets the thread-block cluster's dimensions (compute capability 9.0 and
 * newer); each grid dimension must be a multiple of the cluster's.
 *
 * Since: 1.0
 */
void
cuda_obj_launch_config_set_cluster (CudaObjLaunchConfig *self, guint x, guint y, guint z)
{
  g_return_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (self));
  set_triple (self, PROP_CLUSTER_X, MAX (x, 1), MAX (y, 1), MAX (z, 1));
}

/**
 * cuda_obj_launch_config_get_cluster:
 * @self: a [class@CudaObj.LaunchConfig]
 * @x: (out) (optional): blocks per cluster in x
 * @y: (out) (optional): blocks per cluster in y
 * @z: (out) (optional): blocks per cluster in z
 *
 * Gives the thread-block cluster's dimensions, in blocks; 1, 1, 1 means the
 * launch uses no clusters.
 *
 * Since: 1.0
 */
void
cuda_obj_launch_config_get_cluster (CudaObjLaunchConfig *self, guint *x, guint *y, guint *z)
{
  g_return_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (self));
  get_triple (self->shape.cluster, x, y, z);
}

/**
 * cuda_obj_launch_config_set_shared_memory_bytes:
 * @self: a [class@CudaObj.LaunchConfig]
 * @bytes: dynamic shared memory per block
 *
 * Sets the dynamic shared memory each block gets, in bytes. Over 48 KiB needs
 * the kernel's %CUDA_OBJ_KERNEL_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
 * raised first ([method@CudaObj.Kernel.set_attribute]). See
 * [property@CudaObj.LaunchConfig:shared-memory-bytes].
 *
 * Since: 1.0
 */
void
cuda_obj_launch_config_set_shared_memory_bytes (CudaObjLaunchConfig *self, guint bytes)
{
  g_return_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (self));
  set_field (self, PROP_SHARED_MEMORY_BYTES, bytes);
}

/**
 * cuda_obj_launch_config_get_shared_memory_bytes:
 * @self: a [class@CudaObj.LaunchConfig]
 *
 * Gives the dynamic shared memory each block gets, in bytes. See
 * [property@CudaObj.LaunchConfig:shared-memory-bytes].
 *
 * Returns: dynamic shared memory per block, in bytes
 *
 * Since: 1.0
 */
guint
cuda_obj_launch_config_get_shared_memory_bytes (CudaObjLaunchConfig *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (self), 0);
  return self->shape.shared_memory_bytes;
}

/**
 * cuda_obj_launch_config_set_cooperative:
 * @self: a [class@CudaObj.LaunchConfig]
 * @cooperative: whether the launch is cooperative
 *
 * Sets whether the launch is cooperative: all blocks are resident at once and
 * may synchronize with each other through cooperative groups. See
 * [property@CudaObj.LaunchConfig:cooperative].
 *
 * Since: 1.0
 */
void
cuda_obj_launch_config_set_cooperative (CudaObjLaunchConfig *self, gboolean cooperative)
{
  g_return_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (self));
  cooperative = !!cooperative;
  if (self->shape.cooperative == cooperative)
    return;
  self->shape.cooperative = cooperative;
  rebuild_attributes (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COOPERATIVE]);
}

/**
 * cuda_obj_launch_config_get_cooperative:
 * @self: a [class@CudaObj.LaunchConfig]
 *
 * Tells whether the launch is cooperative. See
 * [property@CudaObj.LaunchConfig:cooperative].
 *
 * Returns: %TRUE for a cooperative launch
 *
 * Since: 1.0
 */
gboolean
cuda_obj_launch_config_get_cooperative (CudaObjLaunchConfig *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (self), FALSE);
  return self->shape.cooperative;
}

const CudaObjLaunchShape *
cuda_obj_launch_config_peek_shape (CudaObjLaunchConfig *self)
{
  return &self->shape;
}

/**
 * cuda_obj_launch_config_set_programmatic_stream_serialization:
 * @self: a [class@CudaObj.LaunchConfig]
 * @allowed: whether the launch may overlap the previous kernel on its stream
 *
 * Turns programmatic dependent launch on or off. See
 * [property@CudaObj.LaunchConfig:programmatic-stream-serialization].
 *
 * Since: 1.0
 */
void
cuda_obj_launch_config_set_programmatic_stream_serialization (CudaObjLaunchConfig *self, gboolean allowed)
{
  g_return_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (self));
  allowed = !!allowed;
  if (self->shape.programmatic_stream_serialization == allowed)
    return;
  self->shape.programmatic_stream_serialization = allowed;
  rebuild_attributes (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRAMMATIC_STREAM_SERIALIZATION]);
}

/**
 * cuda_obj_launch_config_get_programmatic_stream_serialization:
 * @self: a [class@CudaObj.LaunchConfig]
 *
 * Tells whether programmatic dependent launch is on. See
 * [property@CudaObj.LaunchConfig:programmatic-stream-serialization].
 *
 * Returns: %TRUE when the launch may overlap the previous kernel
 *
 * Since: 1.0
 */
gboolean
cuda_obj_launch_config_get_programmatic_stream_serialization (CudaObjLaunchConfig *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (self), FALSE);
  return self->shape.programmatic_stream_serialization;
}

/**
 * cuda_obj_launch_config_set_priority:
 * @self: a [class@CudaObj.LaunchConfig]
 * @priority: the launch's priority; 0 keeps the stream's
 *
 * Sets the launch's scheduling priority. See
 * [property@CudaObj.LaunchConfig:priority].
 *
 * Since: 1.0
 */
void
cuda_obj_launch_config_set_priority (CudaObjLaunchConfig *self, int priority)
{
  g_return_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (self));
  if (self->shape.priority == priority)
    return;
  self->shape.priority = priority;
  rebuild_attributes (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
}

/**
 * cuda_obj_launch_config_get_priority:
 * @self: a [class@CudaObj.LaunchConfig]
 *
 * Gives the launch's scheduling priority. See
 * [property@CudaObj.LaunchConfig:priority].
 *
 * Returns: the priority; 0 when the stream's applies
 *
 * Since: 1.0
 */
int
cuda_obj_launch_config_get_priority (CudaObjLaunchConfig *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (self), 0);
  return self->shape.priority;
}
