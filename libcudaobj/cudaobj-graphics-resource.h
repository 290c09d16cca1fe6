/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: an OpenGL buffer object or texture registered with CUDA. */
#pragma once

#if !defined(__CUDAOBJ_H_INSIDE__) && !defined(CUDA_OBJ_COMPILATION)
#error "Only <cudaobj.h> can be included directly."
#endif

#include <gio/gio.h>
#include "cudaobj-version.h"
#include "cudaobj-device.h"
#include "cudaobj-stream.h"
#include "cudaobj-buffer.h"
#include "cudaobj-array.h"

G_BEGIN_DECLS

/**
 * CudaObjGraphicsResourceKind:
 * @CUDA_OBJ_GRAPHICS_RESOURCE_GL_BUFFER: an OpenGL buffer object
 *   (`cuGraphicsGLRegisterBuffer`); mapped, it is a [class@CudaObj.Buffer]
 * @CUDA_OBJ_GRAPHICS_RESOURCE_GL_IMAGE: an OpenGL texture or renderbuffer
 *   (`cuGraphicsGLRegisterImage`); mapped, it is a CUDA array
 *
 * What a [class@CudaObj.GraphicsResource] was registered from.
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_GRAPHICS_RESOURCE_GL_BUFFER,
  CUDA_OBJ_GRAPHICS_RESOURCE_GL_IMAGE,
} CudaObjGraphicsResourceKind;

/**
 * CudaObjGraphicsRegisterFlags:
 * @CUDA_OBJ_GRAPHICS_REGISTER_NONE: CUDA reads and writes the resource
 * @CUDA_OBJ_GRAPHICS_REGISTER_READ_ONLY: CUDA only reads it
 *   (`CU_GRAPHICS_REGISTER_FLAGS_READ_ONLY`)
 * @CUDA_OBJ_GRAPHICS_REGISTER_WRITE_DISCARD: CUDA overwrites all of it and
 *   does not read it (`CU_GRAPHICS_REGISTER_FLAGS_WRITE_DISCARD`)
 * @CUDA_OBJ_GRAPHICS_REGISTER_SURFACE_LOAD_STORE: kernels bind the mapped
 *   array as a surface (`CU_GRAPHICS_REGISTER_FLAGS_SURFACE_LDST`); images only
 * @CUDA_OBJ_GRAPHICS_REGISTER_TEXTURE_GATHER: kernels gather from the mapped
 *   array as a texture (`CU_GRAPHICS_REGISTER_FLAGS_TEXTURE_GATHER`); images only
 *
 * How CUDA will use a registered resource. READ_ONLY and WRITE_DISCARD
 * exclude each other.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  CUDA_OBJ_GRAPHICS_REGISTER_NONE = 0,
  CUDA_OBJ_GRAPHICS_REGISTER_READ_ONLY = 1 << 0,
  CUDA_OBJ_GRAPHICS_REGISTER_WRITE_DISCARD = 1 << 1,
  CUDA_OBJ_GRAPHICS_REGISTER_SURFACE_LOAD_STORE = 1 << 2,
  CUDA_OBJ_GRAPHICS_REGISTER_TEXTURE_GATHER = 1 << 3,
} CudaObjGraphicsRegisterFlags;

/**
 * CudaObjGraphicsMapUsage:
 * @CUDA_OBJ_GRAPHICS_MAP_READ_WRITE: the next mappings are read and written
 *   (`CU_GRAPHICS_MAP_RESOURCE_FLAGS_NONE`)
 * @CUDA_OBJ_GRAPHICS_MAP_READ_ONLY: they are only read
 *   (`CU_GRAPHICS_MAP_RESOURCE_FLAGS_READ_ONLY`)
 * @CUDA_OBJ_GRAPHICS_MAP_WRITE_DISCARD: they are overwritten entirely
 *   (`CU_GRAPHICS_MAP_RESOURCE_FLAGS_WRITE_DISCARD`)
 *
 * A hint for the mappings that follow
 * [method@CudaObj.GraphicsResource.set_map_usage].
 *
 * Since: 1.0
 */
typedef enum
{
  CUDA_OBJ_GRAPHICS_MAP_READ_WRITE,
  CUDA_OBJ_GRAPHICS_MAP_READ_ONLY,
  CUDA_OBJ_GRAPHICS_MAP_WRITE_DISCARD,
} CudaObjGraphicsMapUsage;

#define CUDA_OBJ_TYPE_GRAPHICS_RESOURCE (cuda_obj_graphics_resource_get_type ())
CUDA_OBJ_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (CudaObjGraphicsResource, cuda_obj_graphics_resource, CUDA_OBJ, GRAPHICS_RESOURCE,
                      GObject)

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphicsResource *cuda_obj_graphics_resource_new_from_gl_buffer (CudaObjDevice *device, guint buffer,
                                                                        CudaObjGraphicsRegisterFlags flags,
                                                                        GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphicsResource *cuda_obj_graphics_resource_new_from_gl_image (CudaObjDevice *device, guint image,
                                                                       guint target,
                                                                       CudaObjGraphicsRegisterFlags flags,
                                                                       GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graphics_resource_map (CudaObjGraphicsResource *self, CudaObjStream *stream,
                                         GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graphics_resource_unmap (CudaObjGraphicsResource *self, CudaObjStream *stream,
                                           GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjBuffer *cuda_obj_graphics_resource_get_mapped_buffer (CudaObjGraphicsResource *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjArray *cuda_obj_graphics_resource_get_mapped_array (CudaObjGraphicsResource *self, guint array_index,
                                                           guint mip_level, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
guint64 cuda_obj_graphics_resource_get_mapped_array_handle (CudaObjGraphicsResource *self, guint array_index,
                                                            guint mip_level, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graphics_resource_set_map_usage (CudaObjGraphicsResource *self,
                                                   CudaObjGraphicsMapUsage usage, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graphics_resource_close (CudaObjGraphicsResource *self, GError **error);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjDevice *cuda_obj_graphics_resource_get_device (CudaObjGraphicsResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphicsResourceKind cuda_obj_graphics_resource_get_kind (CudaObjGraphicsResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_graphics_resource_get_gl_name (CudaObjGraphicsResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
guint cuda_obj_graphics_resource_get_gl_target (CudaObjGraphicsResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
CudaObjGraphicsRegisterFlags cuda_obj_graphics_resource_get_register_flags (CudaObjGraphicsResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graphics_resource_get_mapped (CudaObjGraphicsResource *self);

CUDA_OBJ_AVAILABLE_IN_1_0
gboolean cuda_obj_graphics_resource_get_closed (CudaObjGraphicsResource *self);

G_END_DECLS
