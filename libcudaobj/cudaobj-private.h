/* libcudaobj: internal declarations shared by the library's classes. */
#pragma once

#include <cuda.h>
#include <nvrtc.h>
#include <nvJitLink.h>
#include <nvvm.h>

#include "cudaobj.h"

G_BEGIN_DECLS

/* Driver entry points libcudaobj uses, resolved once through cuGetProcAddress
 * at the CUDA version of the headers we build against. Each is typed by its
 * own cuda.h prototype (cuMemAlloc expands to cuMemAlloc_v2 there), so the
 * pointer and the requested version agree by construction. */
#define CUDA_OBJ_DRIVER_FUNCTIONS(X)                                                                           \
  X (cuGetErrorString)                                                                                         \
  X (cuGetErrorName) X (cuInit) X (cuDriverGetVersion) X (cuDeviceGet) X (cuDeviceGetCount) X (                \
      cuDeviceGetName) X (cuDeviceGetUuid) X (cuDeviceTotalMem) X (cuDeviceGetAttribute)                       \
      X (cuDeviceGetPCIBusId) X (cuDeviceCanAccessPeer) X (cuDevicePrimaryCtxRetain) X (                       \
          cuDevicePrimaryCtxRelease) X (cuDeviceGetDefaultMemPool) X (cuDeviceGetMemPool)                      \
          X (cuCtxGetCurrent) X (cuCtxSetCurrent) X (cuCtxSynchronize) X (cuCtxEnablePeerAccess) X (           \
              cuCtxGetStreamPriorityRange) X (cuMemGetInfo) X (cuStreamCreateWithPriority)                     \
              X (cuStreamDestroy) X (cuStreamSynchronize) X (cuStreamQuery) X (cuStreamWaitEvent) X (          \
                  cuStreamGetPriority) X (cuStreamGetFlags) X (cuStreamGetCtx) X (cuStreamAddCallback)         \
                  X (cuLaunchHostFunc) X (cuEventCreate) X (cuEventDestroy) X (cuEventRecord) X (              \
                      cuEventQuery) X (cuEventSynchronize) X (cuEventElapsedTime) X (cuMemAlloc) X (cuMemFree) \
                      X (cuMemAllocHost) X (cuMemHostAlloc) X (cuMemFreeHost) X (cuMemAllocManaged) X (        \
                          cuMemAllocAsync) X (cuMemAllocFromPoolAsync) X (cuMemFreeAsync) X (cuMemPoolCreate)  \
                          X (cuMemPoolDestroy) X (cuMemPoolSetAttribute) X (cuMemPoolGetAttribute) X (         \
                              cuMemPoolTrimTo) X (cuMemPoolSetAccess) X (cuMemPoolGetAccess) X (cuMemcpyAsync) X (cuMemcpyPeerAsync) X (cuMemcpyHtoDAsync)   \
                              X (cuMemcpyDtoHAsync) X (cuMemcpyDtoDAsync) X (cuMemcpy) X (cuMemcpyHtoD) X (    \
                                  cuMemcpyDtoH) X (cuMemsetD8Async) X (cuMemsetD16Async)                       \
                                  X (cuMemsetD32Async) X (cuMemHostRegister) X (cuMemHostUnregister) X (       \
                                      cuPointerGetAttribute) X (cuLibraryLoadData) X (cuLibraryUnload)         \
                                      X (cuLibraryGetKernel) X (cuKernelGetFunction) X (                       \
                                          cuKernelGetAttribute) X (cuKernelGetParamInfo)                       \
                                          X (cuKernelSetAttribute) X (cuLaunchKernel) X (                      \
                                              cuLaunchKernelEx) X (cuFuncGetParamInfo) X (cuFuncGetAttribute)  \
                                              X (cuOccupancyMaxActiveBlocksPerMultiprocessorWithFlags) X (     \
                                                  cuOccupancyMaxPotentialBlockSize)                            \
                                                  X (cuOccupancyAvailableDynamicSMemPerBlock) X (              \
                                                      cuOccupancyMaxPotentialClusterSize)                      \
                                                      X (cuOccupancyMaxActiveClusters) X (                     \
                                                          cuStreamBeginCapture) X (cuStreamEndCapture)         \
                                                          X (cuStreamIsCapturing) X (                          \
                                                              cuGraphInstantiateWithFlags) X (cuGraphUpload)   \
                                                              X (cuGraphLaunch) X (cuGraphExecDestroy) X (     \
                                                                  cuGraphDestroy) X (cuGraphExecUpdate)        \
                                                                  X (cuGraphDebugDotPrint)                     \
                                                                      X (cuGraphGetNodes) X (                  \
                                                                          cuThreadExchangeStreamCaptureMode)   \
                                                                          X (cuStreamGetCaptureInfo) X (       \
                                                                              cuUserObjectCreate)              \
                                                                              X (cuUserObjectRelease) X (      \
                                                                                  cuGraphRetainUserObject)

typedef struct
{
#define CUDA_OBJ_DRIVER_FIELD(name) __typeof__ (name) *name;
  CUDA_OBJ_DRIVER_FUNCTIONS (CUDA_OBJ_DRIVER_FIELD)
#undef CUDA_OBJ_DRIVER_FIELD
  int version; /* cuDriverGetVersion, e.g. 13000 */
} CudaObjDriver;

#define CUDA_OBJ_NVRTC_FUNCTIONS(X)                                                                \
  X (nvrtcGetErrorString)                                                                          \
  X (nvrtcVersion) X (nvrtcGetNumSupportedArchs) X (nvrtcGetSupportedArchs) X (nvrtcCreateProgram) \
      X (nvrtcDestroyProgram) X (nvrtcCompileProgram) X (nvrtcGetPTXSize) X (nvrtcGetPTX)          \
          X (nvrtcGetCUBINSize) X (nvrtcGetCUBIN) X (nvrtcGetLTOIRSize) X (nvrtcGetLTOIR)          \
              X (nvrtcGetProgramLogSize) X (nvrtcGetProgramLog) X (nvrtcAddNameExpression)         \
                  X (nvrtcGetLoweredName)

typedef struct
{
#define CUDA_OBJ_NVRTC_FIELD(name) __typeof__ (name) *name;
  CUDA_OBJ_NVRTC_FUNCTIONS (CUDA_OBJ_NVRTC_FIELD)
#undef CUDA_OBJ_NVRTC_FIELD
  int major, minor;
} CudaObjNvrtc;

/* nvJitLink's header maps each name to a versioned symbol
 * (nvJitLinkCreate -> __nvJitLinkCreate_13_0), resolved by that name. */
#define CUDA_OBJ_NVJITLINK_FUNCTIONS(X)                                                   \
  X (nvJitLinkCreate, __nvJitLinkCreate)                                                  \
  X (nvJitLinkDestroy, __nvJitLinkDestroy) X (nvJitLinkAddData, __nvJitLinkAddData)       \
      X (nvJitLinkAddFile, __nvJitLinkAddFile) X (nvJitLinkComplete, __nvJitLinkComplete) \
          X (nvJitLinkGetLinkedCubinSize, __nvJitLinkGetLinkedCubinSize)                  \
              X (nvJitLinkGetLinkedCubin, __nvJitLinkGetLinkedCubin)                      \
                  X (nvJitLinkGetLinkedPtxSize, __nvJitLinkGetLinkedPtxSize)              \
                      X (nvJitLinkGetLinkedPtx, __nvJitLinkGetLinkedPtx)                  \
                          X (nvJitLinkGetErrorLogSize, __nvJitLinkGetErrorLogSize)        \
                              X (nvJitLinkGetErrorLog, __nvJitLinkGetErrorLog)            \
                                  X (nvJitLinkGetInfoLogSize, __nvJitLinkGetInfoLogSize)  \
                                      X (nvJitLinkGetInfoLog, __nvJitLinkGetInfoLog)

typedef struct
{
#define CUDA_OBJ_NVJITLINK_FIELD(name, symbol) __typeof__ (name) *name;
  CUDA_OBJ_NVJITLINK_FUNCTIONS (CUDA_OBJ_NVJITLINK_FIELD)
#undef CUDA_OBJ_NVJITLINK_FIELD
  __typeof__ (nvJitLinkVersion) *nvJitLinkVersion;
  int major, minor;
} CudaObjNvJitLink;

#define CUDA_OBJ_NVVM_FUNCTIONS(X)                                                                          \
  X (nvvmGetErrorString)                                                                                    \
  X (nvvmVersion) X (nvvmIRVersion) X (nvvmCreateProgram) X (nvvmDestroyProgram) X (nvvmAddModuleToProgram) \
      X (nvvmLazyAddModuleToProgram) X (nvvmCompileProgram) X (nvvmVerifyProgram)                           \
          X (nvvmGetCompiledResultSize) X (nvvmGetCompiledResult) X (nvvmGetProgramLogSize)                 \
              X (nvvmGetProgramLog)

typedef struct
{
#define CUDA_OBJ_NVVM_FIELD(name) __typeof__ (name) *name;
  CUDA_OBJ_NVVM_FUNCTIONS (CUDA_OBJ_NVVM_FIELD)
#undef CUDA_OBJ_NVVM_FIELD
  int major, minor;
} CudaObjNvvm;

/* Load on first use; NULL with @error set when the library cannot be had. */
const CudaObjDriver *cuda_obj_driver_get (GError **error);
const CudaObjNvrtc *cuda_obj_nvrtc_get (GError **error);
const CudaObjNvJitLink *cuda_obj_nvjitlink_get (GError **error);
const CudaObjNvvm *cuda_obj_nvvm_get (GError **error);
/* The driver table if it was loaded already, else NULL; never loads. */
const CudaObjDriver *cuda_obj_driver_peek (void);

/* Turns a failed CUresult into a CUDA_OBJ_DRIVER_ERROR naming @call. */
gboolean cuda_obj_check_failed (CUresult result, const char *call, GError **error);

static inline gboolean
cuda_obj_check (CUresult result, const char *call, GError **error)
{
  if (G_LIKELY (result == CUDA_SUCCESS))
    return TRUE;
  return cuda_obj_check_failed (result, call, error);
}

G_END_DECLS
