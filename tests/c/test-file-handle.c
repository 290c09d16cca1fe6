/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* FileHandle: construction errors, uninitialized and closed use, and on a
 * GPU cuFile reads and writes checked against read() and write(),
 * synchronous and stream-ordered, up to a 1 GiB file. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cudaobj-loader-private.h"
#include "cudaobj-test-util.h"

#define BIG_SIZE ((gsize) 1 << 30)

/* First: once cuFile is loaded, an override no longer matters. */
static void
test_no_cufile (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cudaobj-file-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "new", NULL);
  CudaObjFileHandle *handle;

#if !CUDA_OBJ_HAVE_CUFILE
  g_test_skip ("built without the header: construction says NOT_SUPPORTED");
  return;
#endif
  if (cuda_obj_library_is_loaded (CUDA_OBJ_LIBRARY_CUFILE))
    {
      g_test_skip ("cuFile is already loaded");
      return;
    }
  g_setenv ("CUDA_OBJ_CUFILE_LIBRARY", "/nonexistent/libcufile.so.0", TRUE);
  handle = cuda_obj_file_handle_new (path, TRUE, &error);
  g_unsetenv ("CUDA_OBJ_CUFILE_LIBRARY");
  g_assert_null (handle);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "cuFile"));
  /* No file was made for a library that is not there. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

typedef struct
{
  const char *name;
  const char *path; /* NULL: use fd */
  int fd;           /* -2: a pipe's */
  gboolean writable;
  int code;
  const char *message;
} BadOpenCase;

static const BadOpenCase bad_open_cases[] = {
  { "missing-file", "/nonexistent/cudaobj-file", -1, FALSE, CUDA_OBJ_ERROR_IO, "No such file" },
  { "empty-path", "", -1, FALSE, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "empty" },
  { "negative-fd", NULL, -1, FALSE, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "not a file descriptor" },
  { "pipe-fd", NULL, -2, FALSE, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "regular file" },
  { "closed-fd", NULL, 1000, FALSE, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "regular file" },
};

static void
test_bad_open (gconstpointer data)
{
  const BadOpenCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjFileHandle) handle = NULL;
  int pipe_fds[2] = { -1, -1 };

  if (c->path != NULL)
    handle = cuda_obj_file_handle_new (c->path, c->writable, &error);
  else if (c->fd == -2)
    {
      g_assert_cmpint (pipe (pipe_fds), ==, 0);
      handle = cuda_obj_file_handle_new_for_fd (pipe_fds[0], &error);
      close (pipe_fds[0]);
      close (pipe_fds[1]);
    }
  else
    handle = cuda_obj_file_handle_new_for_fd (c->fd, &error);
  g_assert_null (handle);
  g_assert_error (error, CUDA_OBJ_ERROR, c->code);
  g_assert_nonnull (strstr (error->message, c->message));
}

static void
test_path_and_fd (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_FILE_HANDLE, NULL, &error, "path", "/tmp/x", "fd", 0, NULL));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "exactly one"));
  g_clear_error (&error);
  g_assert_null (g_initable_new (CUDA_OBJ_TYPE_FILE_HANDLE, NULL, &error, NULL));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
}

static void
uninitialized_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  g_assert_cmpint (cuda_obj_file_handle_read_finish (CUDA_OBJ_FILE_HANDLE (source), result, error), ==, -1);
}

static void
test_uninitialized (void)
{
  g_autoptr (CudaObjFileHandle) handle = g_object_new (CUDA_OBJ_TYPE_FILE_HANDLE, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (cuda_obj_file_handle_read (handle, NULL, 16, 0, 0, &error), ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_cmpint (cuda_obj_file_handle_write (handle, NULL, 16, 0, 0, &error), ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (cuda_obj_file_handle_close (handle, &error));
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  cuda_obj_file_handle_read_async (handle, NULL, 16, 0, 0, NULL, NULL, uninitialized_done, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED);
  g_assert_true (cuda_obj_file_handle_get_closed (handle));
  g_assert_cmpuint (cuda_obj_file_handle_get_size (handle), ==, 0);
  g_assert_false (cuda_obj_file_handle_get_compat_mode (handle));
  g_assert_false (cuda_obj_file_handle_get_cufile (handle));
}

/* GPU tests: a scratch file in a temporary directory. */
typedef struct
{
  CudaObjDevice *device;
  CudaObjMemoryResource *resource;
  char *dir;
  char *path;
} Fixture;

static gboolean
fixture_setup (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjFileHandle) probe = NULL;

  f->device = cudaobj_test_device_or_skip ();
  if (f->device == NULL)
    return FALSE;
  f->dir = g_dir_make_tmp ("cudaobj-file-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "data", NULL);
  probe = cuda_obj_file_handle_new (f->path, TRUE, &error);
  if (probe == NULL)
    {
      /* A GPU machine without cuFile, or where cuFile refuses to run. */
      g_assert_true (g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND)
                     || g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED));
      g_test_skip (error->message);
      g_rmdir (f->dir);
      g_clear_object (&f->device);
      return FALSE;
    }
  g_test_message ("%s, %s",
                  !cuda_obj_file_handle_get_cufile (probe)       ? "libcudaobj's POSIX path (cuFile refused)"
                  : cuda_obj_file_handle_get_compat_mode (probe) ? "cuFile compatibility mode"
                                                                 : "cuFile with GPUDirect Storage",
                  cuda_obj_file_handle_get_direct (probe) ? "O_DIRECT" : "buffered");
  /* Without cuFile the data goes through host memory, never O_DIRECT. */
  if (!cuda_obj_file_handle_get_cufile (probe))
    g_assert_true (cuda_obj_file_handle_get_compat_mode (probe) && !cuda_obj_file_handle_get_direct (probe));
  f->resource = CUDA_OBJ_MEMORY_RESOURCE (cuda_obj_sync_memory_resource_new (f->device, &error));
  g_assert_no_error (error);
  return TRUE;
}

static void
fixture_teardown (Fixture *f)
{
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_clear_object (&f->resource);
  g_clear_object (&f->device);
}

static CudaObjBuffer *
fixture_buffer (Fixture *f, gsize size)
{
  g_autoptr (GError) error = NULL;
  CudaObjBuffer *buffer = cuda_obj_memory_resource_allocate (f->resource, size, NULL, &error);

  g_assert_no_error (error);
  return buffer;
}

/* Bytes that differ from one position to the next and across runs of 4 KiB. */
static guint8 *
make_pattern (gsize size, guint seed)
{
  guint8 *data = g_malloc (size);
  guint32 x = 2463534242u ^ seed;

  for (gsize i = 0; i < size; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      data[i] = (guint8) x;
    }
  return data;
}

static guint8 *
device_contents (CudaObjBuffer *buffer, gsize size)
{
  g_autoptr (GError) error = NULL;
  guint8 *data = g_malloc (size);

  g_assert_true (cuda_obj_buffer_copy_to_host (buffer, (guint64) (guintptr) data, size, 0, NULL, &error));
  g_assert_no_error (error);
  return data;
}

static void
test_write_then_read (void)
{
  Fixture f = { 0 };
  const gsize size = ((gsize) 1 << 20) + 123; /* not a multiple of a block */
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjFileHandle) handle = NULL;
  g_autoptr (CudaObjBuffer) src = NULL, dst = NULL;
  g_autofree guint8 *pattern = make_pattern (size, 1);
  g_autofree guint8 *back = NULL;
  g_autofree char *file_data = NULL;
  gsize file_size = 0;

  if (!fixture_setup (&f))
    return;
  src = fixture_buffer (&f, size);
  dst = fixture_buffer (&f, size);
  g_assert_true (cuda_obj_buffer_copy_from_host (src, (guint64) (guintptr) pattern, size, 0, NULL, &error));
  handle = cuda_obj_file_handle_new (f.path, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_file_handle_get_writable (handle));
  g_assert_cmpstr (cuda_obj_file_handle_get_path (handle), ==, f.path);

  g_assert_cmpint (cuda_obj_file_handle_write (handle, src, size, 0, 0, &error), ==, (gssize) size);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_file_handle_get_size (handle), ==, size);

  /* What cuFile wrote is what read() finds. */
  g_assert_true (g_file_get_contents (f.path, &file_data, &file_size, &error));
  g_assert_cmpuint (file_size, ==, size);
  g_assert_cmpmem (file_data, size, pattern, size);

  /* And cuFile reads it back. */
  g_assert_cmpint (cuda_obj_file_handle_read (handle, dst, size, 0, 0, &error), ==, (gssize) size);
  g_assert_no_error (error);
  back = device_contents (dst, size);
  g_assert_cmpmem (back, size, pattern, size);

  g_assert_true (cuda_obj_file_handle_close (handle, &error));
  g_assert_true (cuda_obj_file_handle_close (handle, &error));
  g_assert_true (cuda_obj_file_handle_get_closed (handle));
  fixture_teardown (&f);
}

/* Offsets in the file and in the buffer, unaligned both. */
static void
test_offsets (void)
{
  Fixture f = { 0 };
  const gsize file_size = 65536, size = 10000, file_offset = 4096 + 7, buffer_offset = 13;
  g_autofree guint8 *pattern = make_pattern (file_size, 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjFileHandle) handle = NULL;
  g_autoptr (CudaObjBuffer) dst = NULL;
  g_autofree guint8 *back = NULL;

  if (!fixture_setup (&f))
    return;
  g_assert_true (g_file_set_contents (f.path, (const char *) pattern, file_size, &error));
  handle = cuda_obj_file_handle_new (f.path, FALSE, &error);
  g_assert_no_error (error);
  dst = fixture_buffer (&f, buffer_offset + size);
  g_assert_true (cuda_obj_buffer_fill (dst, 0, 1, 0, buffer_offset + size, NULL, &error));
  g_assert_cmpint (cuda_obj_file_handle_read (handle, dst, size, file_offset, buffer_offset, &error), ==,
                   (gssize) size);
  g_assert_no_error (error);
  back = device_contents (dst, buffer_offset + size);
  for (gsize i = 0; i < buffer_offset; i++)
    g_assert_cmpuint (back[i], ==, 0);
  g_assert_cmpmem (back + buffer_offset, size, pattern + file_offset, size);
  fixture_teardown (&f);
}

static void
test_errors (void)
{
  Fixture f = { 0 };
  g_autofree guint8 *pattern = make_pattern (1000, 3);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjFileHandle) handle = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjBuffer) closed = NULL;
  g_autofree guint8 *back = NULL;

  if (!fixture_setup (&f))
    return;
  g_assert_true (g_file_set_contents (f.path, (const char *) pattern, 1000, &error));
  handle = cuda_obj_file_handle_new (f.path, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (cuda_obj_file_handle_get_writable (handle));
  buffer = fixture_buffer (&f, 4096);

  /* A read across the end stops there, like read(). */
  g_assert_cmpint (cuda_obj_file_handle_read (handle, buffer, 4096, 0, 0, &error), ==, 1000);
  g_assert_no_error (error);
  back = device_contents (buffer, 1000);
  g_assert_cmpmem (back, 1000, pattern, 1000);
  /* At the end, nothing; past it, an error. */
  g_assert_cmpint (cuda_obj_file_handle_read (handle, buffer, 16, 1000, 0, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_file_handle_read (handle, buffer, 16, 2000, 0, &error), ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "past the end"));
  g_clear_error (&error);
  /* More than the buffer holds. */
  g_assert_cmpint (cuda_obj_file_handle_read (handle, buffer, 4097, 0, 0, &error), ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "do not fit"));
  g_clear_error (&error);
  g_assert_cmpint (cuda_obj_file_handle_read (handle, buffer, 16, 0, 4090, &error), ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (cuda_obj_file_handle_read (handle, buffer, 16, -1, 0, &error), ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* Writing to a read-only handle. */
  g_assert_cmpint (cuda_obj_file_handle_write (handle, buffer, 16, 0, 0, &error), ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "reading only"));
  g_clear_error (&error);
  /* A closed buffer. */
  closed = fixture_buffer (&f, 64);
  g_assert_true (cuda_obj_buffer_close (closed, NULL, &error));
  g_assert_cmpint (cuda_obj_file_handle_read (handle, closed, 16, 0, 0, &error), ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&error);
  /* A closed handle. */
  g_assert_true (cuda_obj_file_handle_close (handle, &error));
  g_assert_cmpint (cuda_obj_file_handle_read (handle, buffer, 16, 0, 0, &error), ==, -1);
  g_assert_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_assert_cmpuint (cuda_obj_file_handle_get_size (handle), ==, 0);
  fixture_teardown (&f);
}

/* A descriptor the caller opened (and keeps). */
static void
test_for_fd (void)
{
  Fixture f = { 0 };
  g_autofree guint8 *pattern = make_pattern (5000, 4);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjFileHandle) handle = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autofree guint8 *back = NULL;
  int fd, own_fd;

  if (!fixture_setup (&f))
    return;
  g_assert_true (g_file_set_contents (f.path, (const char *) pattern, 5000, &error));
  fd = open (f.path, O_RDONLY);
  g_assert_cmpint (fd, >=, 0);
  handle = cuda_obj_file_handle_new_for_fd (fd, &error);
  g_assert_no_error (error);
  close (fd); /* the handle has its own */
  g_assert_null (cuda_obj_file_handle_get_path (handle));
  g_assert_false (cuda_obj_file_handle_get_writable (handle));
  g_object_get (handle, "fd", &own_fd, NULL);
  g_assert_cmpint (own_fd, >=, 0);
  buffer = fixture_buffer (&f, 5000);
  g_assert_cmpint (cuda_obj_file_handle_read (handle, buffer, 5000, 0, 0, &error), ==, 5000);
  g_assert_no_error (error);
  back = device_contents (buffer, 5000);
  g_assert_cmpmem (back, 5000, pattern, 5000);
  g_assert_true (cuda_obj_file_handle_close (handle, &error));
  /* Closing the handle closed its descriptor. */
  g_assert_cmpint (fcntl (own_fd, F_GETFD), ==, -1);
  g_assert_cmpint (errno, ==, EBADF);
  fixture_teardown (&f);
}

typedef struct
{
  gssize bytes;
  GError *error;
  gboolean done;
} AsyncResult;

static void
write_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncResult *r = user_data;

  r->bytes = cuda_obj_file_handle_write_finish (CUDA_OBJ_FILE_HANDLE (source), result, &r->error);
  r->done = TRUE;
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncResult *r = user_data;

  r->bytes = cuda_obj_file_handle_read_finish (CUDA_OBJ_FILE_HANDLE (source), result, &r->error);
  r->done = TRUE;
}

static void
wait_for (AsyncResult *r)
{
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r->error);
}

/* Stream-ordered: the write sees the copy enqueued before it, the copy
 * enqueued after the read sees its data; the handle is closed (and the
 * buffer dropped) before the stream got to the read. */
static void
test_stream_ordered (void)
{
  Fixture f = { 0 };
  const gsize size = ((gsize) 4 << 20) + 5;
  g_autofree guint8 *pattern = make_pattern (size, 5);
  g_autofree guint8 *back = g_malloc0 (size);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjFileHandle) handle = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) src = NULL;
  CudaObjBuffer *dst;
  AsyncResult written = { 0 }, read = { 0 };

  if (!fixture_setup (&f))
    return;
  stream = cuda_obj_device_create_stream (f.device, &error);
  g_assert_no_error (error);
  handle = cuda_obj_file_handle_new (f.path, TRUE, &error);
  g_assert_no_error (error);
  src = fixture_buffer (&f, size);
  dst = fixture_buffer (&f, size);
  g_assert_true (cuda_obj_buffer_copy_from_host (src, (guint64) (guintptr) pattern, size, 0, stream, &error));
  cuda_obj_file_handle_write_async (handle, src, size, 0, 0, stream, NULL, write_done, &written);
  cuda_obj_file_handle_read_async (handle, dst, size, 0, 0, stream, NULL, read_done, &read);
  g_assert_true (cuda_obj_buffer_copy_to_host (dst, (guint64) (guintptr) back, size, 0, stream, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_file_handle_close (handle, &error));
  g_object_unref (dst);
  wait_for (&written);
  wait_for (&read);
  g_assert_cmpint (written.bytes, ==, (gssize) size);
  g_assert_cmpint (read.bytes, ==, (gssize) size);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_cmpmem (back, size, pattern, size);
  fixture_teardown (&f);
}

/* Async errors come to the callback: a closed handle. */
static void
test_stream_ordered_closed (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjFileHandle) handle = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  AsyncResult r = { 0 };

  if (!fixture_setup (&f))
    return;
  stream = cuda_obj_device_create_stream (f.device, &error);
  handle = cuda_obj_file_handle_new (f.path, TRUE, &error);
  g_assert_no_error (error);
  buffer = fixture_buffer (&f, 64);
  g_assert_true (cuda_obj_file_handle_close (handle, &error));
  cuda_obj_file_handle_write_async (handle, buffer, 64, 0, 0, stream, NULL, write_done, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (r.bytes, ==, -1);
  g_assert_error (r.error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED);
  g_clear_error (&r.error);
  fixture_teardown (&f);
}

/* A 1 GiB file written with write(), read by cuFile, compared with what
 * read() gives after a copy to the device and back. */
static void
test_one_gib (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjFileHandle) handle = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autofree guint8 *chunk = make_pattern ((gsize) 1 << 20, 6);
  g_autofree guint8 *from_read = NULL, *from_cufile = NULL;
  gint64 start;
  int fd;

  if (!fixture_setup (&f))
    return;
  fd = open (f.path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  for (gsize i = 0; i < BIG_SIZE >> 20; i++)
    {
      chunk[i % 4096] ^= (guint8) i; /* each MiB differs */
      g_assert_cmpint (write (fd, chunk, (gsize) 1 << 20), ==, 1 << 20);
    }
  close (fd);

  handle = cuda_obj_file_handle_new (f.path, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cuda_obj_file_handle_get_size (handle), ==, BIG_SIZE);
  buffer = fixture_buffer (&f, BIG_SIZE);
  start = g_get_monotonic_time ();
  g_assert_cmpint (cuda_obj_file_handle_read (handle, buffer, BIG_SIZE, 0, 0, &error), ==, (gssize) BIG_SIZE);
  g_assert_no_error (error);
  g_test_message ("cuFile read 1 GiB in %.3f s", (g_get_monotonic_time () - start) / 1e6);
  from_cufile = device_contents (buffer, BIG_SIZE);

  /* read() and a copy through the device, as a program without cuFile would. */
  from_read = g_malloc (BIG_SIZE);
  fd = open (f.path, O_RDONLY);
  for (gsize done = 0; done < BIG_SIZE;)
    {
      gssize n = read (fd, from_read + done, BIG_SIZE - done);
      g_assert_cmpint (n, >, 0);
      done += (gsize) n;
    }
  close (fd);
  g_assert_true (
      cuda_obj_buffer_copy_from_host (buffer, (guint64) (guintptr) from_read, BIG_SIZE, 0, NULL, &error));
  g_free (from_read);
  from_read = device_contents (buffer, BIG_SIZE);
  g_assert_true (memcmp (from_read, from_cufile, BIG_SIZE) == 0);
  fixture_teardown (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/file-handle/no-cufile", test_no_cufile);
  for (guint i = 0; i < G_N_ELEMENTS (bad_open_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/file-handle/bad-open/%s", bad_open_cases[i].name);
      g_test_add_data_func (path, &bad_open_cases[i], test_bad_open);
    }
  g_test_add_func ("/file-handle/path-and-fd", test_path_and_fd);
  g_test_add_func ("/file-handle/uninitialized", test_uninitialized);
  g_test_add_func ("/file-handle/write-then-read", test_write_then_read);
  g_test_add_func ("/file-handle/offsets", test_offsets);
  g_test_add_func ("/file-handle/errors", test_errors);
  g_test_add_func ("/file-handle/for-fd", test_for_fd);
  g_test_add_func ("/file-handle/stream-ordered", test_stream_ordered);
  g_test_add_func ("/file-handle/stream-ordered-closed", test_stream_ordered_closed);
  g_test_add_func ("/file-handle/one-gib", test_one_gib);
  return g_test_run ();
}
