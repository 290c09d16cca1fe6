/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a device's state as NVML reports it, as properties. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"

G_BEGIN_DECLS

#define CUDA_OBJ_TYPE_DEVICE_STATUS (cuda_obj_device_status_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjDeviceStatus, cuda_obj_device_status, CUDA_OBJ, DEVICE_STATUS, GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDeviceStatus *cuda_obj_device_status_new (CudaObjDevice *device, guint update_interval,
                                                 GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_device_status_refresh (CudaObjDeviceStatus *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
GPtrArray *cuda_obj_device_status_get_processes (CudaObjDeviceStatus *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_device_status_get_device (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_device_status_get_update_interval (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
void cuda_obj_device_status_set_update_interval (CudaObjDeviceStatus *self, guint update_interval);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_device_status_get_driver_version (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
const char *cuda_obj_device_status_get_driver_branch (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_status_get_cuda_driver_version (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_status_get_gpu_utilization (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_status_get_memory_utilization (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_device_status_get_memory_used (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_device_status_get_memory_total (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_device_status_get_memory_free (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_status_get_temperature (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_status_get_power_usage (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_status_get_power_limit (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_status_get_sm_clock (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_status_get_memory_clock (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_status_get_graphics_clock (CudaObjDeviceStatus *self);

CUDA_OBJ_AVAILABLE_IN_1_0
int cuda_obj_device_status_get_fan_speed (CudaObjDeviceStatus *self);

G_END_DECLS
