/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: launching a kernel.
 *
 * The hot path. Everything it reads was prepared earlier (the kernel's
 * parameter layout and per-device limits, the device's limits, the
 * arguments' storage); a launch checks plain integers, fills a
 * CUlaunchConfig on the stack and calls cuLaunchKernelEx. Strings are only
 * made when a check fails. */
#include "config.h"

#include <string.h>

#include "cudaobj-launch.h"
#include "cudaobj-buffer.h"
#include "cudaobj-device-private.h"
#include "cudaobj-error-private.h"
#include "cudaobj-kernel-args-private.h"
#include "cudaobj-kernel-private.h"
#include "cudaobj-launch-config-private.h"
#include "cudaobj-launch-private.h"
#include "cudaobj-stream-private.h"

static gboolean G_GNUC_NO_INLINE invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *format, ...)
{
  va_list args;

  if (error != NULL)
    {
      va_start (args, format);
      *error = g_error_new_valist (CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, format, args);
      va_end (args);
    }
  return FALSE;
}

static inline gboolean
check_shape (const CudaObjLaunchShape *shape, CudaObjKernel *kernel, CudaObjDevice *device,
             const CudaObjKernelLimits *kernel_limits, GError **error)
{
  const CudaObjDeviceLimits *limits = cuda_obj_device_peek_limits (device);
  guint64 threads = (guint64) shape->block[0] * shape->block[1] * shape->block[2];
  static const char axis[] = "xyz";

  for (guint i = 0; i < 3; i++)
    {
      if (G_UNLIKELY (shape->grid[i] == 0 || shape->grid[i] > (guint) limits->max_grid_dim[i]))
        return invalid (error, "Grid dimension %c is %u; device %u allows 1 to %d", axis[i], shape->grid[i],
                        cuda_obj_device_get_ordinal (device), limits->max_grid_dim[i]);
      if (G_UNLIKELY (shape->block[i] == 0 || shape->block[i] > (guint) limits->max_block_dim[i]))
        return invalid (error, "Block dimension %c is %u; device %u allows 1 to %d", axis[i], shape->block[i],
                        cuda_obj_device_get_ordinal (device), limits->max_block_dim[i]);
    }
  if (G_UNLIKELY (threads > (guint64) kernel_limits->max_threads_per_block))
    return invalid (error,
                    "Block of %" G_GUINT64_FORMAT " threads is over the %d that kernel %s allows on device %u"
                    " (device limit %d)",
                    threads, kernel_limits->max_threads_per_block, cuda_obj_kernel_get_name (kernel),
                    cuda_obj_device_get_ordinal (device), limits->max_threads_per_block);
  if (G_UNLIKELY (shape->shared_memory_bytes > (guint) kernel_limits->max_dynamic_shared_memory))
    return invalid (error,
                    "Launch asks for %u bytes of dynamic shared memory; kernel %s may use %d on device %u"
                    " (raise CUDA_OBJ_KERNEL_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, up to %d)",
                    shape->shared_memory_bytes, cuda_obj_kernel_get_name (kernel),
                    kernel_limits->max_dynamic_shared_memory, cuda_obj_device_get_ordinal (device),
                    limits->max_shared_memory_per_block_optin - kernel_limits->static_shared_memory);
  if (G_UNLIKELY (shape->cluster[0] == 0 || shape->cluster[1] == 0 || shape->cluster[2] == 0))
    return invalid (error, "Cluster dimensions are %u x %u x %u; each must be at least 1", shape->cluster[0],
                    shape->cluster[1], shape->cluster[2]);
  if (G_UNLIKELY (shape->cooperative && !limits->cooperative_launch))
    return invalid (error, "Device %u does not support cooperative launches",
                    cuda_obj_device_get_ordinal (device));
  if (G_UNLIKELY (shape->cluster[0] * shape->cluster[1] * shape->cluster[2] > 1))
    {
      if (!limits->cluster_launch)
        return invalid (error, "Device %u does not support thread-block clusters",
                        cuda_obj_device_get_ordinal (device));
      for (guint i = 0; i < 3; i++)
        if (shape->grid[i] % shape->cluster[i] != 0)
          return invalid (error, "Grid dimension %c (%u) is not a multiple of the cluster's (%u)", axis[i],
                          shape->grid[i], shape->cluster[i]);
    }
  return TRUE;
}

/* Everything a launch checks and fills before the driver call, shared by
 * both entry points. */
static inline gboolean
prepare_launch (CudaObjStream *stream, CudaObjLaunchConfig *config, CudaObjKernel *kernel,
                CUlaunchConfig *launch, CudaObjKernelView *kernel_view, GError **error)
{
  const CudaObjLaunchShape *shape;
  const CudaObjKernelLimits *kernel_limits;
  CudaObjDevice *device;
  CUstream handle;

  cuda_obj_kernel_peek (kernel, kernel_view);
  if (G_UNLIKELY (kernel_view->handle == NULL))
    return cuda_obj_set_not_initialized (error, kernel, "cuda_obj_launch");
  if (G_UNLIKELY (!cuda_obj_stream_prepare (stream, &handle, error)))
    return FALSE;
  device = cuda_obj_stream_peek_device (stream);
  kernel_limits = cuda_obj_kernel_get_limits (kernel, device, error);
  if (G_UNLIKELY (kernel_limits == NULL))
    return FALSE;
  shape = cuda_obj_launch_config_peek_shape (config);
  if (G_UNLIKELY (!check_shape (shape, kernel, device, kernel_limits, error)))
    return FALSE;

  launch->gridDimX = shape->grid[0];
  launch->gridDimY = shape->grid[1];
  launch->gridDimZ = shape->grid[2];
  launch->blockDimX = shape->block[0];
  launch->blockDimY = shape->block[1];
  launch->blockDimZ = shape->block[2];
  launch->sharedMemBytes = shape->shared_memory_bytes;
  launch->hStream = handle;
  /* Prebuilt by the configuration; the driver only reads them. */
  launch->attrs = (CUlaunchAttribute *) shape->attributes;
  launch->numAttrs = shape->n_attributes;
  return TRUE;
}

/**
 * cuda_obj_launch:
 * @stream: the [class@CudaObj.Stream] to launch on; its device runs the kernel
 * @config: the grid, block, shared memory, cluster and cooperative settings
 * @kernel: the [class@CudaObj.Kernel]
 * @args: (nullable): the arguments; %NULL for a kernel without parameters
 * @error: return location for a [struct@GLib.Error]
 *
 * Enqueues @kernel on @stream and returns without waiting for it.
 *
 * Before anything reaches the driver, @config is checked against the
 * device's and the kernel's limits and @args against the kernel's
 * parameters (count, each size, alignment, closed buffers): a mismatch is
 * a %CUDA_OBJ_ERROR_INVALID_ARGUMENT error (%CUDA_OBJ_ERROR_CLOSED for a
 * closed stream or buffer) that says what is wrong, and nothing is
 * launched. Errors the kernel itself causes (an illegal address) surface
 * later, from whatever next synchronizes the stream.
 *
 * With @args prepared in advance, a launch allocates no memory and takes
 * no lock, so it is as cheap as the driver call itself.
 *
 * Returns: %TRUE when the kernel was enqueued; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_launch (CudaObjStream *stream, CudaObjLaunchConfig *config, CudaObjKernel *kernel,
                 CudaObjKernelArgs *args, GError **error)
{
  CudaObjKernelView kernel_view;
  CudaObjKernelArgsView args_view = { 0, NULL, NULL, NULL };
  CUlaunchConfig launch;

  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (config), FALSE);
  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (kernel), FALSE);
  g_return_val_if_fail (args == NULL || CUDA_OBJ_IS_KERNEL_ARGS (args), FALSE);

  if (G_UNLIKELY (!prepare_launch (stream, config, kernel, &launch, &kernel_view, error)))
    return FALSE;
  if (args != NULL)
    cuda_obj_kernel_args_peek (args, &args_view);
  if (G_UNLIKELY (!cuda_obj_launch_check_args (&kernel_view, &args_view, kernel, error)))
    return FALSE;

  /* A CUkernel stands for its CUfunction in the current context. */
  return cuda_obj_check (cuda_obj_driver_peek ()->cuLaunchKernelEx (&launch, (CUfunction) kernel_view.handle,
                                                                    args_view.params, NULL),
                         "cuLaunchKernelEx", error);
}

/**
 * cuda_obj_launch_packed:
 * @stream: the [class@CudaObj.Stream] to launch on
 * @config: the grid, block, shared memory, cluster and cooperative settings
 * @kernel: the [class@CudaObj.Kernel]
 * @arguments: (array length=size) (nullable): the kernel's parameter buffer:
 *   every argument's bytes at its offset (see
 *   [method@CudaObj.Kernel.get_argument_info]), padding between them
 * @size: the buffer's size: the end of the last parameter
 * @error: return location for a [struct@GLib.Error]
 *
 * Like [func@CudaObj.launch], with the arguments already laid out the way the
 * kernel's parameter buffer is. Language bindings that pack arguments
 * themselves (the Python overrides do, with `struct`) launch this way in a
 * single call. The configuration is checked as for [func@CudaObj.launch]; of the
 * arguments only the total size can be: pointers are raw addresses, so the
 * caller checks that its buffers are open.
 *
 * Returns: %TRUE when the kernel was enqueued; %FALSE with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT when @size is not the kernel's
 *   parameter size)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_launch_packed (CudaObjStream *stream, CudaObjLaunchConfig *config, CudaObjKernel *kernel,
                        const guint8 *arguments, gsize size, GError **error)
{
  CudaObjKernelView kernel_view;
  CUlaunchConfig launch;
  gsize expected;
  void *extra[] = { CU_LAUNCH_PARAM_BUFFER_POINTER, (void *) arguments, CU_LAUNCH_PARAM_BUFFER_SIZE, &size,
                    CU_LAUNCH_PARAM_END };

  g_return_val_if_fail (CUDA_OBJ_IS_STREAM (stream), FALSE);
  g_return_val_if_fail (CUDA_OBJ_IS_LAUNCH_CONFIG (config), FALSE);
  g_return_val_if_fail (CUDA_OBJ_IS_KERNEL (kernel), FALSE);
  g_return_val_if_fail (arguments != NULL || size == 0, FALSE);

  if (G_UNLIKELY (!prepare_launch (stream, config, kernel, &launch, &kernel_view, error)))
    return FALSE;
  expected = cuda_obj_launch_packed_size (&kernel_view);
  if (G_UNLIKELY (size != expected))
    return invalid (
        error, "Kernel %s takes %" G_GSIZE_FORMAT " bytes of arguments, but %" G_GSIZE_FORMAT " were given",
        cuda_obj_kernel_get_name (kernel), expected, size);

  return cuda_obj_check (cuda_obj_driver_peek ()->cuLaunchKernelEx (&launch, (CUfunction) kernel_view.handle,
                                                                    NULL, size == 0 ? NULL : extra),
                         "cuLaunchKernelEx", error);
}

gboolean
cuda_obj_launch_fill_node_params (CudaObjDevice *device, CudaObjLaunchConfig *config, CudaObjKernel *kernel,
                                  CudaObjKernelArgs *args, CUDA_KERNEL_NODE_PARAMS *params,
                                  const CudaObjLaunchShape **shape, GError **error)
{
  CudaObjKernelView kernel_view;
  CudaObjKernelArgsView args_view = { 0, NULL, NULL, NULL };
  const CudaObjKernelLimits *kernel_limits;
  CUcontext context;

  cuda_obj_kernel_peek (kernel, &kernel_view);
  if (kernel_view.handle == NULL)
    return cuda_obj_set_not_initialized (error, kernel, "kernel node");
  kernel_limits = cuda_obj_kernel_get_limits (kernel, device, error);
  if (kernel_limits == NULL)
    return FALSE;
  *shape = cuda_obj_launch_config_peek_shape (config);
  if (!check_shape (*shape, kernel, device, kernel_limits, error))
    return FALSE;
  if (args != NULL)
    cuda_obj_kernel_args_peek (args, &args_view);
  if (!cuda_obj_launch_check_args (&kernel_view, &args_view, kernel, error))
    return FALSE;
  context = cuda_obj_device_get_context (device, error);
  if (context == NULL)
    return FALSE;

  memset (params, 0, sizeof *params);
  /* func stays NULL so that the driver takes kern in ctx. */
  params->kern = kernel_view.handle;
  params->ctx = context;
  params->gridDimX = (*shape)->grid[0];
  params->gridDimY = (*shape)->grid[1];
  params->gridDimZ = (*shape)->grid[2];
  params->blockDimX = (*shape)->block[0];
  params->blockDimY = (*shape)->block[1];
  params->blockDimZ = (*shape)->block[2];
  params->sharedMemBytes = (*shape)->shared_memory_bytes;
  params->kernelParams = args_view.params;
  return TRUE;
}
