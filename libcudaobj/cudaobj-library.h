/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: finding NVIDIA's libraries, headers and libdevice. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <glib.h>
#include "cudaobj-version.h"

G_BEGIN_DECLS

/**
 * CudaObjLibrary:
 * @CUDA_OBJ_LIBRARY_DRIVER: the CUDA driver, `libcuda.so.1`
 * @CUDA_OBJ_LIBRARY_NVRTC: NVRTC, the runtime C++ compiler, `libnvrtc.so`
 * @CUDA_OBJ_LIBRARY_NVJITLINK: nvJitLink, the JIT linker, `libnvJitLink.so`
 * @CUDA_OBJ_LIBRARY_NVVM: libNVVM, the NVVM IR compiler, `libnvvm.so`
 * @CUDA_OBJ_LIBRARY_NVFATBIN: nvFatbin, which builds fatbins, `libnvfatbin.so`
 * @CUDA_OBJ_LIBRARY_CUDART: the CUDA runtime, `libcudart.so`
 * @CUDA_OBJ_LIBRARY_CUBLAS: cuBLAS, `libcublas.so`
 * @CUDA_OBJ_LIBRARY_CUBLASLT: cuBLASLt, `libcublasLt.so`
 * @CUDA_OBJ_LIBRARY_NVBLAS: NVBLAS, `libnvblas.so`
 * @CUDA_OBJ_LIBRARY_CUFFT: cuFFT, `libcufft.so`
 * @CUDA_OBJ_LIBRARY_CUFFTW: cuFFTW, `libcufftw.so`
 * @CUDA_OBJ_LIBRARY_CURAND: cuRAND, `libcurand.so`
 * @CUDA_OBJ_LIBRARY_CUSOLVER: cuSOLVER, `libcusolver.so`
 * @CUDA_OBJ_LIBRARY_CUSOLVERMG: cuSOLVERMg, `libcusolverMg.so`
 * @CUDA_OBJ_LIBRARY_CUSPARSE: cuSPARSE, `libcusparse.so`
 * @CUDA_OBJ_LIBRARY_NPPC: NPP core, `libnppc.so`
 * @CUDA_OBJ_LIBRARY_NPPIAL: NPP arithmetic and logic, `libnppial.so`
 * @CUDA_OBJ_LIBRARY_NPPICC: NPP color conversion, `libnppicc.so`
 * @CUDA_OBJ_LIBRARY_NPPIDEI: NPP data exchange, `libnppidei.so`
 * @CUDA_OBJ_LIBRARY_NPPIF: NPP filters, `libnppif.so`
 * @CUDA_OBJ_LIBRARY_NPPIG: NPP geometry, `libnppig.so`
 * @CUDA_OBJ_LIBRARY_NPPIM: NPP morphology, `libnppim.so`
 * @CUDA_OBJ_LIBRARY_NPPIST: NPP statistics, `libnppist.so`
 * @CUDA_OBJ_LIBRARY_NPPISU: NPP memory support, `libnppisu.so`
 * @CUDA_OBJ_LIBRARY_NPPITC: NPP threshold and compare, `libnppitc.so`
 * @CUDA_OBJ_LIBRARY_NPPS: NPP signal processing, `libnpps.so`
 * @CUDA_OBJ_LIBRARY_NVJPEG: nvJPEG, `libnvjpeg.so`
 * @CUDA_OBJ_LIBRARY_CUFILE: cuFile (GPUDirect Storage), `libcufile.so`
 * @CUDA_OBJ_LIBRARY_CUPTI: CUPTI, the profiling interface, `libcupti.so`
 * @CUDA_OBJ_LIBRARY_NCCL: NCCL, collective communication, `libnccl.so`
 * @CUDA_OBJ_LIBRARY_NVSHMEM: NVSHMEM's host library, `libnvshmem_host.so`
 * @CUDA_OBJ_LIBRARY_CUTENSOR: cuTENSOR, `libcutensor.so`
 * @CUDA_OBJ_LIBRARY_CUDSS: cuDSS, the direct sparse solver, `libcudss.so`
 * @CUDA_OBJ_LIBRARY_NVML: NVML, the management library that comes with the
 *   driver, `libnvidia-ml.so`
 *
 * NVIDIA libraries that libcudaobj can find and load at run time. None is
 * linked: each is searched for on first use, so that programs start, and
 * report a clear [struct@GLib.Error], on machines that lack one. The driver,
 * NVRTC, nvJitLink, libNVVM and nvFatbin are what libcudaobj itself uses;
 * the others are found for applications and bindings that call them, the
 * way NVIDIA's cuda.pathfinder finds them for Python.
 *
 * The search order is given in [func@CudaObj.Library.find].
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_LIBRARY_DRIVER,
  CUDA_OBJ_LIBRARY_NVRTC,
  CUDA_OBJ_LIBRARY_NVJITLINK,
  CUDA_OBJ_LIBRARY_NVVM,
  CUDA_OBJ_LIBRARY_NVFATBIN,
  CUDA_OBJ_LIBRARY_CUDART,
  CUDA_OBJ_LIBRARY_CUBLAS,
  CUDA_OBJ_LIBRARY_CUBLASLT,
  CUDA_OBJ_LIBRARY_NVBLAS,
  CUDA_OBJ_LIBRARY_CUFFT,
  CUDA_OBJ_LIBRARY_CUFFTW,
  CUDA_OBJ_LIBRARY_CURAND,
  CUDA_OBJ_LIBRARY_CUSOLVER,
  CUDA_OBJ_LIBRARY_CUSOLVERMG,
  CUDA_OBJ_LIBRARY_CUSPARSE,
  CUDA_OBJ_LIBRARY_NPPC,
  CUDA_OBJ_LIBRARY_NPPIAL,
  CUDA_OBJ_LIBRARY_NPPICC,
  CUDA_OBJ_LIBRARY_NPPIDEI,
  CUDA_OBJ_LIBRARY_NPPIF,
  CUDA_OBJ_LIBRARY_NPPIG,
  CUDA_OBJ_LIBRARY_NPPIM,
  CUDA_OBJ_LIBRARY_NPPIST,
  CUDA_OBJ_LIBRARY_NPPISU,
  CUDA_OBJ_LIBRARY_NPPITC,
  CUDA_OBJ_LIBRARY_NPPS,
  CUDA_OBJ_LIBRARY_NVJPEG,
  CUDA_OBJ_LIBRARY_CUFILE,
  CUDA_OBJ_LIBRARY_CUPTI,
  CUDA_OBJ_LIBRARY_NCCL,
  CUDA_OBJ_LIBRARY_NVSHMEM,
  CUDA_OBJ_LIBRARY_CUTENSOR,
  CUDA_OBJ_LIBRARY_CUDSS,
  CUDA_OBJ_LIBRARY_NVML,
} CudaObjLibrary;

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_library_get_name (CudaObjLibrary library);

CUDA_OBJ_AVAILABLE_IN_1_0
char *cuda_obj_library_find (CudaObjLibrary library, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
char **cuda_obj_library_get_search_report (CudaObjLibrary library);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_library_load (CudaObjLibrary library, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_library_is_loaded (CudaObjLibrary library);

CUDA_OBJ_AVAILABLE_IN_1_0
char *cuda_obj_library_get_path (CudaObjLibrary library);

CUDA_OBJ_AVAILABLE_IN_1_0
char *cuda_obj_library_get_version (CudaObjLibrary library, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_library_get_override_variable (CudaObjLibrary library);

CUDA_OBJ_AVAILABLE_IN_1_0
char **cuda_obj_library_get_search_paths (CudaObjLibrary library);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_library_add_site_directory (const char *path);

CUDA_OBJ_AVAILABLE_IN_1_0
char **cuda_obj_library_get_site_directories (void);

CUDA_OBJ_AVAILABLE_IN_1_0
char **cuda_obj_find_include_dirs (GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
char *cuda_obj_find_libdevice (GError **error);

G_END_DECLS
