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

/* nccl.h is required at build time (meson.build says where it comes from). */
#include <nccl.h>

#include "cudaobj.h"

G_BEGIN_DECLS

/* cudaGL.h includes GL/gl.h, which libcudaobj neither needs nor may
 * assume: its two entry points are declared here as cudaGL.h does, with
 * GLuint and GLenum spelled as what the GL registry defines them to be
 * (unsigned int), and at the version of their cudaGLTypedefs.h PFN types
 * (PFN_cuGraphicsGLRegisterBuffer_v3000, PFN_cuGraphicsGLRegisterImage_v3000),
 * which build-aux/gen-driver-versions.py does not read. */
CUresult CUDAAPI cuGraphicsGLRegisterBuffer (CUgraphicsResource *pCudaResource, unsigned int buffer,
                                             unsigned int Flags);
CUresult CUDAAPI cuGraphicsGLRegisterImage (CUgraphicsResource *pCudaResource, unsigned int image,
                                            unsigned int target, unsigned int Flags);
#define CUDA_OBJ_DRIVER_VERSION_cuGraphicsGLRegisterBuffer 3000
#define CUDA_OBJ_DRIVER_VERSION_cuGraphicsGLRegisterImage 3000

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
  X (cuCtxCreate)                                          \
  X (cuCtxDestroy)                                         \
  X (cuCtxPopCurrent)                                      \
  X (cuCtxGetDevice)                                       \
  X (cuCtxGetFlags)                                        \
  /* Green contexts and device resources */                \
  X (cuDeviceGetDevResource)                               \
  X (cuDevSmResourceSplitByCount)                          \
  X (cuDevResourceGenerateDesc)                            \
  X (cuGreenCtxCreate)                                     \
  X (cuGreenCtxDestroy)                                    \
  X (cuCtxFromGreenCtx)                                    \
  X (cuGreenCtxStreamCreate)                               \
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
  /* Memory: graph memory nodes */                         \
  X (cuDeviceGraphMemTrim)                                 \
  X (cuDeviceGetGraphMemAttribute)                         \
  X (cuDeviceSetGraphMemAttribute)                         \
  /* Memory: pools */                                      \
  X (cuMemPoolCreate)                                      \
  X (cuMemPoolDestroy)                                     \
  X (cuMemPoolSetAttribute)                                \
  X (cuMemPoolGetAttribute)                                \
  X (cuMemPoolTrimTo)                                      \
  X (cuMemPoolSetAccess)                                   \
  X (cuMemPoolGetAccess)                                   \
  /* Virtual memory */                                      \
  X (cuMemAddressReserve)                                  \
  X (cuMemAddressFree)                                     \
  X (cuMemCreate)                                          \
  X (cuMemRelease)                                         \
  X (cuMemMap)                                             \
  X (cuMemUnmap)                                           \
  X (cuMemSetAccess)                                       \
  X (cuMemGetAllocationGranularity)                        \
  X (cuMemExportToShareableHandle)                         \
  /* Memory and events: sharing between processes */       \
  X (cuMemPoolExportToShareableHandle)                     \
  X (cuMemPoolImportFromShareableHandle)                   \
  X (cuMemPoolExportPointer)                               \
  X (cuMemPoolImportPointer)                               \
  X (cuIpcGetEventHandle)                                  \
  X (cuIpcOpenEventHandle)                                 \
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
  /* Arrays, textures and surfaces */                      \
  X (cuArray3DCreate)                                      \
  X (cuArray3DGetDescriptor)                               \
  X (cuArrayDestroy)                                       \
  X (cuMemcpy3DAsync)                                      \
  X (cuTexObjectCreate)                                    \
  X (cuTexObjectDestroy)                                   \
  X (cuSurfObjectCreate)                                   \
  X (cuSurfObjectDestroy)                                  \
  /* Tensor maps */                                        \
  X (cuTensorMapEncodeTiled)                               \
  X (cuTensorMapEncodeIm2col)                              \
  X (cuTensorMapReplaceAddress)                            \
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
  X (cuFuncSetAttribute)                                   \
  X (cuFuncGetName)                                        \
  X (cuKernelGetName)                                      \
  X (cuLibraryGetKernelCount)                              \
  X (cuModuleLoadData)                                     \
  X (cuModuleUnload)                                       \
  X (cuModuleGetFunction)                                  \
  X (cuModuleGetFunctionCount)                             \
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
  X (cuGraphNodeGetType)                                   \
  X (cuGraphExecGetFlags)                                  \
  X (cuUserObjectCreate)                                   \
  X (cuUserObjectRelease)                                  \
  X (cuGraphRetainUserObject)                              \
  /* Graphs: split, join, embed and conditional nodes in a capture */ \
  X (cuStreamBeginCaptureToGraph)                          \
  X (cuStreamUpdateCaptureDependencies)                    \
  X (cuGraphAddNode)                                       \
  X (cuGraphConditionalHandleCreate)                       \
  /* OpenGL interop (GraphicsResource) */                  \
  X (cuGraphicsGLRegisterBuffer)                           \
  X (cuGraphicsGLRegisterImage)                            \
  X (cuGraphicsMapResources)                               \
  X (cuGraphicsUnmapResources)                             \
  X (cuGraphicsResourceGetMappedPointer)                   \
  X (cuGraphicsSubResourceGetMappedArray)                  \
  X (cuGraphicsResourceSetMapFlags)                        \
  X (cuGraphicsUnregisterResource)                         \
  /* Graphs: explicit definitions and their nodes */        \
  X (cuGraphCreate)                                        \
  X (cuGraphAddKernelNode)                                 \
  X (cuGraphKernelNodeSetAttribute)                        \
  X (cuGraphAddMemcpyNode)                                 \
  X (cuGraphAddMemsetNode)                                 \
  X (cuGraphAddHostNode)                                   \
  X (cuGraphAddEventRecordNode)                            \
  X (cuGraphAddEventWaitNode)                              \
  X (cuGraphAddMemAllocNode)                               \
  X (cuGraphAddMemFreeNode)                                \
  X (cuGraphAddChildGraphNode)                             \
  X (cuGraphAddEmptyNode)                                  \
  X (cuGraphDestroyNode)                                   \
  X (cuGraphAddDependencies)                               \
  X (cuGraphGetEdges)                                      \
  X (cuGraphNodeGetDependencies)                           \
  X (cuGraphNodeGetDependentNodes)                         \
  X (cuGraphExecKernelNodeSetParams)                       \
  /* JIT linking: the Linker's fallback without nvJitLink */ \
  X (cuLinkCreate)                                         \
  X (cuLinkAddData)                                        \
  X (cuLinkComplete)                                       \
  X (cuLinkDestroy)                                        \
  /* Any entry point, for callers: cuda_obj_driver_get_proc() */ \
  X (cuGetProcAddress)
/* clang-format on */

/* Entry points newer than the oldest headers we build against: NULL when
 * the headers lack them or the driver does not hand them out, and each
 * caller says what it does then (a fallback or NOT_SUPPORTED). */
/* clang-format off */
#if CUDA_VERSION >= 12020
#define CUDA_OBJ_DRIVER_FUNCTIONS_12_2(X)                  \
  /* Memory: managed-memory advice and prefetch */         \
  X (cuMemAdvise)                                          \
  X (cuMemPrefetchAsync)
#else
#define CUDA_OBJ_DRIVER_FUNCTIONS_12_2(X)
#endif
#if CUDA_VERSION >= 13000
#define CUDA_OBJ_DRIVER_FUNCTIONS_13_0(X)                  \
  /* Memory: batched copies and discards */                \
  X (cuMemcpyBatchAsync)                                   \
  X (cuMemDiscardBatchAsync)
#else
#define CUDA_OBJ_DRIVER_FUNCTIONS_13_0(X)
#endif
/* Checkpoint and restore (Linux drivers of CUDA 12.8 and newer) */
#define CUDA_OBJ_DRIVER_FUNCTIONS_CHECKPOINT(X)            \
  X (cuCheckpointProcessGetRestoreThreadId)                \
  X (cuCheckpointProcessGetState)                          \
  X (cuCheckpointProcessLock)                              \
  X (cuCheckpointProcessCheckpoint)                        \
  X (cuCheckpointProcessRestore)                           \
  X (cuCheckpointProcessUnlock)
#define CUDA_OBJ_DRIVER_OPTIONAL_FUNCTIONS(X)              \
  CUDA_OBJ_DRIVER_FUNCTIONS_12_2 (X)                       \
  CUDA_OBJ_DRIVER_FUNCTIONS_13_0 (X)                       \
  CUDA_OBJ_DRIVER_FUNCTIONS_CHECKPOINT (X)
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

/* NCCL, for the Communicator. ncclAlltoAll came later (NCCL 2.28) than the
 * rest: it is looked up but may be missing, which only all_to_all reports. */
/* clang-format off */
#define CUDA_OBJ_NCCL_FUNCTIONS(X) \
  /* Errors and versions */        \
  X (ncclGetVersion)               \
  X (ncclGetErrorString)           \
  X (ncclGetLastError)             \
  /* Communicators */              \
  X (ncclGetUniqueId)              \
  X (ncclCommInitRankConfig)       \
  X (ncclCommInitAll)              \
  X (ncclCommSplit)                \
  X (ncclCommFinalize)             \
  X (ncclCommDestroy)              \
  X (ncclCommAbort)                \
  X (ncclCommGetAsyncError)        \
  X (ncclCommCount)                \
  X (ncclCommUserRank)             \
  X (ncclCommCuDevice)             \
  /* Collectives */                \
  X (ncclAllReduce)                \
  X (ncclBroadcast)                \
  X (ncclReduce)                   \
  X (ncclAllGather)                \
  X (ncclReduceScatter)            \
  /* Point to point and groups */  \
  X (ncclSend)                     \
  X (ncclRecv)                     \
  X (ncclGroupStart)               \
  X (ncclGroupEnd)
#define CUDA_OBJ_NCCL_OPTIONAL_FUNCTIONS(X) \
  /* Collectives of NCCL 2.28 */            \
  X (ncclAlltoAll)
/* clang-format on */

typedef struct
{
#define CUDA_OBJ_NCCL_FIELD(name) __typeof__ (name) *name;
  CUDA_OBJ_NCCL_FUNCTIONS (CUDA_OBJ_NCCL_FIELD)
  CUDA_OBJ_NCCL_OPTIONAL_FUNCTIONS (CUDA_OBJ_NCCL_FIELD)
#undef CUDA_OBJ_NCCL_FIELD
  int version; /* ncclGetVersion, e.g. 22809 for 2.28.9 */
} CudaObjNccl;

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
const CudaObjNccl *cuda_obj_nccl_get (GError **error);
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

/* cuda_obj_check() for the call with which a new_from_handle constructor
 * checks a foreign handle: the driver's answers that it is no handle of
 * the current context (invalid handle, value or context) become
 * CUDA_OBJ_ERROR_INVALID_ARGUMENT naming @what (such as "event") and
 * @handle; other failures stay driver errors. */
gboolean cuda_obj_check_foreign_handle (CUresult result, const char *call, const char *what, guint64 handle,
                                        GError **error);

G_END_DECLS
