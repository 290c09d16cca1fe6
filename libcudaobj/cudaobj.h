/* libcudaobj: CUDA as GObject classes. The only header applications include. */
#pragma once

#define __CUDAOBJ_H_INSIDE__

#include "cudaobj-version.h"
#include "cudaobj-cuda-enums.h"
#include "cudaobj-enum-types.h"
#include "cudaobj-error.h"
#include "cudaobj-loader.h"
#include "cudaobj-device.h"

#undef __CUDAOBJ_H_INSIDE__
