/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what streams need from a Context. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* The CUcontext to make current for work in @self, or NULL for the
 * device's primary context (so primary streams keep the device's fast
 * path); FALSE with NOT_INITIALIZED or CLOSED when @self cannot be used. */
gboolean cuda_obj_context_peek (CudaObjContext *self, CUcontext *handle, GError **error);

/* The green context behind @self, or NULL. */
CUgreenCtx cuda_obj_context_peek_green (CudaObjContext *self);

/* Makes @context current on the calling thread unless it already is (one
 * cuCtxGetCurrent then). @context is not NULL. */
static inline gboolean
cuda_obj_context_activate_handle (CUcontext context, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUcontext current = NULL;

  if (drv->cuCtxGetCurrent (&current) == CUDA_SUCCESS && current == context)
    return TRUE;
  return cuda_obj_check (drv->cuCtxSetCurrent (context), "cuCtxSetCurrent", error);
}

G_END_DECLS
