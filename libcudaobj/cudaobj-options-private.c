/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the GObject glue and the renderer of the table-driven option
 * classes (see cudaobj-options-private.h). */
#include "config.h"

#include "cudaobj-options-private.h"
#include "cudaobj-device.h"

/* The table of each option class, found from the instance's type. */
static GQuark
table_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("cudaobj-option-table");
  return quark;
}

static const CudaObjOptionTable *
table_of (GObject *object)
{
  return g_type_get_qdata (G_OBJECT_TYPE (object), table_quark ());
}

static gpointer
fields_of (const CudaObjOptionTable *table, GObject *object)
{
  return G_STRUCT_MEMBER_P (object, table->fields_offset);
}

#define FIELD(spec, fields, type) G_STRUCT_MEMBER (type, (fields), (spec)->offset)

static void
options_finalize (GObject *object)
{
  const CudaObjOptionTable *table = table_of (object);
  GObjectClass *parent_class = g_type_class_peek_parent (G_OBJECT_GET_CLASS (object));

  cuda_obj_option_fields_clear (table, fields_of (table, object));
  parent_class->finalize (object);
}

static void
options_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  const CudaObjOptionTable *table = table_of (object);
  const CudaObjOptionSpec *spec;
  gpointer fields = fields_of (table, object);

  if (prop_id == 0 || prop_id >= table->n_props)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  spec = &table->specs[prop_id];
  switch (spec->kind)
    {
    case CUDA_OBJ_OPTION_STRING: g_value_set_string (value, FIELD (spec, fields, char *)); break;
    case CUDA_OBJ_OPTION_BOOLEAN: g_value_set_boolean (value, FIELD (spec, fields, gboolean)); break;
    case CUDA_OBJ_OPTION_INT: g_value_set_int (value, FIELD (spec, fields, int)); break;
    case CUDA_OBJ_OPTION_STRV: g_value_set_boxed (value, FIELD (spec, fields, char **)); break;
    }
}

/* g_set_str(), which GLib has from 2.76. */
static gboolean
set_str (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
strv_equal0 (const char *const *a, const char *const *b)
{
  return a == b || (a != NULL && b != NULL && g_strv_equal (a, b));
}

static void
options_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  const CudaObjOptionTable *table = table_of (object);
  const CudaObjOptionSpec *spec;
  gpointer fields = fields_of (table, object);
  gboolean changed = FALSE;

  if (prop_id == 0 || prop_id >= table->n_props)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  spec = &table->specs[prop_id];
  switch (spec->kind)
    {
    case CUDA_OBJ_OPTION_STRING:
      changed = set_str (&FIELD (spec, fields, char *), g_value_get_string (value));
      break;
    case CUDA_OBJ_OPTION_BOOLEAN:
      {
        gboolean new_value = !!g_value_get_boolean (value);
        changed = FIELD (spec, fields, gboolean) != new_value;
        FIELD (spec, fields, gboolean) = new_value;
      }
      break;
    case CUDA_OBJ_OPTION_INT:
      changed = FIELD (spec, fields, int) != g_value_get_int (value);
      FIELD (spec, fields, int) = g_value_get_int (value);
      break;
    case CUDA_OBJ_OPTION_STRV:
      {
        const char *const *new_value = g_value_get_boxed (value);
        char ***field = &FIELD (spec, fields, char **);

        changed = !strv_equal0 ((const char *const *) *field, new_value);
        if (changed)
          {
            g_strfreev (*field);
            *field = g_strdupv ((char **) new_value);
          }
      }
      break;
    }
  if (changed)
    {
      /* Lets compiles that kept a result know the options changed since. */
      G_STRUCT_MEMBER (guint, object, table->generation_offset)++;
      g_object_notify_by_pspec (object, pspec);
    }
}

void
cuda_obj_option_table_install (CudaObjOptionTable *table, GObjectClass *klass)
{
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  klass->finalize = options_finalize;
  klass->get_property = options_get_property;
  klass->set_property = options_set_property;
  g_type_set_qdata (G_OBJECT_CLASS_TYPE (klass), table_quark (), table);

  for (guint i = 1; i < table->n_props; i++)
    {
      const CudaObjOptionSpec *spec = &table->specs[i];

      switch (spec->kind)
        {
        case CUDA_OBJ_OPTION_STRING:
          table->properties[i] = g_param_spec_string (spec->name, NULL, NULL, spec->default_string, flags);
          break;
        case CUDA_OBJ_OPTION_BOOLEAN:
          table->properties[i] = g_param_spec_boolean (spec->name, NULL, NULL, spec->default_value, flags);
          break;
        case CUDA_OBJ_OPTION_INT:
          /* The whole range, so that a bad value reaches the renderer's
           * error instead of being dropped by GLib with a warning. */
          table->properties[i]
              = g_param_spec_int (spec->name, NULL, NULL, G_MININT, G_MAXINT, spec->default_value, flags);
          break;
        case CUDA_OBJ_OPTION_STRV:
          table->properties[i] = g_param_spec_boxed (spec->name, NULL, NULL, G_TYPE_STRV, flags);
          break;
        }
    }
  g_object_class_install_properties (klass, table->n_props, table->properties);
}

void
cuda_obj_option_fields_init (const CudaObjOptionTable *table, gpointer fields)
{
  for (guint i = 1; i < table->n_props; i++)
    {
      const CudaObjOptionSpec *spec = &table->specs[i];

      switch (spec->kind)
        {
        case CUDA_OBJ_OPTION_STRING: FIELD (spec, fields, char *) = g_strdup (spec->default_string); break;
        case CUDA_OBJ_OPTION_BOOLEAN: FIELD (spec, fields, gboolean) = spec->default_value; break;
        case CUDA_OBJ_OPTION_INT: FIELD (spec, fields, int) = spec->default_value; break;
        case CUDA_OBJ_OPTION_STRV: FIELD (spec, fields, char **) = NULL; break;
        }
    }
}

void
cuda_obj_option_fields_clear (const CudaObjOptionTable *table, gpointer fields)
{
  for (guint i = 1; i < table->n_props; i++)
    {
      const CudaObjOptionSpec *spec = &table->specs[i];

      if (spec->kind == CUDA_OBJ_OPTION_STRING)
        g_clear_pointer (&FIELD (spec, fields, char *), g_free);
      else if (spec->kind == CUDA_OBJ_OPTION_STRV)
        g_clear_pointer (&FIELD (spec, fields, char **), g_strfreev);
    }
}

void
cuda_obj_option_fields_copy (const CudaObjOptionTable *table, gconstpointer src, gpointer dest)
{
  for (guint i = 1; i < table->n_props; i++)
    {
      const CudaObjOptionSpec *spec = &table->specs[i];

      switch (spec->kind)
        {
        case CUDA_OBJ_OPTION_STRING: set_str (&FIELD (spec, dest, char *), FIELD (spec, src, char *)); break;
        case CUDA_OBJ_OPTION_BOOLEAN: FIELD (spec, dest, gboolean) = FIELD (spec, src, gboolean); break;
        case CUDA_OBJ_OPTION_INT: FIELD (spec, dest, int) = FIELD (spec, src, int); break;
        case CUDA_OBJ_OPTION_STRV:
          g_strfreev (FIELD (spec, dest, char **));
          FIELD (spec, dest, char **) = g_strdupv (FIELD (spec, src, char **));
          break;
        }
    }
}

static void
add_each (GPtrArray *argv, const char *format, char *const *items)
{
  for (guint j = 0; items != NULL && items[j] != NULL; j++)
    g_ptr_array_add (argv, format != NULL ? g_strdup_printf (format, items[j]) : g_strdup (items[j]));
}

gboolean
cuda_obj_option_fields_validate (const CudaObjOptionTable *table, gconstpointer fields, GError **error)
{
  for (guint i = 1; i < table->n_props; i++)
    {
      const CudaObjOptionSpec *spec = &table->specs[i];

      if (spec->kind == CUDA_OBJ_OPTION_INT)
        {
          int value = FIELD (spec, fields, int);

          if (value < spec->minimum || value > spec->maximum)
            {
              g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "The option %s is %d: it must be from %d to %d", spec->name, value, spec->minimum,
                           spec->maximum);
              return FALSE;
            }
        }
      else if (spec->kind == CUDA_OBJ_OPTION_STRV)
        {
          char *const *items = FIELD (spec, fields, char **);

          /* An empty item is an empty argument: no tool wants one. */
          for (guint j = 0; items != NULL && items[j] != NULL; j++)
            if (*items[j] == '\0')
              {
                g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                             "The option %s has an empty item (item %u)", spec->name, j + 1);
                return FALSE;
              }
        }
    }
  return TRUE;
}

char **
cuda_obj_option_fields_render (const CudaObjOptionTable *table, gconstpointer fields, GError **error)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);

  if (!cuda_obj_option_fields_validate (table, fields, error))
    return NULL;

  /* The architecture first: tools and readers look for it there. */
  for (guint i = 1; i < table->n_props; i++)
    {
      const CudaObjOptionSpec *spec = &table->specs[i];
      g_autofree char *number = NULL, *arch = NULL;
      gboolean is_virtual = FALSE;

      if (spec->role != CUDA_OBJ_OPTION_ARCH)
        continue;
      if (!cuda_obj_arch_resolve (FIELD (spec, fields, char *), &number, &is_virtual, error))
        return NULL;
      arch = g_strdup_printf ("%s_%s", is_virtual ? "compute" : "sm", number);
      g_ptr_array_add (argv, g_strdup_printf (spec->format, arch));
    }

  for (guint i = 1; i < table->n_props; i++)
    {
      const CudaObjOptionSpec *spec = &table->specs[i];

      if (spec->role != CUDA_OBJ_OPTION_RENDER)
        continue;
      switch (spec->kind)
        {
        case CUDA_OBJ_OPTION_STRING:
          {
            const char *value = FIELD (spec, fields, char *);
            if (value != NULL && *value != '\0')
              g_ptr_array_add (argv, g_strdup_printf (spec->format, value));
          }
          break;
        case CUDA_OBJ_OPTION_BOOLEAN:
          {
            gboolean value = FIELD (spec, fields, gboolean);
            const char *option = value ? spec->format : spec->off_format;
            if (value != spec->default_value && option != NULL)
              g_ptr_array_add (argv, g_strdup (option));
          }
          break;
        case CUDA_OBJ_OPTION_INT:
          if (FIELD (spec, fields, int) != spec->default_value)
            g_ptr_array_add (argv, g_strdup_printf (spec->format, FIELD (spec, fields, int)));
          break;
        case CUDA_OBJ_OPTION_STRV: add_each (argv, spec->format, FIELD (spec, fields, char **)); break;
        }
    }

  for (guint i = 1; i < table->n_props; i++)
    if (table->specs[i].role == CUDA_OBJ_OPTION_VERBATIM)
      add_each (argv, NULL, FIELD (&table->specs[i], fields, char **));

  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&argv), FALSE);
}

gboolean
cuda_obj_arch_parse (const char *arch, char **number, gboolean *is_virtual, GError **error)
{
  const char *digits = arch;
  const char *p;
  gboolean virtual_arch = FALSE;

  if (g_str_has_prefix (arch, "sm_"))
    digits = arch + 3;
  else if (g_str_has_prefix (arch, "compute_"))
    {
      digits = arch + 8;
      virtual_arch = TRUE;
    }
  for (p = digits; g_ascii_isdigit (*p); p++)
    ;
  /* Two or three digits, then an optional family (f) or architecture (a) suffix. */
  if (p - digits < 2 || p - digits > 3 || *digits == '0'
      || (*p != '\0' && ((*p != 'a' && *p != 'f') || p[1] != '\0')))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "\"%s\" is not a GPU architecture: use \"sm_90\" (real), \"compute_90\" (virtual) "
                   "or \"90\"",
                   arch);
      return FALSE;
    }
  if (number != NULL)
    *number = g_strdup (digits);
  if (is_virtual != NULL)
    *is_virtual = virtual_arch;
  return TRUE;
}

gboolean
cuda_obj_arch_resolve (const char *arch, char **number, gboolean *is_virtual, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;

  if (arch != NULL && *arch != '\0')
    return cuda_obj_arch_parse (arch, number, is_virtual, error);

  device = cuda_obj_device_get (0, &local_error);
  if (device == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "No architecture given, and no CUDA device to take it from (%s): set the arch "
                   "option, such as \"sm_90\"",
                   local_error->message);
      return FALSE;
    }
  if (number != NULL)
    *number = g_strdup (cuda_obj_device_get_arch (device));
  if (is_virtual != NULL)
    *is_virtual = FALSE;
  return TRUE;
}
