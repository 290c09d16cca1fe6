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

/* Moves an open buffer's span to @handle and @size bytes, for a resource
 * that grew the memory under it (VirtualMemoryResource.grow); notifies
 * what changed. The resource has checked that the buffer is its own. */
void cuda_obj_buffer_set_span (CudaObjBuffer *self, guint64 handle, gsize size);

G_END_DECLS
