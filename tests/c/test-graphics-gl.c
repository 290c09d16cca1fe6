/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GraphicsResource: argument checks (no GPU needed), and OpenGL interop
 * headless through EGL's device platform: a kernel's output reaches a GL
 * texture and a GL buffer object in place, read back with glReadPixels and
 * glGetBufferSubData. EGL and GL are loaded at run time (libEGL.so.1 through
 * glvnd), so the test builds without GL development files; without an EGL
 * device for the CUDA device, it skips with the reason. */
#include <cudaobj.h>
#include <gmodule.h>
#include <stdint.h>
#include <string.h>

#include "cudaobj-test-util.h"

/* EGL and GL values from the Khronos registry. */
#define EGL_NONE 0x3038
#define EGL_EXTENSIONS 0x3055
#define EGL_SURFACE_TYPE 0x3033
#define EGL_PBUFFER_BIT 0x0001
#define EGL_RENDERABLE_TYPE 0x3040
#define EGL_OPENGL_BIT 0x0008
#define EGL_OPENGL_API 0x30A2
#define EGL_PLATFORM_DEVICE_EXT 0x313F
#define EGL_CUDA_DEVICE_NV 0x323A

#define GL_TEXTURE_2D 0x0DE1
#define GL_TEXTURE_MIN_FILTER 0x2801
#define GL_TEXTURE_MAG_FILTER 0x2800
#define GL_NEAREST 0x2600
#define GL_RGBA8 0x8058
#define GL_RGBA 0x1908
#define GL_UNSIGNED_BYTE 0x1401
#define GL_PACK_ALIGNMENT 0x0D05
#define GL_FRAMEBUFFER 0x8D40
#define GL_COLOR_ATTACHMENT0 0x8CE0
#define GL_FRAMEBUFFER_COMPLETE 0x8CD5
#define GL_ARRAY_BUFFER 0x8892
#define GL_DYNAMIC_DRAW 0x88E8
#define GL_NO_ERROR 0

typedef void *EGLDisplay, *EGLContext, *EGLConfig, *EGLDeviceEXT;
typedef int EGLint;
typedef unsigned int EGLBoolean, EGLenum;

typedef struct
{
  GModule *egl;
  GModule *gl;
  EGLDisplay display;
  EGLContext context;

  void *(*GetProcAddress) (const char *);
  EGLBoolean (*QueryDevicesEXT) (EGLint, EGLDeviceEXT *, EGLint *);
  EGLBoolean (*QueryDeviceAttribEXT) (EGLDeviceEXT, EGLint, intptr_t *);
  EGLDisplay (*GetPlatformDisplayEXT) (EGLenum, void *, const EGLint *);
  EGLBoolean (*Initialize) (EGLDisplay, EGLint *, EGLint *);
  EGLBoolean (*Terminate) (EGLDisplay);
  EGLBoolean (*BindAPI) (EGLenum);
  EGLBoolean (*ChooseConfig) (EGLDisplay, const EGLint *, EGLConfig *, EGLint, EGLint *);
  EGLContext (*CreateContext) (EGLDisplay, EGLConfig, EGLContext, const EGLint *);
  EGLBoolean (*DestroyContext) (EGLDisplay, EGLContext);
  EGLBoolean (*MakeCurrent) (EGLDisplay, void *, void *, EGLContext);
  const char *(*QueryString) (EGLDisplay, EGLint);

  void (*GenTextures) (int, guint *);
  void (*DeleteTextures) (int, const guint *);
  void (*BindTexture) (guint, guint);
  void (*TexParameteri) (guint, guint, int);
  void (*TexImage2D) (guint, int, int, int, int, int, guint, guint, const void *);
  void (*GenFramebuffers) (int, guint *);
  void (*DeleteFramebuffers) (int, const guint *);
  void (*BindFramebuffer) (guint, guint);
  void (*FramebufferTexture2D) (guint, guint, guint, guint, int);
  guint (*CheckFramebufferStatus) (guint);
  void (*PixelStorei) (guint, int);
  void (*ReadPixels) (int, int, int, int, guint, guint, void *);
  void (*GenBuffers) (int, guint *);
  void (*DeleteBuffers) (int, const guint *);
  void (*BindBuffer) (guint, guint);
  void (*BufferData) (guint, gintptr, const void *, guint);
  void (*GetBufferSubData) (guint, gintptr, gintptr, void *);
  void (*Finish) (void);
  guint (*GetError) (void);
} Gl;

/* An EGL entry point by name: the library's own symbol, else eglGetProcAddress. */
static gpointer
egl_symbol (Gl *gl, const char *name)
{
  gpointer symbol = NULL;

  if (g_module_symbol (gl->egl, name, &symbol) && symbol != NULL)
    return symbol;
  return gl->GetProcAddress != NULL ? gl->GetProcAddress (name) : NULL;
}

/* A GL entry point: eglGetProcAddress gives core functions too on NVIDIA
 * (EGL_KHR_get_all_proc_addresses); glvnd's libOpenGL is the fallback. */
static gpointer
gl_symbol (Gl *gl, const char *name)
{
  gpointer symbol = gl->GetProcAddress (name);

  if (symbol == NULL && gl->gl != NULL)
    g_module_symbol (gl->gl, name, &symbol);
  return symbol;
}

static void
gl_close (Gl *gl)
{
  if (gl->display != NULL)
    {
      gl->MakeCurrent (gl->display, NULL, NULL, NULL);
      if (gl->context != NULL)
        gl->DestroyContext (gl->display, gl->context);
      gl->Terminate (gl->display);
    }
  g_clear_pointer (&gl->gl, g_module_close);
  g_clear_pointer (&gl->egl, g_module_close);
  g_free (gl);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Gl, gl_close)

/* A current desktop GL context on the EGL device that is @device, with no
 * surface; NULL with *reason set when that cannot be had. */
static Gl *
gl_open (CudaObjDevice *device, char **reason)
{
  g_autoptr (Gl) gl = g_new0 (Gl, 1);
  EGLDeviceEXT devices[16];
  EGLDeviceEXT chosen = NULL;
  EGLint n_devices = 0, major = 0, minor = 0, n_configs = 0;
  EGLConfig config = NULL;
  const EGLint config_attribs[]
      = { EGL_SURFACE_TYPE, EGL_PBUFFER_BIT, EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE };
  const char *extensions;

  gl->egl = g_module_open ("libEGL.so.1", G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (gl->egl == NULL)
    {
      *reason = g_strdup_printf ("no EGL library: %s", g_module_error ());
      return NULL;
    }
  gl->gl = g_module_open ("libOpenGL.so.0", G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (!g_module_symbol (gl->egl, "eglGetProcAddress", (gpointer *) &gl->GetProcAddress))
    {
      *reason = g_strdup ("libEGL.so.1 has no eglGetProcAddress");
      return NULL;
    }
#define EGL_LOAD(field, name)                                                     \
  if ((*(gpointer *) &gl->field = egl_symbol (gl, name)) == NULL)                 \
    {                                                                             \
      *reason = g_strdup_printf ("EGL has no %s (needed for headless GL)", name); \
      return NULL;                                                                \
    }
  EGL_LOAD (QueryDevicesEXT, "eglQueryDevicesEXT");
  EGL_LOAD (GetPlatformDisplayEXT, "eglGetPlatformDisplayEXT");
  EGL_LOAD (Initialize, "eglInitialize");
  EGL_LOAD (Terminate, "eglTerminate");
  EGL_LOAD (BindAPI, "eglBindAPI");
  EGL_LOAD (ChooseConfig, "eglChooseConfig");
  EGL_LOAD (CreateContext, "eglCreateContext");
  EGL_LOAD (DestroyContext, "eglDestroyContext");
  EGL_LOAD (MakeCurrent, "eglMakeCurrent");
  EGL_LOAD (QueryString, "eglQueryString");
#undef EGL_LOAD
  gl->QueryDeviceAttribEXT = egl_symbol (gl, "eglQueryDeviceAttribEXT");

  if (!gl->QueryDevicesEXT (G_N_ELEMENTS (devices), devices, &n_devices) || n_devices == 0)
    {
      *reason = g_strdup ("no EGL device (is NVIDIA's EGL vendor library installed for glvnd?)");
      return NULL;
    }
  /* The EGL device that is our CUDA device (EGL_NV_device_cuda). */
  for (EGLint i = 0; i < n_devices && chosen == NULL; i++)
    {
      intptr_t cuda_device = -1;

      if (gl->QueryDeviceAttribEXT != NULL
          && gl->QueryDeviceAttribEXT (devices[i], EGL_CUDA_DEVICE_NV, &cuda_device)
          && cuda_device == (intptr_t) cuda_obj_device_get_ordinal (device))
        chosen = devices[i];
    }
  if (chosen == NULL)
    {
      *reason = g_strdup_printf ("none of the %d EGL devices is CUDA device %u (EGL_NV_device_cuda)",
                                 n_devices, cuda_obj_device_get_ordinal (device));
      return NULL;
    }
  gl->display = gl->GetPlatformDisplayEXT (EGL_PLATFORM_DEVICE_EXT, chosen, NULL);
  if (gl->display == NULL || !gl->Initialize (gl->display, &major, &minor))
    {
      gl->display = NULL;
      *reason = g_strdup ("eglInitialize failed on the EGL device display");
      return NULL;
    }
  extensions = gl->QueryString (gl->display, EGL_EXTENSIONS);
  if (extensions == NULL || strstr (extensions, "EGL_KHR_surfaceless_context") == NULL)
    {
      *reason = g_strdup ("the EGL display lacks EGL_KHR_surfaceless_context");
      return NULL;
    }
  if (!gl->BindAPI (EGL_OPENGL_API) || !gl->ChooseConfig (gl->display, config_attribs, &config, 1, &n_configs)
      || n_configs < 1)
    {
      *reason = g_strdup ("no desktop OpenGL configuration on the EGL device");
      return NULL;
    }
  gl->context = gl->CreateContext (gl->display, config, NULL, NULL);
  if (gl->context == NULL || !gl->MakeCurrent (gl->display, NULL, NULL, gl->context))
    {
      *reason = g_strdup ("could not create and make current a surfaceless OpenGL context");
      return NULL;
    }
#define GL_LOAD(field, name)                                     \
  if ((*(gpointer *) &gl->field = gl_symbol (gl, name)) == NULL) \
    {                                                            \
      *reason = g_strdup_printf ("OpenGL has no %s", name);      \
      return NULL;                                               \
    }
  GL_LOAD (GenTextures, "glGenTextures");
  GL_LOAD (DeleteTextures, "glDeleteTextures");
  GL_LOAD (BindTexture, "glBindTexture");
  GL_LOAD (TexParameteri, "glTexParameteri");
  GL_LOAD (TexImage2D, "glTexImage2D");
  GL_LOAD (GenFramebuffers, "glGenFramebuffers");
  GL_LOAD (DeleteFramebuffers, "glDeleteFramebuffers");
  GL_LOAD (BindFramebuffer, "glBindFramebuffer");
  GL_LOAD (FramebufferTexture2D, "glFramebufferTexture2D");
  GL_LOAD (CheckFramebufferStatus, "glCheckFramebufferStatus");
  GL_LOAD (PixelStorei, "glPixelStorei");
  GL_LOAD (ReadPixels, "glReadPixels");
  GL_LOAD (GenBuffers, "glGenBuffers");
  GL_LOAD (DeleteBuffers, "glDeleteBuffers");
  GL_LOAD (BindBuffer, "glBindBuffer");
  GL_LOAD (BufferData, "glBufferData");
  GL_LOAD (GetBufferSubData, "glGetBufferSubData");
  GL_LOAD (Finish, "glFinish");
  GL_LOAD (GetError, "glGetError");
#undef GL_LOAD
  return g_steal_pointer (&gl);
}

/* The GPU tests' setup: a device and a current GL context, or a skip. */
static Gl *
gl_open_or_skip (CudaObjDevice **device)
{
  g_autofree char *reason = NULL;
  Gl *gl;

  *device = cudaobj_test_device_or_skip ();
  if (*device == NULL)
    return NULL;
  gl = gl_open (*device, &reason);
  if (gl == NULL)
    g_test_skip (reason);
  return gl;
}

/* Registration checks made before any driver call. */
typedef struct
{
  const char *name;
  CudaObjGraphicsResourceKind kind;
  guint gl_name;
  guint target;
  guint flags;
  const char *message_part;
} BadRegistration;

static const BadRegistration bad_registrations[] = {
  { "buffer-name-0", CUDA_OBJ_GRAPHICS_RESOURCE_GL_BUFFER, 0, 0, 0, "0 is not a GL buffer object name" },
  { "image-name-0", CUDA_OBJ_GRAPHICS_RESOURCE_GL_IMAGE, 0, GL_TEXTURE_2D, 0, "0 is not a GL image name" },
  { "unknown-flags", CUDA_OBJ_GRAPHICS_RESOURCE_GL_BUFFER, 1, 0, 0x40, "unknown register flags 0x40" },
  { "read-only-and-discard", CUDA_OBJ_GRAPHICS_RESOURCE_GL_IMAGE, 1, GL_TEXTURE_2D,
    CUDA_OBJ_GRAPHICS_REGISTER_READ_ONLY | CUDA_OBJ_GRAPHICS_REGISTER_WRITE_DISCARD, "exclude each other" },
  { "buffer-surface", CUDA_OBJ_GRAPHICS_RESOURCE_GL_BUFFER, 1, 0,
    CUDA_OBJ_GRAPHICS_REGISTER_SURFACE_LOAD_STORE, "are for GL images" },
  { "buffer-gather", CUDA_OBJ_GRAPHICS_RESOURCE_GL_BUFFER, 1, 0, CUDA_OBJ_GRAPHICS_REGISTER_TEXTURE_GATHER,
    "are for GL images" },
  { "image-target-0", CUDA_OBJ_GRAPHICS_RESOURCE_GL_IMAGE, 1, 0, 0, "GL target 0x0000 cannot be registered" },
  { "image-target-1d", CUDA_OBJ_GRAPHICS_RESOURCE_GL_IMAGE, 1, 0x0DE0 /* GL_TEXTURE_1D */, 0,
    "GL target 0x0de0 cannot be registered" },
  { "no-device", CUDA_OBJ_GRAPHICS_RESOURCE_GL_IMAGE, 1, GL_TEXTURE_2D, 0, "device must not be NULL" },
};

static void
test_register_refused (gconstpointer data)
{
  const BadRegistration *bad = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjGraphicsResource) resource = NULL;

  if (bad->kind == CUDA_OBJ_GRAPHICS_RESOURCE_GL_BUFFER)
    resource = cuda_obj_graphics_resource_new_from_gl_buffer (NULL, bad->gl_name, bad->flags, &error);
  else
    resource
        = cuda_obj_graphics_resource_new_from_gl_image (NULL, bad->gl_name, bad->target, bad->flags, &error);
  g_assert_null (resource);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, bad->message_part));
}

static void
test_uninitialized (void)
{
  g_autoptr (CudaObjGraphicsResource) resource
      = g_object_new (CUDA_OBJ_TYPE_GRAPHICS_RESOURCE, "kind", CUDA_OBJ_GRAPHICS_RESOURCE_GL_IMAGE, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (cuda_obj_graphics_resource_get_closed (resource));
  g_assert_false (cuda_obj_graphics_resource_get_mapped (resource));
  g_assert_cmpint (cuda_obj_graphics_resource_get_kind (resource), ==, CUDA_OBJ_GRAPHICS_RESOURCE_GL_IMAGE);
  g_assert_false (cuda_obj_graphics_resource_map (resource, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_graphics_resource_unmap (resource, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graphics_resource_get_mapped_buffer (resource, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_cmpuint (cuda_obj_graphics_resource_get_mapped_array_handle (resource, 0, 0, &error), ==, 0);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graphics_resource_get_mapped_array (resource, 0, 0, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (
      cuda_obj_graphics_resource_set_map_usage (resource, CUDA_OBJ_GRAPHICS_MAP_READ_ONLY, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_graphics_resource_close (resource, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
}

/* Without a current GL context, the driver has nothing to register from. */
static void
test_register_without_gl_context (void)
{
  CudaObjDevice *device = cudaobj_test_device_or_skip ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjGraphicsResource) resource = NULL;

  if (device == NULL)
    return;
  resource = cuda_obj_graphics_resource_new_from_gl_image (device, 1, GL_TEXTURE_2D,
                                                           CUDA_OBJ_GRAPHICS_REGISTER_NONE, &error);
  g_assert_null (resource);
  g_assert_nonnull (error);
  /* CUDA_ERROR_INVALID_GRAPHICS_CONTEXT becomes NOT_SUPPORTED; a driver
   * may also refuse the name itself. */
  if (error->domain == CUDA_OBJ_ERROR)
    g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED);
  else
    g_assert_true (error->domain == CUDA_OBJ_DRIVER_ERROR);
  g_test_message ("without a GL context: %s", error->message);
}

#define WIDTH 64
#define HEIGHT 32

static const char pattern_source[]
    = "extern \"C\" __global__ void pattern (unsigned int *pixels, int width, int height)\n"
      "{\n"
      "  int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y * blockDim.y + threadIdx.y;\n"
      "  if (x < width && y < height)\n"
      "    pixels[y * width + x] = (x * 4u) | ((y * 8u) << 8) | (0x80u << 16) | (0xFFu << 24);\n"
      "}\n";

static guint32
expected_pixel (int x, int y)
{
  return (x * 4u) | ((y * 8u) << 8) | (0x80u << 16) | (0xFFu << 24);
}

/* A kernel fills a Buffer with RGBA8 pixels, a 2-D copy puts them into the
 * mapped texture's array, and GL reads them back. */
static void
test_texture_written_by_kernel (void)
{
  CudaObjDevice *device = NULL;
  g_autoptr (Gl) gl = gl_open_or_skip (&device);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjObjectCode) code = NULL;
  g_autoptr (CudaObjKernel) kernel = NULL;
  g_autoptr (CudaObjKernelArgs) args = NULL;
  g_autoptr (CudaObjLaunchConfig) config = NULL;
  g_autoptr (CudaObjBuffer) pixels = NULL;
  g_autoptr (CudaObjGraphicsResource) resource = NULL;
  g_autofree guint32 *readback = g_new0 (guint32, WIDTH * HEIGHT);
  g_autoptr (CudaObjArray) mapped = NULL;
  g_autoptr (CudaObjArray) again = NULL;
  guint texture = 0, framebuffer = 0;
  guint64 array;

  if (gl == NULL)
    return;
  gl->GenTextures (1, &texture);
  gl->BindTexture (GL_TEXTURE_2D, texture);
  gl->TexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  gl->TexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  gl->TexImage2D (GL_TEXTURE_2D, 0, GL_RGBA8, WIDTH, HEIGHT, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
  gl->BindTexture (GL_TEXTURE_2D, 0);
  g_assert_cmpuint (gl->GetError (), ==, GL_NO_ERROR);

  resource = cuda_obj_graphics_resource_new_from_gl_image (device, texture, GL_TEXTURE_2D,
                                                           CUDA_OBJ_GRAPHICS_REGISTER_WRITE_DISCARD, &error);
  g_assert_no_error (error);
  g_assert_false (cuda_obj_graphics_resource_get_closed (resource));
  g_assert_cmpuint (cuda_obj_graphics_resource_get_gl_target (resource), ==, GL_TEXTURE_2D);

  stream = cuda_obj_device_create_stream (device, &error);
  g_assert_no_error (error);
  code = cudaobj_test_compile (device, pattern_source, NULL);
  kernel = cuda_obj_object_code_get_kernel (code, "pattern", &error);
  g_assert_no_error (error);
  pixels = cuda_obj_device_allocate (device, WIDTH * HEIGHT * 4, stream, &error);
  g_assert_no_error (error);
  args = cuda_obj_kernel_args_new (3);
  cuda_obj_kernel_args_set_buffer (args, 0, pixels);
  cuda_obj_kernel_args_set_int32 (args, 1, WIDTH);
  cuda_obj_kernel_args_set_int32 (args, 2, HEIGHT);
  config = cuda_obj_launch_config_new_3d (WIDTH / 16, HEIGHT / 16, 1, 16, 16, 1);

  g_assert_true (cuda_obj_graphics_resource_map (resource, stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_graphics_resource_get_mapped (resource));
  /* A texture has no linear memory. */
  g_assert_null (cuda_obj_graphics_resource_get_mapped_buffer (resource, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  array = cuda_obj_graphics_resource_get_mapped_array_handle (resource, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (array, !=, 0);

  g_assert_true (cuda_obj_launch (stream, config, kernel, args, &error));
  g_assert_no_error (error);
  mapped = cuda_obj_graphics_resource_get_mapped_array (resource, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_array_get_handle (mapped), ==, array);
  g_assert_cmpint (cuda_obj_array_get_format (mapped), ==, CUDA_OBJ_ARRAY_FORMAT_UINT8);
  g_assert_cmpuint (cuda_obj_array_get_channels (mapped), ==, 4);
  g_assert_cmpuint (cuda_obj_array_get_width (mapped), ==, WIDTH);
  g_assert_cmpuint (cuda_obj_array_get_height (mapped), ==, HEIGHT);
  again = cuda_obj_graphics_resource_get_mapped_array (resource, 0, 0, &error);
  g_assert_true (again == mapped);
  g_assert_true (cuda_obj_array_copy_from_buffer (mapped, pixels, 0, 0, stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_graphics_resource_unmap (resource, stream, &error));
  g_assert_no_error (error);
  g_assert_false (cuda_obj_graphics_resource_unmap (resource, stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* Unmapped, the array is gone. */
  g_assert_false (cuda_obj_array_copy_from_buffer (mapped, pixels, 0, 0, stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);

  gl->GenFramebuffers (1, &framebuffer);
  gl->BindFramebuffer (GL_FRAMEBUFFER, framebuffer);
  gl->FramebufferTexture2D (GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture, 0);
  g_assert_cmphex (gl->CheckFramebufferStatus (GL_FRAMEBUFFER), ==, GL_FRAMEBUFFER_COMPLETE);
  gl->PixelStorei (GL_PACK_ALIGNMENT, 4);
  gl->ReadPixels (0, 0, WIDTH, HEIGHT, GL_RGBA, GL_UNSIGNED_BYTE, readback);
  g_assert_cmpuint (gl->GetError (), ==, GL_NO_ERROR);
  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      g_assert_cmphex (GUINT32_FROM_LE (readback[y * WIDTH + x]), ==, expected_pixel (x, y));

  g_assert_true (cuda_obj_graphics_resource_close (resource, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_graphics_resource_get_closed (resource));
  g_assert_false (cuda_obj_graphics_resource_map (resource, stream, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  gl->BindFramebuffer (GL_FRAMEBUFFER, 0);
  gl->DeleteFramebuffers (1, &framebuffer);
  gl->DeleteTextures (1, &texture);
}

/* A mapped buffer object is a Buffer: bytes copied into it are what GL
 * reads; unmap closes that Buffer. */
static void
test_buffer_object_mapped (void)
{
  CudaObjDevice *device = NULL;
  g_autoptr (Gl) gl = gl_open_or_skip (&device);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjGraphicsResource) resource = NULL;
  g_autoptr (CudaObjBuffer) mapped = NULL;
  g_autoptr (CudaObjBuffer) again = NULL;
  g_autoptr (GBytes) bytes = NULL;
  guint8 data[1024], readback[1024] = { 0 };
  guint buffer = 0;

  if (gl == NULL)
    return;
  for (gsize i = 0; i < sizeof data; i++)
    data[i] = (guint8) (i * 7 + 3);
  bytes = g_bytes_new_static (data, sizeof data);
  gl->GenBuffers (1, &buffer);
  gl->BindBuffer (GL_ARRAY_BUFFER, buffer);
  gl->BufferData (GL_ARRAY_BUFFER, sizeof data, NULL, GL_DYNAMIC_DRAW);
  g_assert_cmpuint (gl->GetError (), ==, GL_NO_ERROR);

  resource = cuda_obj_graphics_resource_new_from_gl_buffer (device, buffer, CUDA_OBJ_GRAPHICS_REGISTER_NONE,
                                                            &error);
  g_assert_no_error (error);
  g_assert_false (cuda_obj_graphics_resource_set_map_usage (resource, (CudaObjGraphicsMapUsage) 7, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (
      cuda_obj_graphics_resource_set_map_usage (resource, CUDA_OBJ_GRAPHICS_MAP_WRITE_DISCARD, &error));
  g_assert_no_error (error);
  /* Not mapped yet. */
  g_assert_null (cuda_obj_graphics_resource_get_mapped_buffer (resource, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (cuda_obj_graphics_resource_map (resource, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cuda_obj_graphics_resource_map (resource, NULL, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (
      cuda_obj_graphics_resource_set_map_usage (resource, CUDA_OBJ_GRAPHICS_MAP_READ_ONLY, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (cuda_obj_graphics_resource_get_mapped_array_handle (resource, 0, 0, &error), ==, 0);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (cuda_obj_graphics_resource_get_mapped_array (resource, 0, 0, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  mapped = cuda_obj_graphics_resource_get_mapped_buffer (resource, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_buffer_get_size (mapped), >=, sizeof data);
  again = cuda_obj_graphics_resource_get_mapped_buffer (resource, &error);
  g_assert_true (again == mapped);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (mapped, bytes, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_graphics_resource_unmap (resource, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_get_closed (mapped));

  gl->GetBufferSubData (GL_ARRAY_BUFFER, 0, sizeof readback, readback);
  g_assert_cmpuint (gl->GetError (), ==, GL_NO_ERROR);
  g_assert_cmpmem (readback, sizeof readback, data, sizeof data);

  g_assert_true (cuda_obj_graphics_resource_close (resource, &error));
  g_assert_no_error (error);
  /* Closing twice is harmless. */
  g_assert_true (cuda_obj_graphics_resource_close (resource, &error));
  g_assert_no_error (error);
  gl->BindBuffer (GL_ARRAY_BUFFER, 0);
  gl->DeleteBuffers (1, &buffer);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_registrations); i++)
    {
      g_autofree char *path = g_strdup_printf ("/graphics-gl/register-refused/%s", bad_registrations[i].name);
      g_test_add_data_func (path, &bad_registrations[i], test_register_refused);
    }
  g_test_add_func ("/graphics-gl/uninitialized", test_uninitialized);
  g_test_add_func ("/graphics-gl/register-without-gl-context", test_register_without_gl_context);
  g_test_add_func ("/graphics-gl/texture-written-by-kernel", test_texture_written_by_kernel);
  g_test_add_func ("/graphics-gl/buffer-object-mapped", test_buffer_object_mapped);
  return g_test_run ();
}
