/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: what views and collectives need from DataType. */
#pragma once

#include "cudaobj-data-type.h"

G_BEGIN_DECLS

/* CUDA_OBJ_ERROR_INVALID_ARGUMENT unless @data_type is a CudaObjDataType. */
gboolean cuda_obj_data_type_check (CudaObjDataType data_type, GError **error);

G_END_DECLS
