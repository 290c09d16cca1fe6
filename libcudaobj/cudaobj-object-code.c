/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: compiled device code (CUBIN, PTX, LTO-IR, fatbin, objects).
 *
 * An ObjectCode is immutable bytes plus what the compiler said about them
 * (the lowered names of name expressions). Loading into the driver is lazy
 * and context-independent: the first kernel lookup loads the code as a
 * CUlibrary (cuLibraryLoadData), which every context of every device sees;
 * it is unloaded when the object goes. */
#include "config.h"

#include <string.h>

#include "cudaobj-object-code.h"
#include "cudaobj-error-private.h"
#include "cudaobj-object-code-private.h"
#include "cudaobj-enum-types.h"
#include "cudaobj-device-private.h"

struct _CudaObjObjectCode
{
  GObject parent_instance;

  GBytes *code;
  CudaObjCodeType code_type;
  char *name;
  GStrv name_expressions;    /* in the order given to the compiler */
  GHashTable *lowered_names; /* name expression -> lowered (mangled) name */

  gboolean initialized; /* checked by init, or made by the compiler or linker */

  GMutex library_lock;
  CUlibrary library;  /* published with g_atomic_pointer_set */
  GBytes *load_image; /* what the driver got, kept while it is loaded */

  /* Made by cuda_obj_object_code_new_from_handle(): */
  gboolean wrapping;
  CudaObjObjectCodeHandleType handle_type;
  CUmodule module;       /* a wrapped CUmodule, or NULL */
  CudaObjDevice *device; /* owned: the device of a wrapped CUmodule, or NULL */
  GObject *owner;        /* keeps a wrapped handle alive; owned, nullable */
};

enum
{
  PROP_0,
  PROP_CODE,
  PROP_CODE_TYPE,
  PROP_NAME,
  PROP_HANDLE,
  PROP_HANDLE_TYPE,
  PROP_OWNS_HANDLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Code that was never checked (a plain constructor, no init) is never
 * saved nor handed to the driver. */
#define require_initialized(self, error) \
  (G_LIKELY ((self)->initialized) || cuda_obj_set_not_initialized ((error), (self), G_STRFUNC))

static void cuda_obj_object_code_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjObjectCode:
 *
 * Device code as bytes ([property@CudaObj.ObjectCode:code]) of a known kind
 * ([property@CudaObj.ObjectCode:code-type]): what [method@CudaObj.Program.compile] and
 * [method@CudaObj.Linker.link] make, or what an application read from a file
 * made by `nvcc`.
 *
 * CUBIN, PTX and fatbin code runs: [method@CudaObj.ObjectCode.get_kernel] loads
 * it into the driver on first use, once for every device and context. LTO-IR,
 * host objects and libraries are inputs to [class@CudaObj.Linker].
 *
 * When the code was compiled with name expressions (such as
 * `"saxpy<float>"` for a template), [method@CudaObj.ObjectCode.get_lowered_name]
 * gives the mangled symbol each one became.
 *
 * Code that other code loaded into the driver (a `CUlibrary`, or a
 * `CUmodule` of one context) is wrapped with
 * [ctor@CudaObj.ObjectCode.new_from_handle] without being owned; its
 * kernels are got the same way.
 *
 * An object code is immutable and safe to use from several threads.
 *
 * An object code made with a plain constructor (`g_object_new()` without
 * `g_initable_init()`) was never checked: saving it and getting kernels
 * from it fail with %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjObjectCode, cuda_obj_object_code, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_object_code_initable_iface_init))

static const char *
code_type_nick (CudaObjCodeType code_type)
{
  switch (code_type)
    {
    case CUDA_OBJ_CODE_TYPE_CUBIN: return "CUBIN";
    case CUDA_OBJ_CODE_TYPE_PTX: return "PTX";
    case CUDA_OBJ_CODE_TYPE_LTOIR: return "LTO-IR";
    case CUDA_OBJ_CODE_TYPE_FATBIN: return "fatbin";
    case CUDA_OBJ_CODE_TYPE_OBJECT: return "host object";
    case CUDA_OBJ_CODE_TYPE_LIBRARY: return "host library";
    default: return "unknown code";
    }
}

#define ELF_MAGIC "\177ELF"
#define EM_CUDA 190
#define LTOIR_MAGIC "\xed\x43\x4e\x7f"
#define FATBIN_MAGIC "\x50\xed\x55\xba"
#define AR_MAGIC "!<arch>\n"

static int
elf_machine (const guchar *data, gsize size)
{
  /* e_machine is at offset 18 for both ELF classes, in the file's byte order. */
  if (size < 20 || memcmp (data, ELF_MAGIC, 4) != 0)
    return -1;
  return data[5] == 2 ? (data[18] << 8 | data[19]) : (data[18] | data[19] << 8);
}

static guint64
read_uint (const guchar *p, guint width, gboolean little_endian)
{
  guint64 value = 0;

  for (guint i = 0; i < width; i++)
    value |= (guint64) p[little_endian ? i : width - 1 - i] << (8 * i);
  return value;
}

/* What is wrong with an ELF file's structure, or NULL: every header and
 * section it describes must lie inside it, so that a truncated file never
 * reaches nvJitLink or the driver, which trust what they are given. */
static const char *
elf_problem (const guchar *data, gsize size)
{
  gboolean is64 = data[4] == 2, little = data[5] == 1;
  guint64 phoff, shoff, phentsize, phnum, shentsize, shnum, shstrndx;

  if ((data[4] != 1 && data[4] != 2) || (data[5] != 1 && data[5] != 2))
    return "an unknown ELF class or byte order";
  if (size < (is64 ? 64 : 52))
    return "a truncated ELF header";
#define FIELD(offset64, offset32, width64, width32) \
  read_uint (data + (is64 ? (offset64) : (offset32)), is64 ? (width64) : (width32), little)
  phoff = FIELD (32, 28, 8, 4);
  shoff = FIELD (40, 32, 8, 4);
  phentsize = FIELD (54, 42, 2, 2);
  phnum = FIELD (56, 44, 2, 2);
  shentsize = FIELD (58, 46, 2, 2);
  shnum = FIELD (60, 48, 2, 2);
  shstrndx = FIELD (62, 50, 2, 2);
#undef FIELD
  if (shoff == 0)
    return "no section headers";
  if (shentsize != (is64 ? 64 : 40))
    return "an unexpected section header size";
  if (shoff > size || shentsize > size - shoff)
    return "section headers past its end (truncated?)";
  if (shnum == 0) /* more than 0xff00 sections: the count is in section 0 */
    shnum = read_uint (data + shoff + (is64 ? 32 : 20), is64 ? 8 : 4, little);
  if (shnum == 0 || shnum > (size - shoff) / shentsize)
    return "section headers past its end (truncated?)";
  if (phnum > 0 && (phentsize != (is64 ? 56 : 32) || phoff > size || phnum > (size - phoff) / phentsize))
    return "program headers past its end (truncated?)";
  if (shstrndx != 0xffff && shstrndx >= shnum)
    return "a section name table index out of range";
  for (guint64 i = 0; i < shnum; i++)
    {
      const guchar *section = data + shoff + i * shentsize;
      guint64 type = read_uint (section + 4, 4, little);
      guint64 offset = read_uint (section + (is64 ? 24 : 16), is64 ? 8 : 4, little);
      guint64 length = read_uint (section + (is64 ? 32 : 20), is64 ? 8 : 4, little);

      /* SHT_NULL and SHT_NOBITS occupy no bytes of the file. */
      if (i > 0 && type != 0 && type != 8 && (offset > size || length > size - offset))
        return "a section past its end (truncated?)";
    }
  return NULL;
}

gboolean
cuda_obj_object_code_check (GBytes *code, CudaObjCodeType code_type, GError **error)
{
  gsize size = 0;
  const guchar *data = code != NULL ? g_bytes_get_data (code, &size) : NULL;
  const char *expected = NULL;
  const char *problem = NULL;
  int machine;

  if ((guint) code_type > CUDA_OBJ_CODE_TYPE_LIBRARY)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "%d is not a CudaObjCodeType",
                   (int) code_type);
      return FALSE;
    }
  if (size == 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "The %s code is empty",
                   code_type_nick (code_type));
      return FALSE;
    }

  switch (code_type)
    {
    case CUDA_OBJ_CODE_TYPE_CUBIN:
      machine = elf_machine (data, size);
      if (machine == -1)
        expected = "an ELF file (magic 7f 45 4c 46)";
      else if (machine != EM_CUDA)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "This ELF file is not a CUBIN: its machine is %d, not CUDA (%d); "
                       "a host object file is CUDA_OBJ_CODE_TYPE_OBJECT",
                       machine, EM_CUDA);
          return FALSE;
        }
      break;
    case CUDA_OBJ_CODE_TYPE_PTX:
      {
        /* Text, perhaps NUL-terminated. */
        const guchar *nul = memchr (data, '\0', size);
        if (nul != NULL && nul != data + size - 1)
          expected = "text without NUL bytes";
        else if (size == 1 && nul != NULL)
          {
            g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "The PTX code is empty");
            return FALSE;
          }
      }
      break;
    case CUDA_OBJ_CODE_TYPE_LTOIR:
      if (size < 4 || memcmp (data, LTOIR_MAGIC, 4) != 0)
        expected = "NVVM LTO-IR (magic ed 43 4e 7f)";
      break;
    case CUDA_OBJ_CODE_TYPE_FATBIN:
      if (size < 4 || memcmp (data, FATBIN_MAGIC, 4) != 0)
        expected = "a fatbin (magic 50 ed 55 ba)";
      break;
    case CUDA_OBJ_CODE_TYPE_OBJECT:
      if (elf_machine (data, size) == -1)
        expected = "an ELF object file (magic 7f 45 4c 46)";
      break;
    case CUDA_OBJ_CODE_TYPE_LIBRARY:
      if (size < strlen (AR_MAGIC) || memcmp (data, AR_MAGIC, strlen (AR_MAGIC)) != 0)
        expected = "a static library (an \"!<arch>\" archive)";
      break;
    }

  if (expected != NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "These %" G_GSIZE_FORMAT " bytes are not %s code: expected %s", size,
                   code_type_nick (code_type), expected);
      return FALSE;
    }
  if (code_type == CUDA_OBJ_CODE_TYPE_CUBIN || code_type == CUDA_OBJ_CODE_TYPE_OBJECT)
    problem = elf_problem (data, size);
  else if (code_type == CUDA_OBJ_CODE_TYPE_FATBIN)
    {
      /* magic, version (2 bytes), header size (2), size of the rest (8) */
      guint64 header_size = size >= 16 ? read_uint (data + 6, 2, TRUE) : 0;
      guint64 body_size = size >= 16 ? read_uint (data + 8, 8, TRUE) : 0;
      if (size < 16 || header_size < 16 || header_size > size || body_size > size - header_size)
        problem = "a fatbin header that does not match its size (truncated?)";
    }
  if (problem != NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "These %" G_GSIZE_FORMAT " bytes are not valid %s code: %s", size,
                   code_type_nick (code_type), problem);
      return FALSE;
    }
  return TRUE;
}

static gboolean
cuda_obj_object_code_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjObjectCode *self = CUDA_OBJ_OBJECT_CODE (initable);

  if (!cuda_obj_object_code_check (self->code, self->code_type, error))
    return FALSE;
  self->initialized = TRUE;
  return TRUE;
}

static void
cuda_obj_object_code_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_object_code_initable_init;
}

static void
cuda_obj_object_code_finalize (GObject *object)
{
  CudaObjObjectCode *self = CUDA_OBJ_OBJECT_CODE (object);
  const CudaObjDriver *drv = cuda_obj_driver_peek ();

  /* A wrapped library or module is its owner's. */
  if (self->library != NULL && !self->wrapping && drv != NULL)
    drv->cuLibraryUnload (self->library);
  g_clear_object (&self->owner);
  g_clear_object (&self->device);
  g_clear_pointer (&self->load_image, g_bytes_unref);
  g_mutex_clear (&self->library_lock);
  g_clear_pointer (&self->code, g_bytes_unref);
  g_clear_pointer (&self->name_expressions, g_strfreev);
  g_clear_pointer (&self->lowered_names, g_hash_table_unref);
  g_free (self->name);
  G_OBJECT_CLASS (cuda_obj_object_code_parent_class)->finalize (object);
}

static void
cuda_obj_object_code_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjObjectCode *self = CUDA_OBJ_OBJECT_CODE (object);

  switch (prop_id)
    {
    case PROP_CODE: g_value_set_boxed (value, self->code); break;
    case PROP_CODE_TYPE: g_value_set_enum (value, self->code_type); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_HANDLE: g_value_set_uint64 (value, cuda_obj_object_code_get_handle (self)); break;
    case PROP_HANDLE_TYPE: g_value_set_enum (value, self->handle_type); break;
    case PROP_OWNS_HANDLE: g_value_set_boolean (value, !self->wrapping); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_object_code_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjObjectCode *self = CUDA_OBJ_OBJECT_CODE (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_clear_pointer (&self->code, g_bytes_unref);
      self->code = g_value_dup_boxed (value);
      break;
    case PROP_CODE_TYPE: self->code_type = g_value_get_enum (value); break;
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_object_code_class_init (CudaObjObjectCodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct_only = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cuda_obj_object_code_finalize;
  object_class->get_property = cuda_obj_object_code_get_property;
  object_class->set_property = cuda_obj_object_code_set_property;

  /**
   * CudaObjObjectCode:code:
   *
   * The code's bytes. PTX made by libcudaobj ends with a NUL byte.
   *
   * Read it with [method@CudaObj.ObjectCode.get_code].
   *
   * Since: 1.0
   */
  properties[PROP_CODE] = g_param_spec_boxed ("code", NULL, NULL, G_TYPE_BYTES, construct_only);
  /**
   * CudaObjObjectCode:code-type:
   *
   * What kind of code [property@CudaObj.ObjectCode:code] is.
   *
   * Read it with [method@CudaObj.ObjectCode.get_code_type].
   *
   * Since: 1.0
   */
  properties[PROP_CODE_TYPE] = g_param_spec_enum ("code-type", NULL, NULL, CUDA_OBJ_TYPE_CODE_TYPE,
                                                  CUDA_OBJ_CODE_TYPE_CUBIN, construct_only);
  /**
   * CudaObjObjectCode:name:
   *
   * A name for the code, used in linker messages: the program's name for
   * compiled code, the file's name for code read from a file.
   *
   * Read it with [method@CudaObj.ObjectCode.get_name].
   *
   * Since: 1.0
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, construct_only);
  /**
   * CudaObjObjectCode:handle:
   *
   * The driver handle of the loaded code as an integer, to hand to other
   * CUDA libraries: the `CUlibrary` (or, for a wrapped module, the
   * `CUmodule`; see [property@CudaObj.ObjectCode:handle-type]). The code is
   * loaded on the first [method@CudaObj.ObjectCode.get_kernel]: 0 until
   * then.
   *
   * Read it with [method@CudaObj.ObjectCode.get_handle].
   *
   * Since: 1.0
   */
  properties[PROP_HANDLE] = g_param_spec_uint64 ("handle", NULL, NULL, 0, G_MAXUINT64, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjObjectCode:handle-type:
   *
   * What [property@CudaObj.ObjectCode:handle] is: a `CUlibrary`, except
   * for a `CUmodule` wrapped with [ctor@CudaObj.ObjectCode.new_from_handle].
   *
   * Read it with [method@CudaObj.ObjectCode.get_handle_type].
   *
   * Since: 1.0
   */
  properties[PROP_HANDLE_TYPE] = g_param_spec_enum (
      "handle-type", NULL, NULL, CUDA_OBJ_TYPE_OBJECT_CODE_HANDLE_TYPE,
      CUDA_OBJ_OBJECT_CODE_HANDLE_TYPE_LIBRARY, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjObjectCode:owns-handle:
   *
   * Whether the object code loads its `CUlibrary` itself and unloads it
   * when finalized; %FALSE for code wrapped with
   * [ctor@CudaObj.ObjectCode.new_from_handle].
   *
   * Read it with [method@CudaObj.ObjectCode.get_owns_handle].
   *
   * Since: 1.0
   */
  properties[PROP_OWNS_HANDLE]
      = g_param_spec_boolean ("owns-handle", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_object_code_init (CudaObjObjectCode *self)
{
  g_mutex_init (&self->library_lock);
  self->lowered_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->name_expressions = g_new0 (char *, 1);
}

CudaObjObjectCode *
cuda_obj_object_code_new_internal (GBytes *code, CudaObjCodeType code_type, const char *name,
                                   const char *const *name_expressions, const char *const *lowered_names)
{
  CudaObjObjectCode *self
      = g_object_new (CUDA_OBJ_TYPE_OBJECT_CODE, "code", code, "code-type", code_type, "name", name, NULL);

  if (name_expressions != NULL)
    {
      g_strfreev (self->name_expressions);
      self->name_expressions = g_strdupv ((char **) name_expressions);
      for (guint i = 0; name_expressions[i] != NULL; i++)
        if (lowered_names != NULL && lowered_names[i] != NULL)
          g_hash_table_insert (self->lowered_names, g_strdup (name_expressions[i]),
                               g_strdup (lowered_names[i]));
    }
  self->initialized = TRUE;
  return self;
}

/**
 * cuda_obj_object_code_new:
 * @code: the code's bytes
 * @code_type: what kind of code @code is
 * @error: return location for a [struct@GLib.Error]
 *
 * Wraps existing device code, checking that it looks like @code_type (its
 * magic number; text for PTX).
 *
 * Returns: (transfer full): the object code, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for empty code or code of another kind)
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_object_code_new (GBytes *code, CudaObjCodeType code_type, GError **error)
{
  g_return_val_if_fail (code != NULL, NULL);
  /* Before g_object_new, which would warn about an invalid enum value. */
  if (!cuda_obj_object_code_check (code, code_type, error))
    return NULL;
  return g_initable_new (CUDA_OBJ_TYPE_OBJECT_CODE, NULL, error, "code", code, "code-type", code_type, NULL);
}

/**
 * cuda_obj_object_code_new_from_cubin:
 * @code: a CUBIN (an ELF file for a CUDA architecture)
 * @error: return location for a [struct@GLib.Error]
 *
 * Wraps a CUBIN, as `nvcc -cubin` writes.
 *
 * Returns: (transfer full): the object code, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_object_code_new_from_cubin (GBytes *code, GError **error)
{
  return cuda_obj_object_code_new (code, CUDA_OBJ_CODE_TYPE_CUBIN, error);
}

/**
 * cuda_obj_object_code_new_from_ptx:
 * @code: PTX text, NUL-terminated or not
 * @error: return location for a [struct@GLib.Error]
 *
 * Wraps PTX, as `nvcc -ptx` writes.
 *
 * Returns: (transfer full): the object code, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_object_code_new_from_ptx (GBytes *code, GError **error)
{
  return cuda_obj_object_code_new (code, CUDA_OBJ_CODE_TYPE_PTX, error);
}

/**
 * cuda_obj_object_code_new_from_ltoir:
 * @code: LTO-IR
 * @error: return location for a [struct@GLib.Error]
 *
 * Wraps LTO-IR, as `nvcc -dlto -dc` or NVRTC with `-dlto` make.
 *
 * Returns: (transfer full): the object code, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_object_code_new_from_ltoir (GBytes *code, GError **error)
{
  return cuda_obj_object_code_new (code, CUDA_OBJ_CODE_TYPE_LTOIR, error);
}

/**
 * cuda_obj_object_code_new_from_fatbin:
 * @code: a fat binary
 * @error: return location for a [struct@GLib.Error]
 *
 * Wraps a fat binary, as `nvcc -fatbin` writes.
 *
 * Returns: (transfer full): the object code, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_object_code_new_from_fatbin (GBytes *code, GError **error)
{
  return cuda_obj_object_code_new (code, CUDA_OBJ_CODE_TYPE_FATBIN, error);
}

/**
 * cuda_obj_object_code_new_from_object:
 * @code: a host object file with device code
 * @error: return location for a [struct@GLib.Error]
 *
 * Wraps a host object file, as `nvcc -c -rdc=true` writes, for the linker.
 *
 * Returns: (transfer full): the object code, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_object_code_new_from_object (GBytes *code, GError **error)
{
  return cuda_obj_object_code_new (code, CUDA_OBJ_CODE_TYPE_OBJECT, error);
}

/**
 * cuda_obj_object_code_new_from_library:
 * @code: a static library of host objects with device code
 * @error: return location for a [struct@GLib.Error]
 *
 * Wraps a static library, as `nvcc -lib` writes, for the linker.
 *
 * Returns: (transfer full): the object code, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_object_code_new_from_library (GBytes *code, GError **error)
{
  return cuda_obj_object_code_new (code, CUDA_OBJ_CODE_TYPE_LIBRARY, error);
}

static const struct
{
  const char *suffix;
  CudaObjCodeType code_type;
} suffixes[] = {
  { ".cubin", CUDA_OBJ_CODE_TYPE_CUBIN },   { ".ptx", CUDA_OBJ_CODE_TYPE_PTX },
  { ".ltoir", CUDA_OBJ_CODE_TYPE_LTOIR },   { ".lto", CUDA_OBJ_CODE_TYPE_LTOIR },
  { ".fatbin", CUDA_OBJ_CODE_TYPE_FATBIN }, { ".o", CUDA_OBJ_CODE_TYPE_OBJECT },
  { ".obj", CUDA_OBJ_CODE_TYPE_OBJECT },    { ".a", CUDA_OBJ_CODE_TYPE_LIBRARY },
  { ".lib", CUDA_OBJ_CODE_TYPE_LIBRARY },
};

static gboolean
guess_code_type (const char *path, GBytes *code, CudaObjCodeType *code_type)
{
  gsize size = 0;
  const guchar *data = g_bytes_get_data (code, &size);
  int machine;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (path, suffixes[i].suffix))
      {
        *code_type = suffixes[i].code_type;
        return TRUE;
      }

  /* No known extension: the content decides. */
  machine = elf_machine (data, size);
  if (machine != -1)
    *code_type = machine == EM_CUDA ? CUDA_OBJ_CODE_TYPE_CUBIN : CUDA_OBJ_CODE_TYPE_OBJECT;
  else if (size >= 4 && memcmp (data, LTOIR_MAGIC, 4) == 0)
    *code_type = CUDA_OBJ_CODE_TYPE_LTOIR;
  else if (size >= 4 && memcmp (data, FATBIN_MAGIC, 4) == 0)
    *code_type = CUDA_OBJ_CODE_TYPE_FATBIN;
  else if (size >= strlen (AR_MAGIC) && memcmp (data, AR_MAGIC, strlen (AR_MAGIC)) == 0)
    *code_type = CUDA_OBJ_CODE_TYPE_LIBRARY;
  else if (size > 0 && g_strstr_len ((const char *) data, MIN (size, 4096), ".version") != NULL)
    *code_type = CUDA_OBJ_CODE_TYPE_PTX;
  else
    return FALSE;
  return TRUE;
}

static CudaObjObjectCode *
new_from_file (const char *path, gboolean guess, CudaObjCodeType code_type, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *basename = NULL;
  g_autoptr (GBytes) code = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO, "Cannot read device code: %s",
                   local_error->message);
      return NULL;
    }
  code = g_bytes_new_take (g_steal_pointer (&contents), length);
  if (guess && !guess_code_type (path, code, &code_type))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Cannot tell what kind of device code %s holds: name it .cubin, .ptx, .ltoir, "
                   ".fatbin, .o or .a, or give its type",
                   path);
      return NULL;
    }
  basename = g_path_get_basename (path);
  /* Before g_object_new, which would warn about an invalid enum value. */
  if (!cuda_obj_object_code_check (code, code_type, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  return g_initable_new (CUDA_OBJ_TYPE_OBJECT_CODE, NULL, error, "code", code, "code-type", code_type, "name",
                         basename, NULL);
}

/**
 * cuda_obj_object_code_new_from_file:
 * @path: (type filename): a file of device code
 * @error: return location for a [struct@GLib.Error]
 *
 * Reads device code from a file, telling its kind from the file's extension
 * (`.cubin`, `.ptx`, `.ltoir`, `.fatbin`, `.o`, `.a`) or, failing that, from
 * its content. The object code is named after the file.
 *
 * Returns: (transfer full): the object code, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_IO when the file cannot be read,
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT when its kind cannot be told or its
 *   content does not match it)
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_object_code_new_from_file (const char *path, GError **error)
{
  return new_from_file (path, TRUE, CUDA_OBJ_CODE_TYPE_CUBIN, error);
}

/**
 * cuda_obj_object_code_new_from_file_with_type:
 * @path: (type filename): a file of device code
 * @code_type: what kind of code the file holds
 * @error: return location for a [struct@GLib.Error]
 *
 * Reads device code of a known kind from a file. The object code is named
 * after the file.
 *
 * Returns: (transfer full): the object code, or %NULL with @error set
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_object_code_new_from_file_with_type (const char *path, CudaObjCodeType code_type, GError **error)
{
  return new_from_file (path, FALSE, code_type, error);
}

/**
 * cuda_obj_object_code_new_from_handle:
 * @device: for a `CUmodule`, the device whose primary context it was
 *   loaded in; for a `CUlibrary`, which works on every device, the device
 *   whose primary context checks it
 * @handle: the `CUlibrary` or `CUmodule`, as an integer
 * @type: which of the two @handle is
 * @owner: (nullable): the object that owns @handle (the
 *   [class@CudaObj.ObjectCode] it was read from, say); kept alive as long
 *   as the wrapper is
 * @error: return location for a [struct@GLib.Error]
 *
 * Wraps code that other code loaded into the driver (with `cuLibrary*`,
 * `cuModule*`, or the CUDA runtime's `cudaLibraryLoadData`), without
 * owning it: the wrapper never unloads @handle, and dropping it only stops
 * using it and releases @owner ([property@CudaObj.ObjectCode:owns-handle]
 * is %FALSE). [method@CudaObj.ObjectCode.get_kernel] works as for code
 * libcudaobj loaded: `cuLibraryGetKernel` gives a `CUkernel` of a
 * library, which runs on every device; `cuModuleGetFunction` gives a
 * `CUfunction` of a module, which runs on streams of @device's primary
 * context only (as a `CUfunction` wrapped with
 * [ctor@CudaObj.Kernel.new_from_handle] does). The kernels keep the
 * wrapper, and with it @owner, alive.
 *
 * The driver does not give the code back: [property@CudaObj.ObjectCode:code]
 * is %NULL, [property@CudaObj.ObjectCode:code-type] its default (CUBIN)
 * and the code has no name expressions, so kernels are asked for by their
 * C or mangled names; [method@CudaObj.ObjectCode.save] fails with
 * %CUDA_OBJ_ERROR_NOT_SUPPORTED, and the code is no input for a
 * [class@CudaObj.Linker].
 *
 * The wrapper asks the driver how many kernels @handle has
 * (`cuLibraryGetKernelCount`, `cuModuleGetFunctionCount`), whose refusal
 * is a %CUDA_OBJ_ERROR_INVALID_ARGUMENT; the driver cannot tell which
 * context a module was loaded in, so a module of another context, or
 * garbage the driver does not catch, is undefined behaviour. So is every
 * use of the wrapper, or of its kernels, once the owner unloaded @handle.
 *
 * Returns: (transfer full): the wrapper, or %NULL with @error set:
 *   %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a 0 handle or an unknown @type, a
 *   loader error without a CUDA driver
 *
 * Since: 1.0
 */
CudaObjObjectCode *
cuda_obj_object_code_new_from_handle (CudaObjDevice *device, guint64 handle, CudaObjObjectCodeHandleType type,
                                      GObject *owner, GError **error)
{
  g_autoptr (CudaObjObjectCode) self = NULL;
  const CudaObjDriver *drv;
  unsigned int count = 0;
  gboolean is_module = type == CUDA_OBJ_OBJECT_CODE_HANDLE_TYPE_MODULE;

  g_return_val_if_fail (owner == NULL || G_IS_OBJECT (owner), NULL);
  if (handle == 0 || (type != CUDA_OBJ_OBJECT_CODE_HANDLE_TYPE_LIBRARY && !is_module))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "Cannot wrap object code handle 0x%" G_GINT64_MODIFIER
                   "x of type %d: give a CUlibrary or a "
                   "CUmodule and its CudaObjObjectCodeHandleType",
                   handle, (int) type);
      return NULL;
    }
  drv = cuda_obj_driver_get (error);
  if (drv == NULL || !cuda_obj_device_require (device, G_STRFUNC, "device", error)
      || !cuda_obj_device_activate (device, error))
    return NULL;
  if (is_module ? !cuda_obj_check_foreign_handle (
          drv->cuModuleGetFunctionCount (&count, (CUmodule) (guintptr) handle), "cuModuleGetFunctionCount",
          "module", handle, error)
                : !cuda_obj_check_foreign_handle (
                    drv->cuLibraryGetKernelCount (&count, (CUlibrary) (guintptr) handle),
                    "cuLibraryGetKernelCount", "library", handle, error))
    return NULL;
  self = g_object_new (CUDA_OBJ_TYPE_OBJECT_CODE, NULL);
  self->wrapping = TRUE;
  self->handle_type = type;
  if (is_module)
    {
      self->module = (CUmodule) (guintptr) handle;
      self->device = g_object_ref (device);
    }
  else
    self->library = (CUlibrary) (guintptr) handle;
  self->owner = owner != NULL ? g_object_ref (owner) : NULL;
  self->initialized = TRUE;
  return g_steal_pointer (&self);
}

/**
 * cuda_obj_object_code_get_handle:
 * @self: a [class@CudaObj.ObjectCode]
 *
 * Gives the driver handle of the loaded code as an integer: the
 * `CUlibrary`, or the `CUmodule` of a wrapped module; 0 until the first
 * [method@CudaObj.ObjectCode.get_kernel] loaded the code. See
 * [property@CudaObj.ObjectCode:handle].
 *
 * Returns: the `CUlibrary` or `CUmodule`, as an integer
 *
 * Since: 1.0
 */
guint64
cuda_obj_object_code_get_handle (CudaObjObjectCode *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_OBJECT_CODE (self), 0);
  if (self->module != NULL)
    return (guint64) (guintptr) self->module;
  return (guint64) (guintptr) g_atomic_pointer_get (&self->library);
}

/**
 * cuda_obj_object_code_get_handle_type:
 * @self: a [class@CudaObj.ObjectCode]
 *
 * Tells what [property@CudaObj.ObjectCode:handle] is: a `CUlibrary`,
 * except for a `CUmodule` wrapped with
 * [ctor@CudaObj.ObjectCode.new_from_handle]. See
 * [property@CudaObj.ObjectCode:handle-type].
 *
 * Returns: the kind of handle
 *
 * Since: 1.0
 */
CudaObjObjectCodeHandleType
cuda_obj_object_code_get_handle_type (CudaObjObjectCode *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_OBJECT_CODE (self), CUDA_OBJ_OBJECT_CODE_HANDLE_TYPE_LIBRARY);
  return self->handle_type;
}

/**
 * cuda_obj_object_code_get_owns_handle:
 * @self: a [class@CudaObj.ObjectCode]
 *
 * Tells whether the object code loads its `CUlibrary` itself and unloads
 * it when finalized: %FALSE for code wrapped with
 * [ctor@CudaObj.ObjectCode.new_from_handle]. See
 * [property@CudaObj.ObjectCode:owns-handle].
 *
 * Returns: %TRUE if the object code owns its handle
 *
 * Since: 1.0
 */
gboolean
cuda_obj_object_code_get_owns_handle (CudaObjObjectCode *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_OBJECT_CODE (self), FALSE);
  return !self->wrapping;
}

CUmodule
cuda_obj_object_code_peek_module (CudaObjObjectCode *self, CudaObjDevice **device)
{
  *device = self->device;
  return self->module;
}

/**
 * cuda_obj_object_code_get_code:
 * @self: a [class@CudaObj.ObjectCode]
 *
 * Gives the code's bytes, [property@CudaObj.ObjectCode:code].
 *
 * Returns: (transfer none) (nullable): the code's bytes,
 *   [property@CudaObj.ObjectCode:code]; %NULL for code wrapped with
 *   [ctor@CudaObj.ObjectCode.new_from_handle]
 *
 * Since: 1.0
 */
GBytes *
cuda_obj_object_code_get_code (CudaObjObjectCode *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_OBJECT_CODE (self), NULL);
  return self->code;
}

/**
 * cuda_obj_object_code_get_code_type:
 * @self: a [class@CudaObj.ObjectCode]
 *
 * Gives the kind of code, [property@CudaObj.ObjectCode:code-type].
 *
 * Returns: the kind of code, [property@CudaObj.ObjectCode:code-type]
 *
 * Since: 1.0
 */
CudaObjCodeType
cuda_obj_object_code_get_code_type (CudaObjObjectCode *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_OBJECT_CODE (self), CUDA_OBJ_CODE_TYPE_CUBIN);
  return self->code_type;
}

/**
 * cuda_obj_object_code_get_name:
 * @self: a [class@CudaObj.ObjectCode]
 *
 * Gives the code's name, [property@CudaObj.ObjectCode:name].
 *
 * Returns: (nullable): the code's name, [property@CudaObj.ObjectCode:name]
 *
 * Since: 1.0
 */
const char *
cuda_obj_object_code_get_name (CudaObjObjectCode *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_OBJECT_CODE (self), NULL);
  return self->name;
}

/**
 * cuda_obj_object_code_get_lowered_name:
 * @self: a [class@CudaObj.ObjectCode]
 * @name_expression: a name expression given to [method@CudaObj.Program.compile],
 *   such as `"saxpy<float>"`
 *
 * Gives the symbol (the mangled name, such as `"_Z5saxpyIfEvT_PKS0_PS0_"`)
 * that a name expression became when the code was compiled.
 *
 * Returns: (nullable): the lowered name, or %NULL when @name_expression
 *   was not given when compiling
 *
 * Since: 1.0
 */
const char *
cuda_obj_object_code_get_lowered_name (CudaObjObjectCode *self, const char *name_expression)
{
  g_return_val_if_fail (CUDA_OBJ_IS_OBJECT_CODE (self), NULL);
  g_return_val_if_fail (name_expression != NULL, NULL);
  return g_hash_table_lookup (self->lowered_names, name_expression);
}

/**
 * cuda_obj_object_code_get_name_expressions:
 * @self: a [class@CudaObj.ObjectCode]
 *
 * Lists the name expressions the code was compiled with, in the order they
 * were given; [method@CudaObj.ObjectCode.get_lowered_name] maps each to its symbol.
 *
 * Returns: (transfer full) (array zero-terminated=1): the name expressions,
 *   empty when there were none
 *
 * Since: 1.0
 */
char **
cuda_obj_object_code_get_name_expressions (CudaObjObjectCode *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_OBJECT_CODE (self), NULL);
  return g_strdupv (self->name_expressions);
}

/**
 * cuda_obj_object_code_save:
 * @self: a [class@CudaObj.ObjectCode]
 * @path: (type filename): where to write the code
 * @error: return location for a [struct@GLib.Error]
 *
 * Writes the code's bytes to a file, atomically (a reader never sees a
 * partly written file). PTX is written without its final NUL byte.
 *
 * Returns: %TRUE on success; %FALSE with @error set (%CUDA_OBJ_ERROR_IO;
 *   %CUDA_OBJ_ERROR_NOT_SUPPORTED for code wrapped with
 *   [ctor@CudaObj.ObjectCode.new_from_handle], which has no bytes)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_object_code_save (CudaObjObjectCode *self, const char *path, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (CUDA_OBJ_IS_OBJECT_CODE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  if (!require_initialized (self, error))
    return FALSE;
  if (self->code == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                           "Cannot save object code wrapped from a driver handle: the driver does not give "
                           "its bytes back");
      return FALSE;
    }

  data = g_bytes_get_data (self->code, &size);
  if (self->code_type == CUDA_OBJ_CODE_TYPE_PTX && size > 0 && data[size - 1] == '\0')
    size--;
  if (!g_file_set_contents_full (path, data, size, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local_error))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO, "Cannot save device code: %s",
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
cuda_obj_object_code_require_initialized (CudaObjObjectCode *self, const char *func, GError **error)
{
  return G_LIKELY (self->initialized) || cuda_obj_set_not_initialized (error, self, func);
}

CUlibrary
cuda_obj_object_code_get_library (CudaObjObjectCode *self, GError **error)
{
  CUlibrary library = g_atomic_pointer_get (&self->library);
  g_autoptr (GMutexLocker) locker = NULL;
  const CudaObjDriver *drv;
  gsize size = 0;
  const char *data;

  if (G_LIKELY (library != NULL))
    return library;

  if (!require_initialized (self, error))
    return NULL;
  locker = g_mutex_locker_new (&self->library_lock);
  if (self->library != NULL)
    return self->library;
  if (self->code == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                           "A CUmodule wrapped as object code has no CUlibrary");
      return NULL;
    }

  switch (self->code_type)
    {
    case CUDA_OBJ_CODE_TYPE_CUBIN:
    case CUDA_OBJ_CODE_TYPE_PTX:
    case CUDA_OBJ_CODE_TYPE_FATBIN: break;
    case CUDA_OBJ_CODE_TYPE_LTOIR:
    case CUDA_OBJ_CODE_TYPE_OBJECT:
    case CUDA_OBJ_CODE_TYPE_LIBRARY:
    default:
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "%s code cannot be loaded into the driver: link it into a CUBIN with CudaObjLinker first",
                   code_type_nick (self->code_type));
      return NULL;
    }

  drv = cuda_obj_driver_get (error);
  if (drv == NULL || !cuda_obj_check (drv->cuInit (0), "cuInit", error))
    return NULL;

  /* The driver reads PTX as a C string; keep whatever it got alive for as
   * long as the library is loaded. */
  data = g_bytes_get_data (self->code, &size);
  if (self->code_type == CUDA_OBJ_CODE_TYPE_PTX && data[size - 1] != '\0')
    {
      char *terminated = g_malloc (size + 1);
      memcpy (terminated, data, size);
      terminated[size] = '\0';
      self->load_image = g_bytes_new_take (terminated, size + 1);
    }
  else
    self->load_image = g_bytes_ref (self->code);

  if (!cuda_obj_check (drv->cuLibraryLoadData (&library, g_bytes_get_data (self->load_image, NULL), NULL,
                                               NULL, 0, NULL, NULL, 0),
                       "cuLibraryLoadData", error))
    {
      g_clear_pointer (&self->load_image, g_bytes_unref);
      return NULL;
    }
  g_atomic_pointer_set (&self->library, library);
  return library;
}
