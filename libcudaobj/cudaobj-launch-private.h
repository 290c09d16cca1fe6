/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the launch path's checks of arguments against a kernel's
 * parameter layout, as pure functions over the two views, so that the
 * fuzzer (tests/fuzz/fuzz-kernel-args.c) can drive them with made-up
 * layouts and no GPU. Inline: they run on every launch. */
#pragma once

#include "cudaobj-buffer.h"
#include "cudaobj-error.h"
#include "cudaobj-kernel.h"
#include "cudaobj-kernel-args-private.h"
#include "cudaobj-kernel-private.h"
#include "cudaobj-launch-config-private.h"

G_BEGIN_DECLS

/* The name in messages; @kernel is NULL where a fuzzer or test made the layout up. */
static inline const char *
cuda_obj_launch_kernel_name (CudaObjKernel *kernel)
{
  return kernel != NULL ? cuda_obj_kernel_get_name (kernel) : "(made-up layout)";
}

/* TRUE when @args fit @kernel_view: no misuse of the setters, the same
 * count, each argument's size that of its parameter, each parameter's
 * offset a multiple of the argument's alignment (up to 16 bytes, see
 * below), no closed buffer.
 * Otherwise FALSE with CUDA_OBJ_ERROR_INVALID_ARGUMENT
 * (CUDA_OBJ_ERROR_CLOSED for a closed buffer) saying which argument.
 * @kernel only names the kernel in messages and may be NULL. */
static inline gboolean
cuda_obj_launch_check_args (const CudaObjKernelView *kernel_view, const CudaObjKernelArgsView *args,
                            CudaObjKernel *kernel, GError **error)
{
  if (G_UNLIKELY (args->misuse != NULL))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "%s", args->misuse);
      return FALSE;
    }
  if (G_UNLIKELY (args->n_args != kernel_view->n_params))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Kernel %s takes %u argument%s, but %u %s given", cuda_obj_launch_kernel_name (kernel),
                   kernel_view->n_params, kernel_view->n_params == 1 ? "" : "s", args->n_args,
                   args->n_args == 1 ? "was" : "were");
      return FALSE;
    }
  for (guint i = 0; i < args->n_args; i++)
    {
      const CudaObjKernelArgSlot *slot = &args->slots[i];

      if (G_UNLIKELY (slot->size != kernel_view->param_sizes[i]))
        {
          if (slot->size == 0)
            g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                         "Argument %u of kernel %s is not set", i, cuda_obj_launch_kernel_name (kernel));
          else
            g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                         "Argument %u of kernel %s is %" G_GSIZE_FORMAT " bytes, but the kernel's "
                         "parameter is %" G_GSIZE_FORMAT " bytes",
                         i, cuda_obj_launch_kernel_name (kernel), slot->size, kernel_view->param_sizes[i]);
          return FALSE;
        }
      /* The driver's offsets are relative to a parameter area that starts
       * 16-byte aligned in the constant bank (0x210 on Hopper): stricter
       * alignment (a CUtensorMap's 64) is padded to absolutely, so the
       * relative offset shows only up to 16. */
      if (G_UNLIKELY (kernel_view->param_offsets[i] % MIN (slot->alignment, 16) != 0))
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "Argument %u of kernel %s needs %u-byte alignment, but the kernel's parameter "
                       "is at offset %" G_GSIZE_FORMAT,
                       i, cuda_obj_launch_kernel_name (kernel), slot->alignment,
                       kernel_view->param_offsets[i]);
          return FALSE;
        }
      if (slot->buffer != NULL && G_UNLIKELY (cuda_obj_buffer_get_closed (slot->buffer)))
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED,
                       "Argument %u of kernel %s is a closed buffer", i,
                       cuda_obj_launch_kernel_name (kernel));
          return FALSE;
        }
    }
  return TRUE;
}

/* For a kernel node of a graph on @device (cudaobj-graph-definition.c and
 * cudaobj-graph.c): checks @config and @args (nullable: no parameters)
 * against @device's and @kernel's limits as cuda_obj_launch() does, then
 * fills @params with the CUkernel, the device's context, the shape and
 * @args' parameter pointers, whose values the driver copies. @shape gives
 * the cluster and cooperative settings, which a node takes as attributes.
 * FALSE with @error set as cuda_obj_launch() sets it. */
gboolean cuda_obj_launch_fill_node_params (CudaObjDevice *device, CudaObjLaunchConfig *config,
                                           CudaObjKernel *kernel, CudaObjKernelArgs *args,
                                           CUDA_KERNEL_NODE_PARAMS *params, const CudaObjLaunchShape **shape,
                                           GError **error);

/* The size of @kernel_view's parameter buffer, which cuda_obj_launch_packed()
 * requires of its bytes: the end of the last parameter. */
static inline gsize
cuda_obj_launch_packed_size (const CudaObjKernelView *kernel_view)
{
  if (kernel_view->n_params == 0)
    return 0;
  return kernel_view->param_offsets[kernel_view->n_params - 1]
         + kernel_view->param_sizes[kernel_view->n_params - 1];
}

G_END_DECLS
