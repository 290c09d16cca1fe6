/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the value a conditional graph node tests, set from device code.
 *
 * A condition wraps a CUgraphConditionalHandle, which the driver made for
 * one graph and which lives as long as that graph: the condition owns
 * nothing and is only a typed way to hand the handle to a conditional node
 * and to kernels. */
#include "config.h"

#include "cudaobj-graph-condition.h"
#include "cudaobj-graph-condition-private.h"

G_STATIC_ASSERT ((int) CUDA_OBJ_GRAPH_CONDITION_ASSIGN_DEFAULT == CU_GRAPH_COND_ASSIGN_DEFAULT);

struct _CudaObjGraphCondition
{
  GObject parent_instance;

  CUgraphConditionalHandle handle; /* 0 until made by a builder */
  guint default_value;
  CudaObjGraphConditionFlags flags;
  gboolean attached; /* a conditional node tests it already */
};

enum
{
  PROP_0,
  PROP_HANDLE,
  PROP_DEFAULT_VALUE,
  PROP_FLAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cuda_obj_graph_condition_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjGraphCondition:
 *
 * The value a conditional node of a graph tests: an unsigned integer that
 * kernels of the graph set on the GPU, so that the graph itself decides
 * whether (and how often, or which) work runs, without a round trip to the
 * host. [method@CudaObj.GraphBuilder.create_condition] makes one in the graph
 * being captured; [method@CudaObj.GraphBuilder.if_then],
 * [method@CudaObj.GraphBuilder.if_else], [method@CudaObj.GraphBuilder.while_loop]
 * and [method@CudaObj.GraphBuilder.switch_cases] add the nodes that test it.
 *
 * A kernel receives the condition as a `cudaGraphConditionalHandle`
 * parameter (64 bits): pass it with [method@CudaObj.KernelArgs.set_condition]
 * (or [method@CudaObj.KernelArgs.set_uint64] with
 * [property@CudaObj.GraphCondition:handle]; in Python, `CudaObj.launch()`
 * takes the condition itself). Device code sets it with
 * `cudaGraphSetConditional (handle, value)`, declared in the toolkit's
 * `cuda_device_runtime_api.h`:
 *
 * ```c
 * #include <cuda_device_runtime_api.h>
 *
 * extern "C" __global__ void
 * step (float *residual, float tolerance, cudaGraphConditionalHandle again)
 * {
 *   if (threadIdx.x == 0 && blockIdx.x == 0)
 *     {
 *       *residual *= 0.5f;
 *       cudaGraphSetConditional (again, *residual >= tolerance);
 *     }
 * }
 * ```
 *
 * [class@CudaObj.Program] finds that header by itself: it adds the toolkit's
 * include directories to NVRTC's search path (see
 * [property@CudaObj.ProgramOptions:toolkit-include-dirs]). Only kernels of
 * the graph the condition belongs to may set it, and only while that graph
 * runs.
 *
 * A condition belongs to the graph it was made in, and is meant for nodes
 * of that graph or of bodies nested in it. Conditions are not constructed
 * directly; one that was has no handle and is refused with
 * %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjGraphCondition, cuda_obj_graph_condition, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_graph_condition_initable_iface_init))

static gboolean
cuda_obj_graph_condition_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjGraphCondition *self = CUDA_OBJ_GRAPH_CONDITION (initable);

  if (self->handle != 0)
    return TRUE;
  g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "A CudaObjGraphCondition is made by cuda_obj_graph_builder_create_condition(), "
                       "not constructed directly");
  return FALSE;
}

static void
cuda_obj_graph_condition_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_graph_condition_initable_init;
}

static void
cuda_obj_graph_condition_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjGraphCondition *self = CUDA_OBJ_GRAPH_CONDITION (object);

  switch (prop_id)
    {
    case PROP_HANDLE: g_value_set_uint64 (value, self->handle); break;
    case PROP_DEFAULT_VALUE: g_value_set_uint (value, self->default_value); break;
    case PROP_FLAGS: g_value_set_flags (value, self->flags); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_graph_condition_class_init (CudaObjGraphConditionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cuda_obj_graph_condition_get_property;

  /**
   * CudaObjGraphCondition:handle:
   *
   * The `CUgraphConditionalHandle` as an integer: the value a kernel's
   * `cudaGraphConditionalHandle` parameter takes.
   *
   * Read it with [method@CudaObj.GraphCondition.get_handle].
   *
   * Since: 1.0
   */
  properties[PROP_HANDLE] = g_param_spec_uint64 ("handle", NULL, NULL, 0, G_MAXUINT64, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjGraphCondition:default-value:
   *
   * The value the condition has when the graph starts: at its first launch,
   * or at every launch with %CUDA_OBJ_GRAPH_CONDITION_ASSIGN_DEFAULT.
   *
   * Read it with [method@CudaObj.GraphCondition.get_default_value].
   *
   * Since: 1.0
   */
  properties[PROP_DEFAULT_VALUE] = g_param_spec_uint ("default-value", NULL, NULL, 0, G_MAXUINT, 0,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjGraphCondition:flags:
   *
   * The options the condition was made with.
   *
   * Read it with [method@CudaObj.GraphCondition.get_flags].
   *
   * Since: 1.0
   */
  properties[PROP_FLAGS]
      = g_param_spec_flags ("flags", NULL, NULL, CUDA_OBJ_TYPE_GRAPH_CONDITION_FLAGS,
                            CUDA_OBJ_GRAPH_CONDITION_NONE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_graph_condition_init (CudaObjGraphCondition *self)
{
}

/* Private API. */

CudaObjGraphCondition *
cuda_obj_graph_condition_new (CUgraphConditionalHandle handle, guint default_value,
                              CudaObjGraphConditionFlags flags)
{
  CudaObjGraphCondition *self = g_object_new (CUDA_OBJ_TYPE_GRAPH_CONDITION, NULL);

  self->handle = handle;
  self->default_value = default_value;
  self->flags = flags;
  return self;
}

gboolean
cuda_obj_graph_condition_peek_handle (CudaObjGraphCondition *self, const char *what,
                                      CUgraphConditionalHandle *handle, GError **error)
{
  *handle = self->handle;
  if (self->handle != 0)
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
               "%s: the GraphCondition is not initialized: conditions are made by "
               "cuda_obj_graph_builder_create_condition()",
               what);
  return FALSE;
}

gboolean
cuda_obj_graph_condition_check_unattached (CudaObjGraphCondition *self, const char *what, GError **error)
{
  if (!self->attached)
    return TRUE;
  /* The driver refuses a second node with only "invalid argument". */
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
               "GraphBuilder.%s: this GraphCondition is tested by another conditional node already; "
               "a condition drives one node: make one per node with "
               "cuda_obj_graph_builder_create_condition()",
               what);
  return FALSE;
}

void
cuda_obj_graph_condition_mark_attached (CudaObjGraphCondition *self)
{
  self->attached = TRUE;
}

/* Public API. */

/**
 * cuda_obj_graph_condition_get_handle:
 * @self: a [class@CudaObj.GraphCondition]
 *
 * Gives the driver's handle of the condition, the value of a kernel's
 * `cudaGraphConditionalHandle` parameter. See
 * [property@CudaObj.GraphCondition:handle].
 *
 * Returns: the `CUgraphConditionalHandle`; 0 for a condition that was
 *   constructed directly
 *
 * Since: 1.0
 */
guint64
cuda_obj_graph_condition_get_handle (CudaObjGraphCondition *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_CONDITION (self), 0);
  return self->handle;
}

/**
 * cuda_obj_graph_condition_get_default_value:
 * @self: a [class@CudaObj.GraphCondition]
 *
 * Gives the value the condition has when the graph starts. See
 * [property@CudaObj.GraphCondition:default-value].
 *
 * Returns: the default value
 *
 * Since: 1.0
 */
guint
cuda_obj_graph_condition_get_default_value (CudaObjGraphCondition *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_CONDITION (self), 0);
  return self->default_value;
}

/**
 * cuda_obj_graph_condition_get_flags:
 * @self: a [class@CudaObj.GraphCondition]
 *
 * Gives the options the condition was made with. See
 * [property@CudaObj.GraphCondition:flags].
 *
 * Returns: the flags
 *
 * Since: 1.0
 */
CudaObjGraphConditionFlags
cuda_obj_graph_condition_get_flags (CudaObjGraphCondition *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_GRAPH_CONDITION (self), CUDA_OBJ_GRAPH_CONDITION_NONE);
  return self->flags;
}
