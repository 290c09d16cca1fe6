/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the errors every class gives for misuse a binding can make.
 *
 * A Python, GJS or Vala caller can build any class with a plain constructor
 * (g_object_new without g_initable_init) and pass NULL for any argument, so
 * these are GErrors, never precondition failures. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Sets CUDA_OBJ_ERROR_NOT_INITIALIZED naming @func (G_STRFUNC of the public
 * entry point) and @object's type. Always FALSE. */
gboolean cuda_obj_set_not_initialized (GError **error, gpointer object, const char *func);

/* Sets CUDA_OBJ_ERROR_INVALID_ARGUMENT: @func was given NULL for @argument.
 * Always FALSE. */
gboolean cuda_obj_set_null_argument (GError **error, const char *func, const char *argument);

/* TRUE when @result is the GTask of @source_tag on @object; else FALSE
 * with CUDA_OBJ_ERROR_INVALID_ARGUMENT naming @func (a finish function
 * given another operation's result). */
gboolean cuda_obj_check_task (gpointer result, gpointer object, gpointer source_tag, const char *func,
                              GError **error);

/* TRUE, or FALSE with the error above when @value is NULL. */
#define cuda_obj_require_argument(value, error) \
  (G_LIKELY ((value) != NULL) || cuda_obj_set_null_argument ((error), G_STRFUNC, #value))

G_END_DECLS
