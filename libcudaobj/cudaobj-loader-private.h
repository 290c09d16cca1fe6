/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the loader's tables of driver, NVRTC, nvJitLink and libNVVM
 * entry points (one per line, grouped by area) and the CUresult check. */
#pragma once

#include <cuda.h>
#include <nvrtc.h>
#include <nvJitLink.h>
#include <nvvm.h>
/* nvFatbin.h is in full toolkits and in NVIDIA's nvidia-nvfatbin wheel, not
 * in every toolkit: without it, fatbin output reports that it is missing. */
#if __has_include(<nvFatbin.h>)
#include <nvFatbin.h>
#define CUDA_OBJ_HAVE_NVFATBIN 1
#else
#define CUDA_OBJ_HAVE_NVFATBIN 0
#endif
/* nvml.h and cufile.h come with the driver's development files and the
 * nvidia-nvml-dev and nvidia-cufile wheels, not with every toolkit: without
 * them, DeviceStatus and FileHandle report that they were left out. */
#if __has_include(<nvml.h>)
#include <nvml.h>
#define CUDA_OBJ_HAVE_NVML 1
#else
#define CUDA_OBJ_HAVE_NVML 0
#endif
#if __has_include(<cufile.h>)
#include <cufile.h>
#define CUDA_OBJ_HAVE_CUFILE 1
#else
#define CUDA_OBJ_HAVE_CUFILE 0
#endif

#include "cudaobj.h"

G_BEGIN_DECLS

/* Driver entry points libcudaobj uses, resolved once through cuGetProcAddress
 * at the CUDA version of the headers we build against. Each is typed by its
 * own cuda.h prototype (cuMemAlloc expands to cuMemAlloc_v2 there), so the
 * pointer and the requested version agree by construction. */
/* clang-format off */
#define CUDA_OBJ_DRIVER_FUNCTIONS(X)                       \
  /* Errors and initialization */                          \
  X (cuGetErrorString)                                     \
  X (cuGetErrorName)                                       \
  X (cuInit)                                               \
  X (cuDriverGetVersion)                                   \
  /* Devices */                                            \
  X (cuDeviceGet)                                          \
  X (cuDeviceGetCount)                                     \
  X (cuDeviceGetName)                                      \
  X (cuDeviceGetUuid)                                      \
  X (cuDeviceTotalMem)                                     \
  X (cuDeviceGetAttribute)                                 \
  X (cuDeviceGetPCIBusId)                                  \
  X (cuDeviceCanAccessPeer)                                \
  X (cuDevicePrimaryCtxRetain)                             \
  X (cuDevicePrimaryCtxRelease)                            \
  X (cuDevicePrimaryCtxReset)                              \
  X (cuDeviceGetDefaultMemPool)                            \
  X (cuDeviceGetMemPool)                                   \
  /* Contexts */                                           \
  X (cuCtxGetCurrent)                                      \
  X (cuCtxSetCurrent)                                      \
  X (cuCtxSynchronize)                                     \
  X (cuCtxEnablePeerAccess)                                \
  X (cuCtxGetStreamPriorityRange)                          \
  /* Streams and host functions */                         \
  X (cuStreamCreateWithPriority)                           \
  X (cuStreamDestroy)                                      \
  X (cuStreamSynchronize)                                  \
  X (cuStreamQuery)                                        \
  X (cuStreamWaitEvent)                                    \
  X (cuStreamGetPriority)                                  \
  X (cuStreamGetFlags)                                     \
  X (cuStreamGetCtx)                                       \
  X (cuStreamAddCallback)                                  \
  X (cuLaunchHostFunc)                                     \
  /* Events */                                             \
  X (cuEventCreate)                                        \
  X (cuEventDestroy)                                       \
  X (cuEventRecord)                                        \
  X (cuEventQuery)                                         \
  X (cuEventSynchronize)                                   \
  X (cuEventElapsedTime)                                   \
  /* Memory: allocation */                                 \
  X (cuMemGetInfo)                                         \
  X (cuMemAlloc)                                           \
  X (cuMemFree)                                            \
  X (cuMemAllocHost)                                       \
  X (cuMemHostAlloc)                                       \
  X (cuMemFreeHost)                                        \
  X (cuMemAllocManaged)                                    \
  X (cuMemAllocAsync)                                      \
  X (cuMemAllocFromPoolAsync)                              \
  X (cuMemFreeAsync)                                       \
  X (cuMemHostRegister)                                    \
  X (cuMemHostUnregister)                                  \
  X (cuPointerGetAttribute)                                \
  /* Memory: pools */                                      \
  X (cuMemPoolCreate)                                      \
  X (cuMemPoolDestroy)                                     \
  X (cuMemPoolSetAttribute)                                \
  X (cuMemPoolGetAttribute)                                \
  X (cuMemPoolTrimTo)                                      \
  X (cuMemPoolSetAccess)                                   \
  X (cuMemPoolGetAccess)                                   \
  /* Memory: copies and fills */                           \
  X (cuMemcpyAsync)                                        \
  X (cuMemcpyPeerAsync)                                    \
  X (cuMemcpyHtoDAsync)                                    \
  X (cuMemcpyDtoHAsync)                                    \
  X (cuMemcpyDtoDAsync)                                    \
  X (cuMemcpy2DAsync)                                      \
  X (cuMemcpy)                                             \
  X (cuMemcpyHtoD)                                         \
  X (cuMemcpyDtoH)                                         \
  X (cuMemsetD8Async)                                      \
  X (cuMemsetD16Async)                                     \
  X (cuMemsetD32Async)                                     \
  /* Libraries and kernels */                              \
  X (cuLibraryLoadData)                                    \
  X (cuLibraryUnload)                                      \
  X (cuLibraryGetKernel)                                   \
  X (cuKernelGetFunction)                                  \
  X (cuKernelGetAttribute)                                 \
  X (cuKernelGetParamInfo)                                 \
  X (cuKernelSetAttribute)                                 \
  X (cuFuncGetParamInfo)                                   \
  X (cuFuncGetAttribute)                                   \
  /* Launch and occupancy */                               \
  X (cuLaunchKernel)                                       \
  X (cuLaunchKernelEx)                                     \
  X (cuOccupancyMaxActiveBlocksPerMultiprocessorWithFlags) \
  X (cuOccupancyMaxPotentialBlockSize)                     \
  X (cuOccupancyAvailableDynamicSMemPerBlock)              \
  X (cuOccupancyMaxPotentialClusterSize)                   \
  X (cuOccupancyMaxActiveClusters)                         \
  /* Graphs and stream capture */                          \
  X (cuStreamBeginCapture)                                 \
  X (cuStreamEndCapture)                                   \
  X (cuStreamIsCapturing)                                  \
  X (cuStreamGetCaptureInfo)                               \
  X (cuThreadExchangeStreamCaptureMode)                    \
  X (cuGraphInstantiateWithFlags)                          \
  X (cuGraphUpload)                                        \
  X (cuGraphLaunch)                                        \
  X (cuGraphExecDestroy)                                   \
  X (cuGraphDestroy)                                       \
  X (cuGraphExecUpdate)                                    \
  X (cuGraphDebugDotPrint)                                 \
  X (cuGraphGetNodes)                                      \
  X (cuUserObjectCreate)                                   \
  X (cuUserObjectRelease)                                  \
  X (cuGraphRetainUserObject)                              \
  /* JIT linking: the Linker's fallback without nvJitLink */ \
  X (cuLinkCreate)                                         \
  X (cuLinkAddData)                                        \
  X (cuLinkComplete)                                       \
  X (cuLinkDestroy)
/* clang-format on */

/* Driver entry points that some drivers of our major version lack: NULL
 * then, and the caller reports CUDA_OBJ_ERROR_NOT_SUPPORTED. */
/* clang-format off */
#define CUDA_OBJ_DRIVER_OPTIONAL_FUNCTIONS(X)              \
  /* Checkpoint and restore (Linux drivers of CUDA 12.8 and newer) */ \
  X (cuCheckpointProcessGetRestoreThreadId)                \
  X (cuCheckpointProcessGetState)                          \
  X (cuCheckpointProcessLock)                              \
  X (cuCheckpointProcessCheckpoint)                        \
  X (cuCheckpointProcessRestore)                           \
  X (cuCheckpointProcessUnlock)
/* clang-format on */

typedef struct
{
#define CUDA_OBJ_DRIVER_FIELD(name) __typeof__ (name) *name;
  CUDA_OBJ_DRIVER_FUNCTIONS (CUDA_OBJ_DRIVER_FIELD)
  CUDA_OBJ_DRIVER_OPTIONAL_FUNCTIONS (CUDA_OBJ_DRIVER_FIELD)
#undef CUDA_OBJ_DRIVER_FIELD
  int version; /* cuDriverGetVersion, e.g. 13000 */
} CudaObjDriver;

/* clang-format off */
#define CUDA_OBJ_NVRTC_FUNCTIONS(X) \
  /* Errors and versions */         \
  X (nvrtcGetErrorString)           \
  X (nvrtcVersion)                  \
  X (nvrtcGetNumSupportedArchs)     \
  X (nvrtcGetSupportedArchs)        \
  /* Programs */                    \
  X (nvrtcCreateProgram)            \
  X (nvrtcDestroyProgram)           \
  X (nvrtcCompileProgram)           \
  X (nvrtcGetProgramLogSize)        \
  X (nvrtcGetProgramLog)            \
  X (nvrtcAddNameExpression)        \
  X (nvrtcGetLoweredName)           \
  /* Results */                     \
  X (nvrtcGetPTXSize)               \
  X (nvrtcGetPTX)                   \
  X (nvrtcGetCUBINSize)             \
  X (nvrtcGetCUBIN)                 \
  X (nvrtcGetLTOIRSize)             \
  X (nvrtcGetLTOIR)
/* clang-format on */

typedef struct
{
#define CUDA_OBJ_NVRTC_FIELD(name) __typeof__ (name) *name;
  CUDA_OBJ_NVRTC_FUNCTIONS (CUDA_OBJ_NVRTC_FIELD)
#undef CUDA_OBJ_NVRTC_FIELD
  int major, minor;
} CudaObjNvrtc;

/* nvJitLink's header maps each name to a versioned symbol
 * (nvJitLinkCreate -> __nvJitLinkCreate_13_0), resolved by that name. */
/* clang-format off */
#define CUDA_OBJ_NVJITLINK_FUNCTIONS(X)                          \
  /* Linking */                                                  \
  X (nvJitLinkCreate, __nvJitLinkCreate)                         \
  X (nvJitLinkDestroy, __nvJitLinkDestroy)                       \
  X (nvJitLinkAddData, __nvJitLinkAddData)                       \
  X (nvJitLinkAddFile, __nvJitLinkAddFile)                       \
  X (nvJitLinkComplete, __nvJitLinkComplete)                     \
  /* Results */                                                  \
  X (nvJitLinkGetLinkedCubinSize, __nvJitLinkGetLinkedCubinSize) \
  X (nvJitLinkGetLinkedCubin, __nvJitLinkGetLinkedCubin)         \
  X (nvJitLinkGetLinkedPtxSize, __nvJitLinkGetLinkedPtxSize)     \
  X (nvJitLinkGetLinkedPtx, __nvJitLinkGetLinkedPtx)             \
  /* Logs */                                                     \
  X (nvJitLinkGetErrorLogSize, __nvJitLinkGetErrorLogSize)       \
  X (nvJitLinkGetErrorLog, __nvJitLinkGetErrorLog)               \
  X (nvJitLinkGetInfoLogSize, __nvJitLinkGetInfoLogSize)         \
  X (nvJitLinkGetInfoLog, __nvJitLinkGetInfoLog)
/* clang-format on */

typedef struct
{
#define CUDA_OBJ_NVJITLINK_FIELD(name, symbol) __typeof__ (name) *name;
  CUDA_OBJ_NVJITLINK_FUNCTIONS (CUDA_OBJ_NVJITLINK_FIELD)
#undef CUDA_OBJ_NVJITLINK_FIELD
  __typeof__ (nvJitLinkVersion) *nvJitLinkVersion;
  int major, minor;
} CudaObjNvJitLink;

/* clang-format off */
#define CUDA_OBJ_NVVM_FUNCTIONS(X) \
  /* Errors and versions */        \
  X (nvvmGetErrorString)           \
  X (nvvmVersion)                  \
  X (nvvmIRVersion)                \
  /* Programs */                   \
  X (nvvmCreateProgram)            \
  X (nvvmDestroyProgram)           \
  X (nvvmAddModuleToProgram)       \
  X (nvvmLazyAddModuleToProgram)   \
  X (nvvmCompileProgram)           \
  X (nvvmVerifyProgram)            \
  /* Results and logs */           \
  X (nvvmGetCompiledResultSize)    \
  X (nvvmGetCompiledResult)        \
  X (nvvmGetProgramLogSize)        \
  X (nvvmGetProgramLog)
/* clang-format on */

typedef struct
{
#define CUDA_OBJ_NVVM_FIELD(name) __typeof__ (name) *name;
  CUDA_OBJ_NVVM_FUNCTIONS (CUDA_OBJ_NVVM_FIELD)
#undef CUDA_OBJ_NVVM_FIELD
  int major, minor;
} CudaObjNvvm;

#if CUDA_OBJ_HAVE_NVFATBIN
/* clang-format off */
#define CUDA_OBJ_NVFATBIN_FUNCTIONS(X) \
  /* Errors and versions */            \
  X (nvFatbinGetErrorString)           \
  X (nvFatbinVersion)                  \
  /* Building */                       \
  X (nvFatbinCreate)                   \
  X (nvFatbinDestroy)                  \
  X (nvFatbinAddCubin)                 \
  X (nvFatbinAddPTX)                   \
  X (nvFatbinAddLTOIR)                 \
  /* Results */                        \
  X (nvFatbinSize)                     \
  X (nvFatbinGet)
/* clang-format on */

typedef struct
{
#define CUDA_OBJ_NVFATBIN_FIELD(name) __typeof__ (name) *name;
  CUDA_OBJ_NVFATBIN_FUNCTIONS (CUDA_OBJ_NVFATBIN_FIELD)
#undef CUDA_OBJ_NVFATBIN_FIELD
  int major, minor;
} CudaObjNvFatbin;

const CudaObjNvFatbin *cuda_obj_nvfatbin_get (GError **error);
#endif

#if CUDA_OBJ_HAVE_NVML
/* NVML names are versioned in nvml.h (nvmlInit -> nvmlInit_v2); the list
 * names each at the version whose prototype the header declares, which is
 * also the symbol resolved. */
/* clang-format off */
#define CUDA_OBJ_NVML_FUNCTIONS(X)               \
  /* Initialization and errors */               \
  X (nvmlInit_v2)                               \
  X (nvmlShutdown)                              \
  X (nvmlErrorString)                           \
  /* System */                                  \
  X (nvmlSystemGetDriverVersion)                \
  X (nvmlSystemGetCudaDriverVersion_v2)         \
  X (nvmlSystemGetProcessName)                  \
  /* Devices */                                 \
  X (nvmlDeviceGetHandleByPciBusId_v2)          \
  X (nvmlDeviceGetHandleByUUID)                 \
  /* Device status */                           \
  X (nvmlDeviceGetUtilizationRates)             \
  X (nvmlDeviceGetMemoryInfo_v2)                \
  X (nvmlDeviceGetPowerUsage)                   \
  X (nvmlDeviceGetEnforcedPowerLimit)           \
  X (nvmlDeviceGetClockInfo)                    \
  X (nvmlDeviceGetFanSpeed)                     \
  X (nvmlDeviceGetComputeRunningProcesses_v3)
/* clang-format on */

/* Entry points of newer drivers only: NULL when absent. */
/* clang-format off */
#define CUDA_OBJ_NVML_OPTIONAL_FUNCTIONS(X)      \
  /* System (R550 and newer) */                 \
  X (nvmlSystemGetDriverBranch)                 \
  /* Device status (R565 and newer) */          \
  X (nvmlDeviceGetTemperatureV)
/* clang-format on */

typedef struct
{
#define CUDA_OBJ_NVML_FIELD(name) __typeof__ (name) *name;
  CUDA_OBJ_NVML_FUNCTIONS (CUDA_OBJ_NVML_FIELD)
  CUDA_OBJ_NVML_OPTIONAL_FUNCTIONS (CUDA_OBJ_NVML_FIELD)
#undef CUDA_OBJ_NVML_FIELD
} CudaObjNvml;

/* Loads NVML; it is initialized by its users (nvmlInit_v2 counts). */
const CudaObjNvml *cuda_obj_nvml_get (GError **error);
#endif

#if CUDA_OBJ_HAVE_CUFILE
/* cufile.h maps cuFileDriverClose to cuFileDriverClose_v2; libcudaobj never
 * closes the cuFile driver (see cudaobj-file-handle.c), so the list does not
 * name it. */
/* clang-format off */
#define CUDA_OBJ_CUFILE_FUNCTIONS(X) \
  /* Driver */                      \
  X (cuFileGetVersion)              \
  X (cuFileDriverOpen)              \
  X (cuFileDriverGetProperties)     \
  /* Files */                       \
  X (cuFileHandleRegister)          \
  X (cuFileHandleDeregister)        \
  /* Synchronous I/O */             \
  X (cuFileRead)                    \
  X (cuFileWrite)                   \
  /* Stream-ordered I/O */          \
  X (cuFileReadAsync)               \
  X (cuFileWriteAsync)
/* clang-format on */

/* Entry points of newer cuFile releases only: NULL when absent. */
/* clang-format off */
#define CUDA_OBJ_CUFILE_OPTIONAL_FUNCTIONS(X) \
  /* Configuration (cuFile 1.9 and newer) */ \
  X (cuFileGetParameterBool)
/* clang-format on */

typedef struct
{
#define CUDA_OBJ_CUFILE_FIELD(name) __typeof__ (name) *name;
  CUDA_OBJ_CUFILE_FUNCTIONS (CUDA_OBJ_CUFILE_FIELD)
  CUDA_OBJ_CUFILE_OPTIONAL_FUNCTIONS (CUDA_OBJ_CUFILE_FIELD)
#undef CUDA_OBJ_CUFILE_FIELD
  int version; /* cuFileGetVersion, e.g. 1150 */
} CudaObjCuFile;

const CudaObjCuFile *cuda_obj_cufile_get (GError **error);
#endif

/* Load on first use; NULL with @error set when the library cannot be had. */
const CudaObjDriver *cuda_obj_driver_get (GError **error);
const CudaObjNvrtc *cuda_obj_nvrtc_get (GError **error);
const CudaObjNvJitLink *cuda_obj_nvjitlink_get (GError **error);
const CudaObjNvvm *cuda_obj_nvvm_get (GError **error);
/* The driver table if it was loaded already, else NULL; never loads. */
const CudaObjDriver *cuda_obj_driver_peek (void);

/* Turns a failed CUresult into a CUDA_OBJ_DRIVER_ERROR naming @call (or
 * CUDA_OBJ_ERROR_DEVICE_LOST once an earlier sticky fault lost the device).
 * Defined in cudaobj-error.c, which asks the driver loaded here to
 * describe it. */
gboolean cuda_obj_check_failed (CUresult result, const char *call, GError **error);

static inline gboolean
cuda_obj_check (CUresult result, const char *call, GError **error)
{
  if (G_LIKELY (result == CUDA_SUCCESS))
    return TRUE;
  return cuda_obj_check_failed (result, call, error);
}

G_END_DECLS
