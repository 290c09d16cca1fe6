/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the captured graph GraphBuilder and Graph share. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* A captured CUgraph, shared by the builder that captured it and every
 * Graph instantiated from it (for node counts and DOT dumps; an executable
 * graph does not need its source once instantiated). Atomically reference
 * counted (g_atomic_rc_box); the last release destroys the CUgraph with its
 * device's context current, unless it is a foreign one. */
typedef struct _CudaObjGraphTemplate
{
  CudaObjDevice *device; /* owned */
  CUgraph handle;        /* owned unless owns_handle is FALSE */
  gboolean owns_handle;
} CudaObjGraphTemplate;

/* Takes over @handle. */
CudaObjGraphTemplate *cuda_obj_graph_template_new (CudaObjDevice *device, CUgraph handle);
/* Borrows @handle: the last release leaves it alone. */
CudaObjGraphTemplate *cuda_obj_graph_template_new_foreign (CudaObjDevice *device, CUgraph handle);
CudaObjGraphTemplate *cuda_obj_graph_template_ref (CudaObjGraphTemplate *self);
void cuda_obj_graph_template_unref (CudaObjGraphTemplate *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CudaObjGraphTemplate, cuda_obj_graph_template_unref)

/* Node count and DOT dump of any CUgraph of @device. */
gboolean cuda_obj_graph_count_nodes (CudaObjDevice *device, CUgraph graph, gsize *count, GError **error);
gboolean cuda_obj_graph_write_dot (CudaObjDevice *device, CUgraph graph, const char *path, gboolean verbose,
                                   GError **error);
char *cuda_obj_graph_read_dot (CudaObjDevice *device, CUgraph graph, gboolean verbose, GError **error);
/* The same with the driver's CUgraphDebugDot_flags. */
gboolean cuda_obj_graph_write_dot_flags (CudaObjDevice *device, CUgraph graph, const char *path, guint flags,
                                         GError **error);
char *cuda_obj_graph_read_dot_flags (CudaObjDevice *device, CUgraph graph, guint flags, GError **error);

G_END_DECLS
