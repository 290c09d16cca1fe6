/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what other classes need from a Device. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

CUdevice cuda_obj_device_get_handle (CudaObjDevice *self);

/* Device:memory-resource as set, unchecked (NULL: the default resource).
 * The checks are cuda_obj_device_set_memory_resource()'s and
 * cuda_obj_device_allocate()'s, in cudaobj-device-memory-resource.c with
 * the default resource. */
void cuda_obj_device_store_memory_resource (CudaObjDevice *self, CudaObjMemoryResource *resource);
/* The resource set, or NULL for the default (transfer full). */
CudaObjMemoryResource *cuda_obj_device_dup_chosen_memory_resource (CudaObjDevice *self);

/* The driver's location of memory on @device, or on the host for NULL:
 * libcudaobj's memory APIs take a nullable Device where the driver takes a
 * CUmemLocation. */
CUmemLocation cuda_obj_device_memory_location (CudaObjDevice *device);

/* TRUE for an initialized @device; else FALSE with
 * CUDA_OBJ_ERROR_INVALID_ARGUMENT (NULL @argument of @func) or
 * CUDA_OBJ_ERROR_NOT_INITIALIZED. For devices given as arguments. */
gboolean cuda_obj_device_require (CudaObjDevice *device, const char *func, const char *argument,
                                  GError **error);

/* What a launch configuration is checked against, read once at construction. */
typedef struct
{
  int max_threads_per_block;
  int max_block_dim[3];
  int max_grid_dim[3];
  int max_shared_memory_per_block_optin;
  int cooperative_launch;
  int cluster_launch;
} CudaObjDeviceLimits;

const CudaObjDeviceLimits *cuda_obj_device_peek_limits (CudaObjDevice *self);

/* The retained primary context, retaining it on first use. */
CUcontext cuda_obj_device_get_context (CudaObjDevice *self, GError **error);

/* Makes the device's primary context current on the calling thread if it is
 * not already (one cuCtxGetCurrent when it is); every driver call that needs
 * a context goes through this first. */
gboolean cuda_obj_device_activate (CudaObjDevice *self, GError **error);

/* Objects that hold driver handles of a device's primary context (streams,
 * events, buffers, pools, graphs) register here at construction and
 * unregister when disposed; cuda_obj_device_reset() calls each one's
 * invalidate function, under the registry's lock, before it destroys the
 * context. An invalidate function drops the object's handles WITHOUT calling
 * the driver (the context is about to go) and puts the object in its closed
 * state; it only sets fields: no unref, no signal, no driver call, no other
 * lock. The registry is touched at construction and disposal only, never on
 * the launch path. Unregistering an object that is not registered (again,
 * or after a reset) does nothing. */
typedef void (*CudaObjDeviceInvalidateFunc) (gpointer object);

void cuda_obj_device_register (CudaObjDevice *self, gpointer object, CudaObjDeviceInvalidateFunc invalidate);
void cuda_obj_device_unregister (CudaObjDevice *self, gpointer object);

/* The message of the CUDA_OBJ_ERROR_CLOSED error of an object that a reset
 * invalidated: "<what> was closed by the reset of device N (name)". */
void cuda_obj_device_set_reset_error (CudaObjDevice *self, const char *what, GError **error);

/* Whether @result leaves the context unusable (illegal address, trap,
 * failed device assertion, ...): the driver's "sticky" errors. */
gboolean cuda_obj_result_is_sticky (CUresult result);

/* For cuda_obj_check_failed(), the slow path only: marks the device whose
 * primary context is current on the calling thread as lost to @result (the
 * first time: #CudaObjDevice:lost becomes TRUE at once, notify and ::lost
 * follow in the global-default main context). Returns that device
 * (borrowed: devices live as long as the process), or NULL when no
 * device's primary context is current; @already_lost tells whether an
 * earlier error had marked it, and @first_result gives that error. */
CudaObjDevice *cuda_obj_device_mark_lost (CUresult result, gboolean *already_lost, CUresult *first_result);

G_END_DECLS
