/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the GObject glue and the command-line renderer that the
 * table-driven option classes (ProgramOptions, LinkerOptions) share.
 *
 * Each class keeps its values in a plain struct of typed fields (char *,
 * gboolean, int, char **), declared in its -private.h so that the classes
 * that consume the options read fields, not property names. One table per
 * class describes each field: its property (name, type, default, valid
 * range), where the field is, and how it renders into the tool's argv. From
 * the table, this file makes the properties, gets, sets, copies and frees
 * the fields, and renders them. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* The type of an option's field and property. */
typedef enum
{
  CUDA_OBJ_OPTION_STRING,  /* char *, owned */
  CUDA_OBJ_OPTION_BOOLEAN, /* gboolean */
  CUDA_OBJ_OPTION_INT,     /* int */
  CUDA_OBJ_OPTION_STRV,    /* char **, owned, NULL for none */
} CudaObjOptionKind;

/* What an option is to the renderer. */
typedef enum
{
  CUDA_OBJ_OPTION_RENDER,      /* rendered by its kind, see CudaObjOptionSpec */
  CUDA_OBJ_OPTION_ARCH,        /* an architecture, rendered first, resolved ("sm_90") through format */
  CUDA_OBJ_OPTION_VERBATIM,    /* a string array passed as is, after every other option */
  CUDA_OBJ_OPTION_NOT_RENDERED /* not a command-line option (a name) */
} CudaObjOptionRole;

typedef struct
{
  const char *name;
  CudaObjOptionKind kind;
  CudaObjOptionRole role;
  gsize offset; /* of the field in the fields struct */
  /* printf format of a set string or of an int off its default, of each
   * item of a string array, or of the resolved architecture; for a boolean
   * off its default, the option when TRUE (format) or FALSE (off_format). */
  const char *format;
  const char *off_format;
  int default_value;    /* booleans and ints */
  int minimum, maximum; /* ints: the valid range, checked when rendering */
  const char *default_string;
} CudaObjOptionSpec;

typedef struct
{
  const CudaObjOptionSpec *specs; /* [n_props]; [0], like property id 0, unused */
  guint n_props;
  gsize fields_offset;     /* of the fields struct in the instance */
  GParamSpec **properties; /* [n_props], made by cuda_obj_option_table_install() */
  gsize generation_offset; /* of a guint in the instance, counting changes */
} CudaObjOptionTable;

/* Entries of an option table, by role and kind. The file that lays out a
 * table first defines CUDA_OBJ_OPTION_FIELDS as its fields struct. */
/* clang-format off */
#define NAME_OPTION(name, field, default_string) \
  { name, CUDA_OBJ_OPTION_STRING, CUDA_OBJ_OPTION_NOT_RENDERED, G_STRUCT_OFFSET (CUDA_OBJ_OPTION_FIELDS, field), NULL, NULL, 0, 0, 0, default_string }
#define ARCH_OPTION(name, field, format) \
  { name, CUDA_OBJ_OPTION_STRING, CUDA_OBJ_OPTION_ARCH, G_STRUCT_OFFSET (CUDA_OBJ_OPTION_FIELDS, field), format }
#define STRING_OPTION(name, field, format) \
  { name, CUDA_OBJ_OPTION_STRING, CUDA_OBJ_OPTION_RENDER, G_STRUCT_OFFSET (CUDA_OBJ_OPTION_FIELDS, field), format }
/* A boolean that defaults to FALSE and renders as a bare flag. */
#define SWITCH_OPTION(name, field, flag) \
  { name, CUDA_OBJ_OPTION_BOOLEAN, CUDA_OBJ_OPTION_RENDER, G_STRUCT_OFFSET (CUDA_OBJ_OPTION_FIELDS, field), flag, NULL, FALSE }
#define BOOL_OPTION(name, field, on, off, default_value) \
  { name, CUDA_OBJ_OPTION_BOOLEAN, CUDA_OBJ_OPTION_RENDER, G_STRUCT_OFFSET (CUDA_OBJ_OPTION_FIELDS, field), on, off, default_value }
#define INT_OPTION(name, field, format, default_value, minimum, maximum) \
  { name, CUDA_OBJ_OPTION_INT, CUDA_OBJ_OPTION_RENDER, G_STRUCT_OFFSET (CUDA_OBJ_OPTION_FIELDS, field), format, NULL, default_value, minimum, maximum }
#define STRV_OPTION(name, field, format) \
  { name, CUDA_OBJ_OPTION_STRV, CUDA_OBJ_OPTION_RENDER, G_STRUCT_OFFSET (CUDA_OBJ_OPTION_FIELDS, field), format }
/* A boolean for libcudaobj itself, not a compiler option. */
#define FLAG_OPTION(name, field, default_value) \
  { name, CUDA_OBJ_OPTION_BOOLEAN, CUDA_OBJ_OPTION_NOT_RENDERED, G_STRUCT_OFFSET (CUDA_OBJ_OPTION_FIELDS, field), NULL, NULL, default_value }
#define VERBATIM_OPTION(name, field) \
  { name, CUDA_OBJ_OPTION_STRV, CUDA_OBJ_OPTION_VERBATIM, G_STRUCT_OFFSET (CUDA_OBJ_OPTION_FIELDS, field) }
/* clang-format on */

/* Makes the read-write, explicitly notified properties of @table (ints
 * accept any value, checked when rendered, so that no value is dropped
 * with only a warning), installs them on @klass, and sets @klass's
 * get_property, set_property and finalize, which work on the fields. For
 * final types deriving from GObject. */
void cuda_obj_option_table_install (CudaObjOptionTable *table, GObjectClass *klass);

/* Sets every field of @fields to its default. */
void cuda_obj_option_fields_init (const CudaObjOptionTable *table, gpointer fields);

/* Frees what the fields of @fields own. */
void cuda_obj_option_fields_clear (const CudaObjOptionTable *table, gpointer fields);

/* Replaces the initialized @dest with a deep copy of @src. */
void cuda_obj_option_fields_copy (const CudaObjOptionTable *table, gconstpointer src, gpointer dest);

/* Checks what the properties cannot: each int within its range, no empty
 * item in a string array. CUDA_OBJ_ERROR_INVALID_ARGUMENT naming the option. */
gboolean cuda_obj_option_fields_validate (const CudaObjOptionTable *table, gconstpointer fields,
                                          GError **error);

/* Renders @fields into the tool's argv: the architecture first, then each
 * option off its default in table order, then the verbatim ones. A pure
 * function of @fields, except that a NULL or empty architecture is taken
 * from device 0. CUDA_OBJ_ERROR_INVALID_ARGUMENT, naming the option, for
 * what cuda_obj_option_fields_validate() rejects or a malformed architecture. */
char **cuda_obj_option_fields_render (const CudaObjOptionTable *table, gconstpointer fields, GError **error);

/* Parses an architecture as users write it ("sm_90", "compute_90a", "90",
 * "100f") into its number with any suffix ("90a") and whether it names a
 * virtual (compute_) architecture. A bare number is a real architecture.
 * CUDA_OBJ_ERROR_INVALID_ARGUMENT for anything else. */
gboolean cuda_obj_arch_parse (const char *arch, char **number, gboolean *is_virtual, GError **error);

/* As cuda_obj_arch_parse(), taking device 0's architecture when @arch is
 * NULL or empty; CUDA_OBJ_ERROR_INVALID_ARGUMENT, saying why there is no
 * device, when there is none to take it from. */
gboolean cuda_obj_arch_resolve (const char *arch, char **number, gboolean *is_virtual, GError **error);

G_END_DECLS
