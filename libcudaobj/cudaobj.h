/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: CUDA as GObject classes. The only header applications include. */
#pragma once

#define __CUDAOBJ_H_INSIDE__

#include "cudaobj-version.h"
#include "cudaobj-cuda-enums.h"
#include "cudaobj-enum-types.h"
#include "cudaobj-error.h"
#include "cudaobj-library.h"
#include "cudaobj-loader.h"
#include "cudaobj-device.h"
#include "cudaobj-object-code.h"
#include "cudaobj-compile-cache.h"
#include "cudaobj-program-options.h"
#include "cudaobj-linker-options.h"
#include "cudaobj-linker.h"
#include "cudaobj-program.h"
#include "cudaobj-stream.h"
#include "cudaobj-event.h"
#include "cudaobj-memory-resource.h"
#include "cudaobj-buffer.h"
#include "cudaobj-device-memory-resource.h"
#include "cudaobj-pinned-memory-resource.h"
#include "cudaobj-managed-memory-resource.h"
#include "cudaobj-sync-memory-resource.h"
#include "cudaobj-graph-builder.h"
#include "cudaobj-graph.h"
#include "cudaobj-host-callback.h"
#include "cudaobj-data-type.h"
#include "cudaobj-strided-view.h"
#include "cudaobj-checkpoint.h"
#include "cudaobj-gpu-process.h"
#include "cudaobj-device-status.h"
#include "cudaobj-file-handle.h"

#include "cudaobj-launch-config.h"
#include "cudaobj-kernel-args.h"
#include "cudaobj-kernel.h"
#include "cudaobj-launch.h"

#undef __CUDAOBJ_H_INSIDE__
