/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the captured CUgraph that a GraphBuilder ends into and the
 * Graphs instantiated from it share, with the node count and DOT dumps
 * both classes give of it. */
#include "config.h"

#include <glib/gstdio.h>

#include "cudaobj-graph-template-private.h"
#include "cudaobj-device-private.h"

/* The template: a captured CUgraph shared by a builder and its graphs. */

CudaObjGraphTemplate *
cuda_obj_graph_template_new (CudaObjDevice *device, CUgraph handle)
{
  CudaObjGraphTemplate *self = g_atomic_rc_box_new0 (CudaObjGraphTemplate);

  self->device = g_object_ref (device);
  self->handle = handle;
  self->owns_handle = TRUE;
  return self;
}

CudaObjGraphTemplate *
cuda_obj_graph_template_new_foreign (CudaObjDevice *device, CUgraph handle)
{
  CudaObjGraphTemplate *self = cuda_obj_graph_template_new (device, handle);

  self->owns_handle = FALSE;
  return self;
}

CudaObjGraphTemplate *
cuda_obj_graph_template_ref (CudaObjGraphTemplate *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
template_clear (gpointer data)
{
  CudaObjGraphTemplate *self = data;
  const CudaObjDriver *drv = cuda_obj_driver_peek ();

  /* Executable graphs made from it do not need it: they hold their own
   * copies of its nodes and of its user objects. */
  if (self->handle != NULL && self->owns_handle && drv != NULL
      && cuda_obj_device_activate (self->device, NULL))
    drv->cuGraphDestroy (self->handle);
  g_object_unref (self->device);
}

void
cuda_obj_graph_template_unref (CudaObjGraphTemplate *self)
{
  g_atomic_rc_box_release_full (self, template_clear);
}

/* Node counts and DOT dumps of any CUgraph. */

gboolean
cuda_obj_graph_count_nodes (CudaObjDevice *device, CUgraph graph, gsize *count, GError **error)
{
  size_t n = 0;

  if (!cuda_obj_device_activate (device, error)
      || !cuda_obj_check (cuda_obj_driver_peek ()->cuGraphGetNodes (graph, NULL, &n), "cuGraphGetNodes",
                          error))
    return FALSE;
  *count = n;
  return TRUE;
}

gboolean
cuda_obj_graph_write_dot (CudaObjDevice *device, CUgraph graph, const char *path, gboolean verbose,
                          GError **error)
{
  return cuda_obj_graph_write_dot_flags (device, graph, path, verbose ? CU_GRAPH_DEBUG_DOT_FLAGS_VERBOSE : 0,
                                         error);
}

gboolean
cuda_obj_graph_write_dot_flags (CudaObjDevice *device, CUgraph graph, const char *path, guint flags,
                                GError **error)
{
  CUresult result;

  if (!cuda_obj_device_activate (device, error))
    return FALSE;
  result = cuda_obj_driver_peek ()->cuGraphDebugDotPrint (graph, path, flags);
  if (result == CUDA_ERROR_OPERATING_SYSTEM)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO, "Cannot write the graph's DOT description to %s",
                   display);
      return FALSE;
    }
  return cuda_obj_check (result, "cuGraphDebugDotPrint", error);
}

char *
cuda_obj_graph_read_dot (CudaObjDevice *device, CUgraph graph, gboolean verbose, GError **error)
{
  return cuda_obj_graph_read_dot_flags (device, graph, verbose ? CU_GRAPH_DEBUG_DOT_FLAGS_VERBOSE : 0, error);
}

char *
cuda_obj_graph_read_dot_flags (CudaObjDevice *device, CUgraph graph, guint flags, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gboolean ok;
  int fd;

  /* The driver only writes files. */
  fd = g_file_open_tmp ("cudaobj-graph-XXXXXX.dot", &path, &local_error);
  if (fd < 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO,
                   "Cannot create a temporary file for the graph's DOT description: %s",
                   local_error->message);
      return NULL;
    }
  g_close (fd, NULL);
  ok = cuda_obj_graph_write_dot_flags (device, graph, path, flags, error);
  if (ok && !g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO,
                   "Cannot read the graph's DOT description back: %s", local_error->message);
      ok = FALSE;
    }
  g_unlink (path);
  return ok ? g_steal_pointer (&contents) : NULL;
}
