/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the version of the library that a program runs with. */
#include "config.h"

#include "cudaobj-version.h"

/* The macros of cudaobj-version.h say which headers a program was built
 * with; these functions say which library it runs with, which is what a
 * binding (Python, GJS, Vala) or a plug-in loaded long after the build has
 * to check. */

/**
 * cuda_obj_get_major_version:
 *
 * Returns the major version of the libcudaobj that the program runs with,
 * which can differ from [const@CudaObj.MAJOR_VERSION], the version of the
 * headers it was built with.
 *
 * Returns: the major version, such as 1 for libcudaobj 1.2.3
 *
 * Since: 1.0
 */
guint
cuda_obj_get_major_version (void)
{
  return CUDA_OBJ_MAJOR_VERSION;
}

/**
 * cuda_obj_get_minor_version:
 *
 * Returns the minor version of the libcudaobj that the program runs with,
 * which can differ from [const@CudaObj.MINOR_VERSION], the version of the
 * headers it was built with.
 *
 * Returns: the minor version, such as 2 for libcudaobj 1.2.3
 *
 * Since: 1.0
 */
guint
cuda_obj_get_minor_version (void)
{
  return CUDA_OBJ_MINOR_VERSION;
}

/**
 * cuda_obj_get_micro_version:
 *
 * Returns the micro version of the libcudaobj that the program runs with,
 * which can differ from [const@CudaObj.MICRO_VERSION], the version of the
 * headers it was built with.
 *
 * Returns: the micro version, such as 3 for libcudaobj 1.2.3
 *
 * Since: 1.0
 */
guint
cuda_obj_get_micro_version (void)
{
  return CUDA_OBJ_MICRO_VERSION;
}

/**
 * cuda_obj_check_version:
 * @required_major: the required major version
 * @required_minor: the required minor version
 * @required_micro: the required micro version
 *
 * Checks that the libcudaobj the program runs with is compatible with the
 * given version: the same major version (a new major version breaks the API)
 * and a minor and micro version at least the required ones.
 *
 * This is the run-time check; the `CUDA_OBJ_CHECK_VERSION()` macro is the check of
 * the headers at compile time. [func@CudaObj.get_major_version] and its
 * siblings give the version itself.
 *
 * ```python
 * problem = CudaObj.check_version(1, 0, 0)
 * if problem:
 *     raise SystemExit(problem)
 * ```
 *
 * Returns: (nullable) (transfer none): %NULL when the library is compatible,
 *   otherwise a message that says why not; the string belongs to libcudaobj
 *
 * Since: 1.0
 */
const char *
cuda_obj_check_version (guint required_major, guint required_minor, guint required_micro)
{
  if (required_major > CUDA_OBJ_MAJOR_VERSION)
    return "libcudaobj version too old (major mismatch)";
  if (required_major < CUDA_OBJ_MAJOR_VERSION)
    return "libcudaobj version too new (major mismatch)";
  if (required_minor > CUDA_OBJ_MINOR_VERSION)
    return "libcudaobj version too old (minor mismatch)";
  if (required_minor == CUDA_OBJ_MINOR_VERSION && required_micro > CUDA_OBJ_MICRO_VERSION)
    return "libcudaobj version too old (micro mismatch)";
  return NULL;
}
