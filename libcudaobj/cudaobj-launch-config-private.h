/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the launch path reads a LaunchConfig's fields directly. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

typedef struct
{
  guint grid[3];
  guint block[3];
  guint cluster[3];
  guint shared_memory_bytes;
  gboolean cooperative;
  gboolean programmatic_stream_serialization;
  int priority;
  /* The launch attributes the settings above make, rebuilt whenever one
   * changes so that a launch only points at them. */
  CUlaunchAttribute attributes[4];
  guint n_attributes;
} CudaObjLaunchShape;

const CudaObjLaunchShape *cuda_obj_launch_config_peek_shape (CudaObjLaunchConfig *self);

G_END_DECLS
