/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what kernel arguments need from TensorMap. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* The encoded CUtensorMap (CUDA_OBJ_TENSOR_MAP_SIZE bytes, 128-byte
 * aligned) and, through @buffer, the buffer the map points into (NULL for
 * a raw address or memory that is not a Buffer); NULL with
 * CUDA_OBJ_ERROR_NOT_INITIALIZED set for a map never encoded. */
const CUtensorMap *cuda_obj_tensor_map_peek (CudaObjTensorMap *self, CudaObjBuffer **buffer, GError **error);

G_END_DECLS
