/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a file that cuFile reads into and writes from device memory. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-buffer.h"
#include "cudaobj-stream.h"

G_BEGIN_DECLS

#define CUDA_OBJ_TYPE_FILE_HANDLE (cuda_obj_file_handle_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjFileHandle, cuda_obj_file_handle, CUDA_OBJ, FILE_HANDLE, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjFileHandle *cuda_obj_file_handle_new (const char *path, gboolean writable, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjFileHandle *cuda_obj_file_handle_new_for_fd (int fd, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gssize cuda_obj_file_handle_read (CudaObjFileHandle *self, CudaObjBuffer *buffer, gsize size,
                                  goffset file_offset, gsize buffer_offset, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gssize cuda_obj_file_handle_write (CudaObjFileHandle *self, CudaObjBuffer *buffer, gsize size,
                                   goffset file_offset, gsize buffer_offset, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_file_handle_read_async (CudaObjFileHandle *self, CudaObjBuffer *buffer, gsize size,
                                      goffset file_offset, gsize buffer_offset, CudaObjStream *stream,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);

CUDA_OBJ_AVAILABLE_IN_1_0
gssize cuda_obj_file_handle_read_finish (CudaObjFileHandle *self, GAsyncResult *result, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_file_handle_write_async (CudaObjFileHandle *self, CudaObjBuffer *buffer, gsize size,
                                       goffset file_offset, gsize buffer_offset, CudaObjStream *stream,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);

CUDA_OBJ_AVAILABLE_IN_1_0
gssize cuda_obj_file_handle_write_finish (CudaObjFileHandle *self, GAsyncResult *result, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_file_handle_close (CudaObjFileHandle *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_file_handle_get_path (CudaObjFileHandle *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_file_handle_get_writable (CudaObjFileHandle *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_file_handle_get_direct (CudaObjFileHandle *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_file_handle_get_compat_mode (CudaObjFileHandle *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_file_handle_get_cufile (CudaObjFileHandle *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_file_handle_get_size (CudaObjFileHandle *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_file_handle_get_closed (CudaObjFileHandle *self);

G_END_DECLS
