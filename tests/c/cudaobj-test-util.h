/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared helpers of the C tests. */
#pragma once

#include <cudaobj.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* TRUE when a CUDA driver and at least one device are usable; otherwise
 * FALSE with *reason saying why, for g_test_skip(). */
gboolean cudaobj_test_have_gpu (const char **reason);

/* The first device, or skips the current test (returns NULL). */
CudaObjDevice *cudaobj_test_device_or_skip (void);

G_END_DECLS

G_BEGIN_DECLS

/* Compiles CUDA C++ for device 0's architecture to CUBIN, with the given
 * name expressions (nullable); asserts success. */
CudaObjObjectCode *cudaobj_test_compile (CudaObjDevice *device, const char *source,
                                         const char *const *name_expressions);

G_END_DECLS

G_BEGIN_DECLS

/* A new_from_handle constructor: (device, handle, owner, error). */
typedef gpointer (*CudaObjTestWrapFunc) (CudaObjDevice *device, guint64 handle, GObject *owner,
                                         GError **error);

/* What every new_from_handle gives for bad input on any machine: handle 0
 * is INVALID_ARGUMENT with @zero_message in its text; a handle with an
 * uninitialized device NOT_INITIALIZED, with a NULL device
 * INVALID_ARGUMENT (both LIBRARY_NOT_FOUND without a driver); and the
 * failed wrappers keep no reference on the owner. */
void cudaobj_test_new_from_handle_invalid (CudaObjTestWrapFunc wrap, const char *zero_message);

G_END_DECLS
