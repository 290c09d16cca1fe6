/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the table-driven properties that ProgramOptions and
 * LinkerOptions share.
 *
 * Each describes its options in a table indexed by property id and keeps
 * one GValue per property in an array of the same length (index 0, like
 * property id 0, unused). These helpers make the properties from the table
 * and manage the values; rendering the values into a command line stays
 * with each class. */
#pragma once

#include "cudaobj-loader-private.h"

G_BEGIN_DECLS

/* The type of an option's property. */
typedef enum
{
  CUDA_OBJ_OPTION_STRING,
  CUDA_OBJ_OPTION_BOOLEAN,
  CUDA_OBJ_OPTION_INT,
  CUDA_OBJ_OPTION_STRV,
} CudaObjOptionKind;

/* The read-write, explicitly notified property of an option: a string
 * defaulting to @default_string, a boolean defaulting to @default_value, an
 * int from @minimum to @maximum defaulting to @default_value, or a string
 * array defaulting to NULL. */
GParamSpec *cuda_obj_option_param_spec (const char *name, CudaObjOptionKind kind, const char *default_string,
                                        int default_value, int minimum, int maximum);

/* Sets each of @values[1..@n_props - 1] to the default of @properties[i]. */
void cuda_obj_option_values_init (GValue *values, GParamSpec *const *properties, guint n_props);

/* Copies @src[1..@n_props - 1] into the initialized @dest. */
void cuda_obj_option_values_copy (const GValue *src, GValue *dest, guint n_props);

/* Unsets @values[1..@n_props - 1]. */
void cuda_obj_option_values_unset (GValue *values, guint n_props);

/* Stores @value in @stored, the value of @pspec, unless it is equal (string
 * arrays item by item); TRUE when it changed, for the caller to notify. */
gboolean cuda_obj_option_value_set (GValue *stored, const GValue *value, GParamSpec *pspec);

G_END_DECLS
