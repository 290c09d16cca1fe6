/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: handing shared memory pools and descriptors to another
 * process with GIO (Unix sockets and D-Bus). */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-device-memory-resource.h"

G_BEGIN_DECLS

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_ipc_send_pool (GSocketConnection *connection, CudaObjDeviceMemoryResource *resource,
                                 GCancellable *cancellable, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_ipc_send_pool_async (GSocketConnection *connection, CudaObjDeviceMemoryResource *resource,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_ipc_send_pool_finish (GSocketConnection *connection, GAsyncResult *result, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDeviceMemoryResource *cuda_obj_ipc_receive_pool (GSocketConnection *connection, CudaObjDevice *device,
                                                        GCancellable *cancellable, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_ipc_receive_pool_async (GSocketConnection *connection, CudaObjDevice *device,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDeviceMemoryResource *cuda_obj_ipc_receive_pool_finish (GSocketConnection *connection,
                                                               GAsyncResult *result, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_ipc_send_descriptor (GSocketConnection *connection, GBytes *descriptor,
                                       GCancellable *cancellable, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_ipc_send_descriptor_async (GSocketConnection *connection, GBytes *descriptor,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_ipc_send_descriptor_finish (GSocketConnection *connection, GAsyncResult *result,
                                              GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GBytes *cuda_obj_ipc_receive_descriptor (GSocketConnection *connection, GCancellable *cancellable,
                                         GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_ipc_receive_descriptor_async (GSocketConnection *connection, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);

CUDA_OBJ_AVAILABLE_IN_1_0
GBytes *cuda_obj_ipc_receive_descriptor_finish (GSocketConnection *connection, GAsyncResult *result,
                                                GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GVariant *cuda_obj_ipc_pool_to_dbus (CudaObjDeviceMemoryResource *resource, GUnixFDList *fd_list,
                                     GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDeviceMemoryResource *cuda_obj_ipc_pool_from_dbus (CudaObjDevice *device, GVariant *handle,
                                                          GUnixFDList *fd_list, GError **error);

G_END_DECLS
