/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what the launch path reads from KernelArgs. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

typedef struct
{
  gsize size; /* 0 until set */
  guint alignment;
  CudaObjBuffer *buffer; /* owned; checked open at launch */
} CudaObjKernelArgSlot;

typedef struct
{
  guint n_args;
  const CudaObjKernelArgSlot *slots;
  void **params;      /* what cuLaunchKernelEx takes */
  const char *misuse; /* the first misuse of the setters, or NULL */
} CudaObjKernelArgsView;

void cuda_obj_kernel_args_peek (CudaObjKernelArgs *self, CudaObjKernelArgsView *view);

G_END_DECLS
