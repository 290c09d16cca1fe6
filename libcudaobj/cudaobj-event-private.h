/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what other classes need from an Event. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* The CUevent, or NULL with CUDA_OBJ_ERROR_CLOSED once the event was
 * disposed. */
CUevent cuda_obj_event_peek_handle (CudaObjEvent *self, GError **error);

G_END_DECLS
