/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the table-driven properties that ProgramOptions and
 * LinkerOptions share (see cudaobj-options-private.h). */
#include "config.h"

#include "cudaobj-options-private.h"

GParamSpec *
cuda_obj_option_param_spec (const char *name, CudaObjOptionKind kind, const char *default_string,
                            int default_value, int minimum, int maximum)
{
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  switch (kind)
    {
    case CUDA_OBJ_OPTION_STRING: return g_param_spec_string (name, NULL, NULL, default_string, flags);
    case CUDA_OBJ_OPTION_BOOLEAN: return g_param_spec_boolean (name, NULL, NULL, default_value, flags);
    case CUDA_OBJ_OPTION_INT:
      return g_param_spec_int (name, NULL, NULL, minimum, maximum, default_value, flags);
    case CUDA_OBJ_OPTION_STRV: return g_param_spec_boxed (name, NULL, NULL, G_TYPE_STRV, flags);
    }
  g_return_val_if_reached (NULL);
}

void
cuda_obj_option_values_init (GValue *values, GParamSpec *const *properties, guint n_props)
{
  for (guint i = 1; i < n_props; i++)
    {
      g_value_init (&values[i], G_PARAM_SPEC_VALUE_TYPE (properties[i]));
      g_param_value_set_default (properties[i], &values[i]);
    }
}

void
cuda_obj_option_values_copy (const GValue *src, GValue *dest, guint n_props)
{
  for (guint i = 1; i < n_props; i++)
    g_value_copy (&src[i], &dest[i]);
}

void
cuda_obj_option_values_unset (GValue *values, guint n_props)
{
  for (guint i = 1; i < n_props; i++)
    g_value_unset (&values[i]);
}

gboolean
cuda_obj_option_value_set (GValue *stored, const GValue *value, GParamSpec *pspec)
{
  gboolean changed;

  if (G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_STRV)
    {
      const char *const *old = g_value_get_boxed (stored);
      const char *const *new = g_value_get_boxed (value);
      changed = !(old == new || (old != NULL && new != NULL &&g_strv_equal (old, new)));
    }
  else
    changed = g_param_values_cmp (pspec, stored, value) != 0;
  if (changed)
    g_value_copy (value, stored);
  return changed;
}
