/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the DLPack exchange structs.
 *
 * Declared here from the published DLPack specification
 * (https://dmlc.github.io/dlpack/latest/c_api.html, DLPack 1.1), not copied
 * from dlpack.h: distributions ship 0.x headers that lack the versioned
 * struct. The layouts are the ABI the specification fixes; the legacy
 * unversioned DLManagedTensor is what consumers before DLPack 1.0 (and the
 * "dltensor" capsule) use. */
#pragma once

#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

/* The version this library produces. */
#define CUDA_OBJ_DLPACK_MAJOR_VERSION 1
#define CUDA_OBJ_DLPACK_MINOR_VERSION 1

typedef struct
{
  uint32_t major;
  uint32_t minor;
} DLPackVersion;

/* clang-format off */
typedef enum
{
  kDLCPU         = 1,
  kDLCUDA        = 2,
  kDLCUDAHost    = 3,
  kDLOpenCL      = 4,
  kDLVulkan      = 7,
  kDLMetal       = 8,
  kDLVPI         = 9,
  kDLROCM        = 10,
  kDLROCMHost    = 11,
  kDLExtDev      = 12,
  kDLCUDAManaged = 13,
  kDLOneAPI      = 14,
  kDLWebGPU      = 15,
  kDLHexagon     = 16,
  kDLMAIA        = 17,
} DLDeviceType;

typedef enum
{
  kDLInt          = 0,
  kDLUInt         = 1,
  kDLFloat        = 2,
  kDLOpaqueHandle = 3,
  kDLBfloat       = 4,
  kDLComplex      = 5,
  kDLBool         = 6,
} DLDataTypeCode;
/* clang-format on */

typedef struct
{
  DLDeviceType device_type;
  int32_t device_id;
} DLDevice;

typedef struct
{
  uint8_t code; /* a DLDataTypeCode */
  uint8_t bits;
  uint16_t lanes;
} DLDataType;

typedef struct
{
  void *data; /* the tensor's first element is at data + byte_offset */
  DLDevice device;
  int32_t ndim;
  DLDataType dtype;
  int64_t *shape;
  int64_t *strides; /* in elements; NULL: compact row-major */
  uint64_t byte_offset;
} DLTensor;

/* Legacy (DLPack < 1.0), the "dltensor" capsule's content. */
typedef struct DLManagedTensor
{
  DLTensor dl_tensor;
  void *manager_ctx;
  void (*deleter) (struct DLManagedTensor *self);
} DLManagedTensor;

#define DLPACK_FLAG_BITMASK_READ_ONLY (UINT64_C (1) << 0)
#define DLPACK_FLAG_BITMASK_IS_COPIED (UINT64_C (1) << 1)
#define DLPACK_FLAG_BITMASK_IS_SUBBYTE_TYPE_PADDED (UINT64_C (1) << 2)

/* DLPack >= 1.0, the "dltensor_versioned" capsule's content. */
typedef struct DLManagedTensorVersioned
{
  DLPackVersion version;
  void *manager_ctx;
  void (*deleter) (struct DLManagedTensorVersioned *self);
  uint64_t flags;
  DLTensor dl_tensor;
} DLManagedTensorVersioned;

G_END_DECLS
