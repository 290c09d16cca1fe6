/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what the simple memory resources share.
 *
 * SyncMemoryResource, LegacyPinnedMemoryResource, ManagedMemoryResource and
 * GraphMemoryResource differ
 * only in their driver calls and in whether the host can reach their
 * memory: each holds nothing but a construct-only device (device 0 when
 * none is given) and answers the interface's accessibility properties with
 * constants. These helpers are that common part; each class keeps its own
 * type, doc comments, dispose and allocate/deallocate. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* Installs a simple resource's properties on @object_class: its own
 * construct-only "device", and the interface's "is-device-accessible" and
 * "is-host-accessible", overridden. */
void cuda_obj_simple_resource_install_properties (GObjectClass *object_class);

/* The body of a simple resource's get_property: the properties above, the
 * memory being device-accessible and host-accessible when
 * @is_host_accessible. FALSE for any other @prop_id. */
gboolean cuda_obj_simple_resource_get_property (CudaObjDevice *device, gboolean is_host_accessible,
                                                guint prop_id, GValue *value);

/* The body of a simple resource's set_property: stores the "device" in
 * *@device. FALSE for any other @prop_id. */
gboolean cuda_obj_simple_resource_set_property (CudaObjDevice **device, guint prop_id, const GValue *value);

/* The body of a simple resource's GInitable init: takes device 0 when no
 * device was given. */
gboolean cuda_obj_simple_resource_init_device (CudaObjDevice **device, GError **error);

/* TRUE when the resource @self has an initialized device; else FALSE with
 * CUDA_OBJ_ERROR_NOT_INITIALIZED naming @func: a resource made with a plain
 * constructor and never initialized has no device. */
gboolean cuda_obj_simple_resource_require (gpointer self, CudaObjDevice *device, const char *func,
                                           GError **error);

G_END_DECLS
