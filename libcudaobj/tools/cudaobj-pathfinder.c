/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cudaobj-pathfinder: lists every NVIDIA library libcudaobj knows, found or
 * not, with its path, version and the reason, plus the header directories
 * and libdevice; --json for scripts. */
#include <cudaobj.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  const char *name;
  char *path;    /* NULL when not found */
  char *version; /* NULL when not loaded or unknown */
  char *status;  /* "loaded", "found", "not found", "not loadable" */
  char *why;     /* the error, or NULL */
  GStrv report;  /* the search, with --verbose */
} Entry;

static void
entry_clear (Entry *entry)
{
  g_free (entry->path);
  g_free (entry->version);
  g_free (entry->status);
  g_free (entry->why);
  g_strfreev (entry->report);
}

static void
json_string (GString *out, const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if ((guchar) *p < 0x20)
            g_string_append_printf (out, "\\u%04x", (guchar) *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
json_strv (GString *out, const char *const *strv)
{
  g_string_append_c (out, '[');
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      json_string (out, strv[i]);
    }
  g_string_append_c (out, ']');
}

static void
examine (CudaObjLibrary library, gboolean load, gboolean verbose, Entry *entry)
{
  g_autoptr (GError) error = NULL;

  entry->name = cuda_obj_library_get_name (library);
  entry->path = cuda_obj_library_find (library, &error);
  if (verbose)
    entry->report = cuda_obj_library_get_search_report (library);
  if (entry->path == NULL)
    {
      entry->status = g_strdup ("not found");
      entry->why = g_strdup (error->message);
      return;
    }
  if (!load)
    {
      entry->status = g_strdup ("found");
      return;
    }
  if (!cuda_obj_library_load (library, &error))
    {
      entry->status = g_strdup ("not loadable");
      entry->why = g_strdup (error->message);
      return;
    }
  g_free (entry->path);
  entry->path = cuda_obj_library_get_path (library);
  entry->version = cuda_obj_library_get_version (library, NULL);
  entry->status = g_strdup ("loaded");
}

static CudaObjLibrary
library_value (const char *name)
{
  GEnumClass *library_class = g_type_class_ref (CUDA_OBJ_TYPE_LIBRARY);
  CudaObjLibrary value = CUDA_OBJ_LIBRARY_DRIVER;

  for (guint i = 0; i < library_class->n_values; i++)
    if (g_strcmp0 (cuda_obj_library_get_name (library_class->values[i].value), name) == 0)
      value = library_class->values[i].value;
  g_type_class_unref (library_class);
  return value;
}

int
main (int argc, char *argv[])
{
  gboolean json = FALSE, no_load = FALSE, verbose = FALSE;
  g_auto (GStrv) site_packages = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = NULL;
  const GOptionEntry options[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON for scripts", NULL },
    { "no-load", 0, 0, G_OPTION_ARG_NONE, &no_load, "Only find the files; do not load them (no versions)",
      NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Show every place searched", NULL },
    { "site-packages", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &site_packages,
      "Also search this Python site-packages directory (repeatable)", "DIR" },
    G_OPTION_ENTRY_NULL,
  };
  GEnumClass *library_class;
  g_autoptr (GArray) entries = NULL;
  g_auto (GStrv) include_dirs = NULL;
  g_auto (GStrv) site_dirs = NULL;
  g_autoptr (GError) include_error = NULL;
  g_autoptr (GError) libdevice_error = NULL;
  g_autofree char *libdevice = NULL;
  int driver_major = 0, driver_minor = 0;
  gboolean have_driver;
  guint n_found = 0;

  setlocale (LC_ALL, "");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (
      context, "Lists the NVIDIA libraries libcudaobj finds (pip wheels, conda, CUDA_PATH/CUDA_HOME,\n"
               "the system, /usr/local/cuda), their paths and versions, or why not.\n"
               "CUDA_OBJ_SITE_PACKAGES adds site-packages directories too.");
  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("cudaobj-pathfinder: %s\n", error->message);
      return 2;
    }
  for (guint i = 0; site_packages != NULL && site_packages[i] != NULL; i++)
    cuda_obj_library_add_site_directory (site_packages[i]);

  /* The driver first: a wheel's CUDA version is checked against it. */
  have_driver = cuda_obj_get_driver_version (&driver_major, &driver_minor, NULL);

  library_class = g_type_class_ref (CUDA_OBJ_TYPE_LIBRARY);
  entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (entries, (GDestroyNotify) entry_clear);
  for (guint i = 0; i < library_class->n_values; i++)
    {
      Entry entry = { 0 };
      examine (library_class->values[i].value, !no_load, verbose, &entry);
      if (entry.path != NULL)
        n_found++;
      g_array_append_val (entries, entry);
    }
  g_type_class_unref (library_class);
  include_dirs = cuda_obj_find_include_dirs (&include_error);
  libdevice = cuda_obj_find_libdevice (&libdevice_error);
  site_dirs = cuda_obj_library_get_site_directories ();

  if (json)
    {
      g_autoptr (GString) out = g_string_new ("{\n");
      g_autofree char *driver_version
          = have_driver ? g_strdup_printf ("%d.%d", driver_major, driver_minor) : NULL;

      g_string_append_printf (out, "  \"libcudaobj\": \"%s\",\n  \"header_cuda_version\": \"%d.%d\",\n",
                              CUDA_OBJ_VERSION_S, cuda_obj_get_header_version () / 1000,
                              cuda_obj_get_header_version () % 1000 / 10);
      g_string_append (out, "  \"driver_cuda_version\": ");
      json_string (out, driver_version);
      g_string_append (out, ",\n  \"site_directories\": ");
      json_strv (out, (const char *const *) site_dirs);
      g_string_append (out, ",\n  \"libraries\": [\n");
      for (guint i = 0; i < entries->len; i++)
        {
          const Entry *e = &g_array_index (entries, Entry, i);
          g_string_append (out, "    {\"name\": ");
          json_string (out, e->name);
          g_string_append (out, ", \"status\": ");
          json_string (out, e->status);
          g_string_append (out, ", \"path\": ");
          json_string (out, e->path);
          g_string_append (out, ", \"version\": ");
          json_string (out, e->version);
          g_string_append (out, ", \"why\": ");
          json_string (out, e->why);
          if (verbose)
            {
              g_string_append (out, ", \"searched\": ");
              json_strv (out, (const char *const *) e->report);
            }
          g_string_append_printf (out, "}%s\n", i + 1 < entries->len ? "," : "");
        }
      g_string_append (out, "  ],\n  \"include_dirs\": ");
      if (include_dirs != NULL)
        json_strv (out, (const char *const *) include_dirs);
      else
        g_string_append (out, "[]");
      g_string_append (out, ",\n  \"libdevice\": ");
      json_string (out, libdevice);
      g_string_append (out, "\n}\n");
      fputs (out->str, stdout);
      return 0;
    }

  g_print ("libcudaobj %s, built against CUDA %d.%d headers; ", CUDA_OBJ_VERSION_S,
           cuda_obj_get_header_version () / 1000, cuda_obj_get_header_version () % 1000 / 10);
  if (have_driver)
    g_print ("the driver supports CUDA %d.%d\n", driver_major, driver_minor);
  else
    g_print ("no CUDA driver\n");
  if (site_dirs[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (":", site_dirs);
      g_print ("site-packages searched: %s\n", joined);
    }
  g_print ("\n%-11s %-13s %-14s %s\n", "LIBRARY", "STATUS", "VERSION", "PATH, OR WHY NOT");
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *e = &g_array_index (entries, Entry, i);
      g_autofree char *short_why = NULL;

      /* The full list of places is long: --verbose and --json give it. */
      if (e->path == NULL && verbose)
        short_why = g_strdup (g_strcmp0 (e->status, "not found") == 0 ? "searched:" : e->why);
      else if (e->path == NULL)
        {
          g_auto (GStrv) searched = cuda_obj_library_get_search_report (library_value (e->name));
          short_why = g_strdup_printf ("not in the %u place%s searched (--verbose lists them; %s overrides)",
                                       g_strv_length (searched), g_strv_length (searched) == 1 ? "" : "s",
                                       cuda_obj_library_get_override_variable (library_value (e->name)));
        }
      g_print ("%-11s %-13s %-14s %s\n", e->name, e->status, e->version != NULL ? e->version : "-",
               short_why != NULL ? short_why
               : e->why != NULL  ? e->why
                                 : e->path);
      for (guint j = 0; e->report != NULL && e->report[j] != NULL; j++)
        g_print ("%-11s   %s\n", "", e->report[j]);
    }
  g_print ("\n%u of %u libraries found\n", n_found, entries->len);
  if (include_dirs != NULL)
    {
      g_autofree char *joined = g_strjoinv (" ", include_dirs);
      g_print ("include dirs: %s\n", joined);
    }
  else
    g_print ("include dirs: none: %s\n", include_error->message);
  g_print ("libdevice: %s\n", libdevice != NULL ? libdevice : libdevice_error->message);
  return 0;
}
