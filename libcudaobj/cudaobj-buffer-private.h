/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what memory resources need from Buffer. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* A buffer over memory that @resource allocated on @device; closing it calls
 * the resource's deallocate with @handle and @size. Never fails: the
 * resource has checked everything already. */
CudaObjBuffer *cuda_obj_buffer_new_owned (CudaObjMemoryResource *resource, CudaObjDevice *device,
                                          guint64 handle, gsize size, gboolean device_accessible,
                                          gboolean host_accessible);

G_END_DECLS
