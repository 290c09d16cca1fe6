/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what GraphDefinition needs from Graph. */
#pragma once

#include "cudaobj-loader-private.h"
#include "cudaobj-graph-template-private.h"

G_BEGIN_DECLS

/* Instantiates @definition's graph (@template, which stays the
 * definition's) into a Graph that keeps @definition, and with it the
 * objects its nodes use. Checks @flags and @upload_stream as
 * cuda_obj_graph_builder_complete() does. */
CudaObjGraph *cuda_obj_graph_new_from_definition (CudaObjGraphDefinition *definition,
                                                  CudaObjGraphTemplate *template,
                                                  CudaObjGraphInstantiateFlags flags,
                                                  CudaObjStream *upload_stream, GError **error);

G_END_DECLS
