/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Communicator: unique ids and their text, argument checks before any
 * library, the loader's "not found" path, and on a GPU a communicator of
 * one rank running every collective (results checked), splits, groups,
 * timeouts and the error paths; two-GPU tests skip with fewer devices. */
#include <string.h>

#include "cudaobj-test-util.h"

#define N 64

static void
assert_error_with (GError **error, GQuark domain, int code, const char *fragment)
{
  g_assert_error (*error, domain, code);
  if (fragment != NULL && strstr ((*error)->message, fragment) == NULL)
    g_error ("\"%s\" lacks \"%s\"", (*error)->message, fragment);
  g_clear_error (error);
}

/* Unique ids as text: no library needed. */

static void
test_unique_id_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  guint8 data[CUDA_OBJ_COMMUNICATOR_UNIQUE_ID_SIZE];
  g_autoptr (GBytes) id = NULL;
  g_autoptr (GBytes) back = NULL;
  g_autoptr (GBytes) padded_back = NULL;
  g_autofree char *text = NULL;
  g_autofree char *padded = NULL;

  for (guint i = 0; i < sizeof data; i++)
    data[i] = (guint8) (i * 37 + 11);
  id = g_bytes_new (data, sizeof data);
  text = cuda_obj_communicator_unique_id_to_string (id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (text), ==, 2 * sizeof data);
  g_assert_true (g_str_has_prefix (text, "0b30557a"));
  back = cuda_obj_communicator_unique_id_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (id, back));

  /* As read from a file or an environment variable, with upper case. */
  padded = g_strdup_printf ("  %s\n", text);
  for (char *p = padded; *p != '\0'; p++)
    *p = g_ascii_toupper (*p);
  padded_back = cuda_obj_communicator_unique_id_from_string (padded, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (id, padded_back));
}

typedef struct
{
  const char *name;
  const char *text; /* NULL: built by the test */
  const char *fragment;
} BadIdCase;

static void
test_unique_id_bad_text (void)
{
  g_autofree char *short_text = g_strnfill (255, 'a');
  g_autofree char *long_text = g_strnfill (257, 'a');
  g_autofree char *not_hex = g_strnfill (256, 'a');
  const BadIdCase cases[] = {
    { "empty", "", "not 0 characters" },
    { "short", short_text, "not 255 characters" },
    { "long", long_text, "not 257 characters" },
    { "not hexadecimal", not_hex, "character 201 is not one" },
  };

  not_hex[201] = 'g';
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) id = cuda_obj_communicator_unique_id_from_string (cases[i].text, &error);

      g_test_message ("case %s", cases[i].name);
      g_assert_null (id);
      assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, cases[i].fragment);
    }
}

static void
test_unique_id_wrong_size (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) id = g_bytes_new_static ("abc", 3);
  g_autofree char *text = cuda_obj_communicator_unique_id_to_string (id, &error);

  g_assert_null (text);
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "128 bytes, not 3");
}

/* Construction: arguments are checked before the device and NCCL. */

typedef struct
{
  const char *name;
  int n_ranks;
  int rank;
  gsize id_size; /* 0: no id */
  const char *fragment;
} ConstructCase;

/* clang-format off */
static const ConstructCase construct_cases[] = {
  { "no ranks",          0,  0, 128, "at least one rank, not 0" },
  { "negative ranks",   -3,  0, 128, "at least one rank, not -3" },
  { "rank too large",    2,  2, 128, "rank 2 is out of range: the communicator has ranks 0 to 1" },
  { "negative rank",     4, -1, 128, "rank -1 is out of range" },
  { "no unique id",      2,  1,   0, "unique_id must not be NULL" },
  { "short unique id",   2,  1,  16, "a unique id has 128 bytes (from cuda_obj_communicator_get_unique_id), not 16" },
  { "long unique id",    2,  1, 129, "not 129" },
  { "no device",         2,  1, 128, "device must not be NULL" },
};
/* clang-format on */

static void
test_construct_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (construct_cases); i++)
    {
      const ConstructCase *c = &construct_cases[i];
      g_autoptr (GError) error = NULL;
      g_autofree guint8 *data = g_malloc0 (MAX (c->id_size, 1));
      g_autoptr (GBytes) id = c->id_size > 0 ? g_bytes_new (data, c->id_size) : NULL;
      g_autoptr (CudaObjCommunicator) comm = NULL;

      g_test_message ("case %s", c->name);
      comm = cuda_obj_communicator_new (NULL, c->n_ranks, c->rank, id, NULL, &error);
      g_assert_null (comm);
      assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, c->fragment);
    }
}

static void
test_uninitialized (void)
{
  g_autoptr (CudaObjCommunicator) comm = g_object_new (CUDA_OBJ_TYPE_COMMUNICATOR, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CudaObjCommunicator) child = NULL;

  g_assert_true (cuda_obj_communicator_get_closed (comm));
  g_assert_cmpint (cuda_obj_communicator_get_n_ranks (comm), ==, 1);
  g_assert_null (cuda_obj_communicator_get_device (comm));
  g_assert_false (cuda_obj_communicator_all_reduce (comm, NULL, NULL, 1, CUDA_OBJ_DATA_TYPE_FLOAT32,
                                                    CUDA_OBJ_REDUCE_OP_SUM, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED,
                     "cuda_obj_communicator_all_reduce");
  child = cuda_obj_communicator_split (comm, 0, 0, &error);
  g_assert_null (child);
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED, NULL);
  g_assert_false (cuda_obj_communicator_send (comm, NULL, 1, CUDA_OBJ_DATA_TYPE_BYTE, 0, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED, NULL);
  g_assert_false (cuda_obj_communicator_close (comm, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED, NULL);
  g_assert_false (cuda_obj_communicator_abort (comm, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED, NULL);
  g_assert_false (cuda_obj_communicator_check (comm, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_INITIALIZED, NULL);
}

static void
test_group_end_without_start (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (cuda_obj_communicator_group_end (&error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "no group was started");
}

static void
test_new_all_no_devices (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) comms = cuda_obj_communicator_new_all (NULL, 0, &error);

  g_assert_null (comms);
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "at least one device");
}

/* The loader: an override that leads nowhere is NCCL "not found". */
static void
test_nccl_not_found (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) id = cuda_obj_communicator_get_unique_id (&error);

      g_assert_null (id);
      assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND,
                         "NCCL not found (set CUDA_OBJ_NCCL_LIBRARY to its path");
      /* Everything else still works: group_end without a group says so. */
      g_assert_false (cuda_obj_communicator_group_start (&error));
      assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND, NULL);
      g_assert_cmpstr (cuda_obj_data_type_get_name (CUDA_OBJ_DATA_TYPE_FLOAT32), ==, "float32");
      return;
    }
  g_setenv ("CUDA_OBJ_NCCL_LIBRARY", "/nonexistent/libnccl.so.2", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("CUDA_OBJ_NCCL_LIBRARY");
  g_test_trap_assert_passed ();
}

/* On a GPU: a communicator of one rank. */

static gboolean
skip_without_nccl (void)
{
  g_autoptr (GError) error = NULL;

  if (cuda_obj_library_load (CUDA_OBJ_LIBRARY_NCCL, &error))
    return FALSE;
  g_test_skip_printf ("no NCCL: %s", error->message);
  return TRUE;
}

static CudaObjCommunicator *
one_rank (CudaObjDevice *device)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) id = cuda_obj_communicator_get_unique_id (&error);
  CudaObjCommunicator *comm;

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (id), ==, CUDA_OBJ_COMMUNICATOR_UNIQUE_ID_SIZE);
  comm = cuda_obj_communicator_new (device, 1, 0, id, NULL, &error);
  g_assert_no_error (error);
  return comm;
}

static CudaObjBuffer *
floats_buffer (CudaObjDevice *device, guint n, float scale, CudaObjStream *stream)
{
  g_autoptr (GError) error = NULL;
  g_autofree float *values = g_new (float, n);
  g_autoptr (GBytes) bytes = NULL;
  CudaObjBuffer *buffer = cuda_obj_device_allocate (device, n * sizeof (float), stream, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    values[i] = scale * (float) (i + 1);
  bytes = g_bytes_new (values, n * sizeof (float));
  g_assert_true (cuda_obj_buffer_copy_from_bytes (buffer, bytes, 0, stream, &error));
  g_assert_no_error (error);
  return buffer;
}

static void
assert_floats (CudaObjBuffer *buffer, guint n, float scale, CudaObjStream *stream)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = cuda_obj_buffer_copy_to_bytes (buffer, 0, n * sizeof (float), stream, &error);
  const float *values;

  g_assert_no_error (error);
  g_assert_true (cuda_obj_stream_synchronize (stream, &error));
  g_assert_no_error (error);
  values = g_bytes_get_data (bytes, NULL);
  for (guint i = 0; i < n; i++)
    if (values[i] != scale * (float) (i + 1))
      g_error ("element %u is %g, expected %g", i, values[i], scale * (float) (i + 1));
}

static void
test_one_rank_properties (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjCommunicator) comm = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL || skip_without_nccl ())
    return;
  comm = one_rank (device);
  g_assert_cmpint (cuda_obj_communicator_get_rank (comm), ==, 0);
  g_assert_cmpint (cuda_obj_communicator_get_n_ranks (comm), ==, 1);
  g_assert_true (cuda_obj_communicator_get_device (comm) == device);
  g_assert_cmpuint (cuda_obj_communicator_get_timeout (comm), ==, 0);
  g_assert_false (cuda_obj_communicator_get_closed (comm));
  g_assert_true (cuda_obj_communicator_check (comm, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_communicator_close (comm, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_communicator_get_closed (comm));
  g_assert_false (cuda_obj_communicator_close (comm, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "closed");
}

typedef enum
{
  OP_ALL_REDUCE,
  OP_BROADCAST,
  OP_REDUCE,
  OP_ALL_GATHER,
  OP_REDUCE_SCATTER,
  OP_ALL_TO_ALL,
  OP_SEND_RECV,
} Op;

typedef struct
{
  const char *path;
  Op op;
  gboolean in_place;
  CudaObjReduceOp reduce_op;
} CollectiveCase;

/* clang-format off */
static const CollectiveCase collective_cases[] = {
  { "/communicator/one-rank/all-reduce/sum",              OP_ALL_REDUCE,     FALSE, CUDA_OBJ_REDUCE_OP_SUM },
  { "/communicator/one-rank/all-reduce/avg",              OP_ALL_REDUCE,     FALSE, CUDA_OBJ_REDUCE_OP_AVG },
  { "/communicator/one-rank/all-reduce/max-in-place",     OP_ALL_REDUCE,     TRUE,  CUDA_OBJ_REDUCE_OP_MAX },
  { "/communicator/one-rank/broadcast",                   OP_BROADCAST,      FALSE, 0 },
  { "/communicator/one-rank/broadcast/in-place",          OP_BROADCAST,      TRUE,  0 },
  { "/communicator/one-rank/reduce/prod",                 OP_REDUCE,         FALSE, CUDA_OBJ_REDUCE_OP_PROD },
  { "/communicator/one-rank/reduce/min-in-place",         OP_REDUCE,         TRUE,  CUDA_OBJ_REDUCE_OP_MIN },
  { "/communicator/one-rank/all-gather",                  OP_ALL_GATHER,     FALSE, 0 },
  { "/communicator/one-rank/all-gather/in-place",         OP_ALL_GATHER,     TRUE,  0 },
  { "/communicator/one-rank/reduce-scatter",              OP_REDUCE_SCATTER, FALSE, CUDA_OBJ_REDUCE_OP_SUM },
  { "/communicator/one-rank/reduce-scatter/in-place",     OP_REDUCE_SCATTER, TRUE,  CUDA_OBJ_REDUCE_OP_SUM },
  { "/communicator/one-rank/all-to-all",                  OP_ALL_TO_ALL,     FALSE, 0 },
  { "/communicator/one-rank/send-recv",                   OP_SEND_RECV,      FALSE, 0 },
};
/* clang-format on */

/* With one rank every collective copies its input: the result is the
 * input (1, 2, 3, ... times 2), whether computed in place or not. */
static void
test_one_rank_collective (gconstpointer data)
{
  const CollectiveCase *c = data;
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjCommunicator) comm = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) send = NULL;
  g_autoptr (CudaObjBuffer) recv = NULL;
  g_autoptr (GError) error = NULL;
  const CudaObjDataType f32 = CUDA_OBJ_DATA_TYPE_FLOAT32;
  CudaObjBuffer *input;
  gboolean ok = FALSE;

  if (device == NULL || skip_without_nccl ())
    return;
  comm = one_rank (device);
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  g_assert_no_error (error);
  recv = floats_buffer (device, N, c->in_place ? 2.0f : 0.0f, stream);
  send = c->in_place ? NULL : floats_buffer (device, N, 2.0f, stream);
  input = c->in_place ? NULL : send;

  switch (c->op)
    {
    case OP_ALL_REDUCE:
      ok = cuda_obj_communicator_all_reduce (comm, input, recv, N, f32, c->reduce_op, stream, &error);
      break;
    case OP_BROADCAST:
      ok = cuda_obj_communicator_broadcast (comm, input, recv, N, f32, 0, stream, &error);
      break;
    case OP_REDUCE:
      ok = cuda_obj_communicator_reduce (comm, input, recv, N, f32, c->reduce_op, 0, stream, &error);
      break;
    case OP_ALL_GATHER:
      ok = cuda_obj_communicator_all_gather (comm, input, recv, N, f32, stream, &error);
      break;
    case OP_REDUCE_SCATTER:
      ok = cuda_obj_communicator_reduce_scatter (comm, input, recv, N, f32, c->reduce_op, stream, &error);
      break;
    case OP_ALL_TO_ALL:
      ok = cuda_obj_communicator_all_to_all (comm, send, recv, N, f32, stream, &error);
      if (g_error_matches (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED))
        {
          g_test_skip (error->message);
          return;
        }
      break;
    case OP_SEND_RECV:
      /* To itself: both halves in one group, or each waits for the other. */
      ok = cuda_obj_communicator_group_start (&error);
      g_assert_no_error (error);
      ok = ok && cuda_obj_communicator_send (comm, send, N, f32, 0, stream, &error);
      ok = ok && cuda_obj_communicator_recv (comm, recv, N, f32, 0, stream, &error);
      ok = cuda_obj_communicator_group_end (error == NULL ? &error : NULL) && ok;
      break;
    }
  g_assert_no_error (error);
  g_assert_true (ok);
  assert_floats (recv, N, 2.0f, stream);
  if (send != NULL)
    assert_floats (send, N, 2.0f, stream);
  g_assert_true (cuda_obj_communicator_check (comm, &error));
  g_assert_no_error (error);
}

/* Types: reducing ones need an NCCL type; moving ones take any. */
static void
test_one_rank_data_types (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjCommunicator) comm = NULL;
  g_autoptr (CudaObjBuffer) send = NULL;
  g_autoptr (CudaObjBuffer) recv = NULL;
  g_autoptr (GBytes) in = NULL;
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GError) error = NULL;
  gint16 values[N];
  gint32 ints[N];

  if (device == NULL || skip_without_nccl ())
    return;
  comm = one_rank (device);
  send = cuda_obj_device_allocate (device, sizeof ints, NULL, &error);
  g_assert_no_error (error);
  recv = cuda_obj_device_allocate (device, sizeof ints, NULL, &error);
  g_assert_no_error (error);

  /* int32 sums. */
  for (guint i = 0; i < N; i++)
    ints[i] = -(gint32) i * 1000;
  in = g_bytes_new (ints, sizeof ints);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (send, in, 0, NULL, &error));
  g_assert_true (cuda_obj_communicator_all_reduce (comm, send, recv, N, CUDA_OBJ_DATA_TYPE_INT32,
                                                   CUDA_OBJ_REDUCE_OP_SUM, NULL, &error));
  g_assert_no_error (error);
  out = cuda_obj_buffer_copy_to_bytes (recv, 0, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (in, out));
  g_clear_pointer (&in, g_bytes_unref);
  g_clear_pointer (&out, g_bytes_unref);

  /* int16 cannot be reduced, but is broadcast as bytes. */
  g_assert_false (cuda_obj_communicator_all_reduce (comm, send, recv, N, CUDA_OBJ_DATA_TYPE_INT16,
                                                    CUDA_OBJ_REDUCE_OP_SUM, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                     "cannot reduce elements of type int16");
  g_assert_false (cuda_obj_communicator_reduce_scatter (comm, send, recv, N, CUDA_OBJ_DATA_TYPE_COMPLEX64,
                                                        CUDA_OBJ_REDUCE_OP_SUM, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED, "complex64");
  for (guint i = 0; i < N; i++)
    values[i] = (gint16) (7 * i - 100);
  in = g_bytes_new (values, sizeof values);
  g_assert_true (cuda_obj_buffer_copy_from_bytes (send, in, 0, NULL, &error));
  g_assert_true (
      cuda_obj_communicator_broadcast (comm, send, recv, N, CUDA_OBJ_DATA_TYPE_INT16, 0, NULL, &error));
  g_assert_no_error (error);
  out = cuda_obj_buffer_copy_to_bytes (recv, 0, sizeof values, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (in, out));

  /* Not types at all. */
  g_assert_false (
      cuda_obj_communicator_broadcast (comm, send, recv, N, (CudaObjDataType) 99, 0, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, NULL);
  g_assert_false (cuda_obj_communicator_all_reduce (comm, send, recv, N, CUDA_OBJ_DATA_TYPE_INT32,
                                                    (CudaObjReduceOp) 17, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "17 is not a CudaObjReduceOp");
}

/* Every check that comes before NCCL, on a live communicator. */
static void
test_one_rank_argument_errors (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjCommunicator) comm = NULL;
  g_autoptr (CudaObjBuffer) small = NULL;
  g_autoptr (CudaObjBuffer) big = NULL;
  g_autoptr (CudaObjBuffer) closed = NULL;
  g_autoptr (GError) error = NULL;
  const CudaObjDataType f32 = CUDA_OBJ_DATA_TYPE_FLOAT32;

  if (device == NULL || skip_without_nccl ())
    return;
  comm = one_rank (device);
  small = cuda_obj_device_allocate (device, 16, NULL, &error);
  big = cuda_obj_device_allocate (device, 4096, NULL, &error);
  closed = cuda_obj_device_allocate (device, 4096, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cuda_obj_buffer_close (closed, NULL, &error));

  /* Sizes: the count needs more than the buffer has. */
  g_assert_false (
      cuda_obj_communicator_all_reduce (comm, big, small, 5, f32, CUDA_OBJ_REDUCE_OP_SUM, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                     "the recv buffer has 16 bytes, but the count and data type need 20 bytes");
  g_assert_false (
      cuda_obj_communicator_all_reduce (comm, small, big, 5, f32, CUDA_OBJ_REDUCE_OP_SUM, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "the send buffer has 16 bytes");
  g_assert_false (cuda_obj_communicator_all_gather (comm, NULL, small, 8, f32, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "need 32 bytes");
  g_assert_false (cuda_obj_communicator_send (comm, small, G_MAXSIZE / 2, f32, 0, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "too large");

  /* Ranks out of range. */
  g_assert_false (cuda_obj_communicator_broadcast (comm, big, big, 1, f32, 1, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                     "root 1 is out of range: the communicator has ranks 0 to 0");
  g_assert_false (
      cuda_obj_communicator_reduce (comm, big, big, 1, f32, CUDA_OBJ_REDUCE_OP_SUM, -1, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "root -1 is out of range");
  g_assert_false (cuda_obj_communicator_recv (comm, big, 1, f32, 3, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "peer 3 is out of range");

  /* Closed and missing buffers; all-to-all in place. */
  g_assert_false (
      cuda_obj_communicator_all_reduce (comm, closed, big, 1, f32, CUDA_OBJ_REDUCE_OP_SUM, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "the send buffer is closed");
  g_assert_false (
      cuda_obj_communicator_all_reduce (comm, NULL, NULL, 1, f32, CUDA_OBJ_REDUCE_OP_SUM, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "recv must not be NULL");
  g_assert_false (cuda_obj_communicator_all_to_all (comm, big, big, 1, f32, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->code == CUDA_OBJ_ERROR_INVALID_ARGUMENT
                 || error->code == CUDA_OBJ_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* Still usable after all that. */
  g_assert_true (
      cuda_obj_communicator_all_reduce (comm, NULL, big, 4, f32, CUDA_OBJ_REDUCE_OP_SUM, NULL, &error));
  g_assert_no_error (error);
}

static CudaObjStridedView *
view_of (CudaObjBuffer *buffer, CudaObjDataType data_type, gint64 n, gint64 stride)
{
  g_autoptr (GError) error = NULL;
  CudaObjStridedView *view = cuda_obj_strided_view_new (buffer, data_type, &n, 1, &stride, 1, 0, &error);

  g_assert_no_error (error);
  return view;
}

/* Views: the count and type come from them; every collective once. */
static void
test_one_rank_views (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjCommunicator) comm = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) send = NULL;
  g_autoptr (CudaObjBuffer) recv = NULL;
  g_autoptr (CudaObjStridedView) send_view = NULL;
  g_autoptr (CudaObjStridedView) recv_view = NULL;
  g_autoptr (GError) error = NULL;
  const CudaObjDataType f32 = CUDA_OBJ_DATA_TYPE_FLOAT32;

  if (device == NULL || skip_without_nccl ())
    return;
  comm = one_rank (device);
  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  g_assert_no_error (error);
  send = floats_buffer (device, N, 5.0f, stream);
  recv = floats_buffer (device, N, 0.0f, stream);
  send_view = view_of (send, f32, N, 1);
  recv_view = view_of (recv, f32, N, 1);

  g_assert_true (cuda_obj_communicator_all_reduce_view (comm, send_view, recv_view, CUDA_OBJ_REDUCE_OP_SUM,
                                                        stream, &error));
  g_assert_no_error (error);
  assert_floats (recv, N, 5.0f, stream);
  g_assert_true (cuda_obj_buffer_fill (recv, 0, 4, 0, N, stream, &error));
  g_assert_true (cuda_obj_communicator_broadcast_view (comm, send_view, recv_view, 0, stream, &error));
  g_assert_no_error (error);
  assert_floats (recv, N, 5.0f, stream);
  g_assert_true (cuda_obj_buffer_fill (recv, 0, 4, 0, N, stream, &error));
  g_assert_true (cuda_obj_communicator_reduce_view (comm, send_view, recv_view, CUDA_OBJ_REDUCE_OP_MAX, 0,
                                                    stream, &error));
  g_assert_no_error (error);
  assert_floats (recv, N, 5.0f, stream);
  g_assert_true (cuda_obj_buffer_fill (recv, 0, 4, 0, N, stream, &error));
  g_assert_true (cuda_obj_communicator_all_gather_view (comm, send_view, recv_view, stream, &error));
  g_assert_no_error (error);
  assert_floats (recv, N, 5.0f, stream);
  g_assert_true (cuda_obj_buffer_fill (recv, 0, 4, 0, N, stream, &error));
  g_assert_true (cuda_obj_communicator_reduce_scatter_view (comm, send_view, recv_view,
                                                            CUDA_OBJ_REDUCE_OP_SUM, stream, &error));
  g_assert_no_error (error);
  assert_floats (recv, N, 5.0f, stream);
  g_assert_true (cuda_obj_buffer_fill (recv, 0, 4, 0, N, stream, &error));
  g_assert_true (cuda_obj_communicator_group_start (&error));
  g_assert_true (cuda_obj_communicator_send_view (comm, send_view, 0, stream, &error));
  g_assert_true (cuda_obj_communicator_recv_view (comm, recv_view, 0, stream, &error));
  g_assert_true (cuda_obj_communicator_group_end (&error));
  g_assert_no_error (error);
  assert_floats (recv, N, 5.0f, stream);
  g_assert_true (cuda_obj_buffer_fill (recv, 0, 4, 0, N, stream, &error));
  if (cuda_obj_communicator_all_to_all_view (comm, send_view, recv_view, stream, &error))
    assert_floats (recv, N, 5.0f, stream);
  else
    assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED, "ncclAlltoAll");
}

static void
test_one_rank_view_errors (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjCommunicator) comm = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjStridedView) floats = NULL;
  g_autoptr (CudaObjStridedView) ints = NULL;
  g_autoptr (CudaObjStridedView) half = NULL;
  g_autoptr (CudaObjStridedView) odd = NULL;
  g_autoptr (CudaObjStridedView) strided = NULL;
  g_autoptr (CudaObjStridedView) read_only = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL || skip_without_nccl ())
    return;
  comm = one_rank (device);
  buffer = cuda_obj_device_allocate (device, N * sizeof (float), NULL, &error);
  g_assert_no_error (error);
  floats = view_of (buffer, CUDA_OBJ_DATA_TYPE_FLOAT32, N, 1);
  ints = view_of (buffer, CUDA_OBJ_DATA_TYPE_INT32, N, 1);
  half = view_of (buffer, CUDA_OBJ_DATA_TYPE_FLOAT32, N / 2, 1);
  odd = view_of (buffer, CUDA_OBJ_DATA_TYPE_FLOAT32, 3, 1);
  strided = view_of (buffer, CUDA_OBJ_DATA_TYPE_FLOAT32, N / 2, 2);
  read_only = cuda_obj_strided_view_as_read_only (floats);

  g_assert_false (
      cuda_obj_communicator_all_reduce_view (comm, ints, floats, CUDA_OBJ_REDUCE_OP_SUM, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                     "the send view holds int32 and the recv view float32: they must hold the same type");
  g_assert_false (
      cuda_obj_communicator_all_reduce_view (comm, half, floats, CUDA_OBJ_REDUCE_OP_SUM, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                     "the send view has 32 elements, but 64 were expected");
  g_assert_false (cuda_obj_communicator_broadcast_view (comm, NULL, strided, 0, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                     "the recv view is not contiguous");
  g_assert_false (cuda_obj_communicator_recv_view (comm, read_only, 0, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "the view is read-only");
  g_assert_false (cuda_obj_communicator_send_view (comm, NULL, 0, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "view must not be NULL");
  g_assert_false (cuda_obj_communicator_all_to_all_view (comm, odd, floats, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                     "the send view has 3 elements, but 64 were expected");
  g_assert_true (cuda_obj_buffer_close (buffer, NULL, &error));
  g_assert_false (cuda_obj_communicator_all_gather_view (comm, NULL, floats, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, NULL);
}

static void
test_one_rank_closed_and_aborted (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjCommunicator) comm = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL || skip_without_nccl ())
    return;
  buffer = cuda_obj_device_allocate (device, 64, NULL, &error);
  g_assert_no_error (error);

  comm = one_rank (device);
  g_assert_true (cuda_obj_communicator_abort (comm, &error));
  g_assert_no_error (error);
  g_assert_true (cuda_obj_communicator_get_closed (comm));
  g_assert_false (cuda_obj_communicator_all_reduce (comm, NULL, buffer, 1, CUDA_OBJ_DATA_TYPE_FLOAT32,
                                                    CUDA_OBJ_REDUCE_OP_SUM, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "the communicator is aborted");
  g_assert_false (cuda_obj_communicator_abort (comm, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "already aborted");
  g_clear_object (&comm);

  comm = one_rank (device);
  g_assert_true (cuda_obj_communicator_all_reduce (comm, NULL, buffer, 16, CUDA_OBJ_DATA_TYPE_FLOAT32,
                                                   CUDA_OBJ_REDUCE_OP_SUM, NULL, &error));
  g_assert_true (cuda_obj_communicator_close (comm, &error));
  g_assert_no_error (error);
  g_assert_false (
      cuda_obj_communicator_broadcast (comm, NULL, buffer, 1, CUDA_OBJ_DATA_TYPE_FLOAT32, 0, NULL, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "the communicator is closed");
}

static void
test_one_rank_split (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (CudaObjCommunicator) comm = NULL;
  g_autoptr (CudaObjCommunicator) child = NULL;
  g_autoptr (CudaObjCommunicator) none = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (CudaObjBuffer) recv = NULL;
  g_autoptr (CudaObjBuffer) send = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL || skip_without_nccl ())
    return;
  comm = one_rank (device);
  child = cuda_obj_communicator_split (comm, 5, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (child);
  g_assert_cmpint (cuda_obj_communicator_get_rank (child), ==, 0);
  g_assert_cmpint (cuda_obj_communicator_get_n_ranks (child), ==, 1);
  g_assert_true (cuda_obj_communicator_get_device (child) == device);

  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  g_assert_no_error (error);
  send = floats_buffer (device, N, 3.0f, stream);
  recv = floats_buffer (device, N, 0.0f, stream);
  g_assert_true (cuda_obj_communicator_all_reduce (child, send, recv, N, CUDA_OBJ_DATA_TYPE_FLOAT32,
                                                   CUDA_OBJ_REDUCE_OP_SUM, stream, &error));
  g_assert_no_error (error);
  assert_floats (recv, N, 3.0f, stream);

  /* A negative color joins no communicator: NULL, no error. */
  none = cuda_obj_communicator_split (comm, -1, 0, &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

static void
test_one_rank_new_all (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (GPtrArray) comms = NULL;
  g_autoptr (CudaObjBuffer) buffer = NULL;
  g_autoptr (CudaObjStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  CudaObjDevice *devices[1];
  CudaObjCommunicator *comm;
  GBytes *id = NULL;

  if (device == NULL || skip_without_nccl ())
    return;
  devices[0] = device;
  comms = cuda_obj_communicator_new_all (devices, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (comms->len, ==, 1);
  comm = comms->pdata[0];
  g_assert_cmpint (cuda_obj_communicator_get_rank (comm), ==, 0);
  g_assert_cmpint (cuda_obj_communicator_get_n_ranks (comm), ==, 1);
  g_object_get (comm, "unique-id", &id, NULL);
  g_assert_null (id);

  stream = cuda_obj_stream_new (device, TRUE, 0, &error);
  g_assert_no_error (error);
  buffer = floats_buffer (device, N, 4.0f, stream);
  g_assert_true (cuda_obj_communicator_all_reduce (comm, NULL, buffer, N, CUDA_OBJ_DATA_TYPE_FLOAT32,
                                                   CUDA_OBJ_REDUCE_OP_SUM, stream, &error));
  g_assert_no_error (error);
  assert_floats (buffer, N, 4.0f, stream);
}

static void
test_one_rank_cancelled (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GBytes) id = NULL;
  g_autoptr (CudaObjCommunicator) comm = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL || skip_without_nccl ())
    return;
  id = cuda_obj_communicator_get_unique_id (&error);
  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  comm = cuda_obj_communicator_new (device, 1, 0, id, cancellable, &error);
  g_assert_null (comm);
  assert_error_with (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, NULL);
}

/* Rank 0 of two, whose partner never comes: the timeout ends the wait. */
static void
test_timeout (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  g_autoptr (GBytes) id = NULL;
  g_autoptr (CudaObjCommunicator) comm = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start;

  if (device == NULL || skip_without_nccl ())
    return;
  id = cuda_obj_communicator_get_unique_id (&error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  comm = g_initable_new (CUDA_OBJ_TYPE_COMMUNICATOR, NULL, &error, "device", device, "n-ranks", 2, "rank", 0,
                         "unique-id", id, "timeout", 1000, NULL);
  g_assert_null (comm);
  assert_error_with (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "did not finish within 1000 ms");
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1000 * 1000);
}

/* A unique id that no rank made (all zero bytes): NCCL refuses it, or
 * nobody answers within the timeout. */
static void
test_bad_unique_id (void)
{
  g_autoptr (CudaObjDevice) device = cudaobj_test_device_or_skip ();
  guint8 zeros[CUDA_OBJ_COMMUNICATOR_UNIQUE_ID_SIZE] = { 0 };
  g_autoptr (GBytes) id = g_bytes_new (zeros, sizeof zeros);
  g_autoptr (CudaObjCommunicator) comm = NULL;
  g_autoptr (GError) error = NULL;

  if (device == NULL || skip_without_nccl ())
    return;
  comm = g_initable_new (CUDA_OBJ_TYPE_COMMUNICATOR, NULL, &error, "device", device, "n-ranks", 2, "rank", 1,
                         "unique-id", id, "timeout", 3000, NULL);
  g_assert_null (comm);
  g_assert_nonnull (error);
  g_test_message ("bad unique id: %s", error->message);
  g_assert_true (error->domain == CUDA_OBJ_ERROR
                 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
}

/* Two GPUs in this process. */

static gboolean
two_devices_or_skip (CudaObjDevice **devices)
{
  g_autoptr (GError) error = NULL;
  const char *reason = NULL;

  if (!cudaobj_test_have_gpu (&reason))
    {
      g_test_skip (reason);
      return FALSE;
    }
  if (cuda_obj_device_get_count (&error) < 2)
    {
      g_test_skip ("needs two GPUs; this machine has fewer");
      return FALSE;
    }
  if (skip_without_nccl ())
    return FALSE;
  for (guint i = 0; i < 2; i++)
    {
      devices[i] = cuda_obj_device_get (i, &error);
      g_assert_no_error (error);
    }
  return TRUE;
}

static void
test_two_gpus_all_reduce (void)
{
  CudaObjDevice *devices[2] = { NULL, NULL };
  g_autoptr (GPtrArray) comms = NULL;
  g_autoptr (CudaObjStream) stream0 = NULL;
  g_autoptr (CudaObjStream) stream1 = NULL;
  g_autoptr (CudaObjBuffer) buffer0 = NULL;
  g_autoptr (CudaObjBuffer) buffer1 = NULL;
  g_autoptr (GError) error = NULL;

  if (!two_devices_or_skip (devices))
    return;
  comms = cuda_obj_communicator_new_all (devices, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cuda_obj_communicator_get_rank (comms->pdata[1]), ==, 1);
  g_assert_cmpint (cuda_obj_communicator_get_n_ranks (comms->pdata[1]), ==, 2);
  stream0 = cuda_obj_stream_new (devices[0], TRUE, 0, &error);
  stream1 = cuda_obj_stream_new (devices[1], TRUE, 0, &error);
  g_assert_no_error (error);
  buffer0 = floats_buffer (devices[0], N, 1.0f, stream0);
  buffer1 = floats_buffer (devices[1], N, 2.0f, stream1);

  /* The wrong device's buffer and stream. */
  g_assert_false (cuda_obj_communicator_all_reduce (comms->pdata[0], NULL, buffer1, N,
                                                    CUDA_OBJ_DATA_TYPE_FLOAT32, CUDA_OBJ_REDUCE_OP_SUM,
                                                    stream0, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "not memory of device 0");
  g_assert_false (cuda_obj_communicator_all_reduce (comms->pdata[0], NULL, buffer0, N,
                                                    CUDA_OBJ_DATA_TYPE_FLOAT32, CUDA_OBJ_REDUCE_OP_SUM,
                                                    stream1, &error));
  assert_error_with (&error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                     "the stream is not one of device 0");

  g_assert_true (cuda_obj_communicator_group_start (&error));
  g_assert_true (cuda_obj_communicator_all_reduce (comms->pdata[0], NULL, buffer0, N,
                                                   CUDA_OBJ_DATA_TYPE_FLOAT32, CUDA_OBJ_REDUCE_OP_SUM,
                                                   stream0, &error));
  g_assert_true (cuda_obj_communicator_all_reduce (comms->pdata[1], NULL, buffer1, N,
                                                   CUDA_OBJ_DATA_TYPE_FLOAT32, CUDA_OBJ_REDUCE_OP_SUM,
                                                   stream1, &error));
  g_assert_true (cuda_obj_communicator_group_end (&error));
  g_assert_no_error (error);
  assert_floats (buffer0, N, 3.0f, stream0);
  assert_floats (buffer1, N, 3.0f, stream1);
  for (guint i = 0; i < 2; i++)
    g_object_unref (devices[i]);
}

int
main (int argc, char **argv)
{
  /* NVLink multicast stays off on the machines these tests run on. */
  g_setenv ("NCCL_NVLS_ENABLE", "0", FALSE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/communicator/unique-id/round-trip", test_unique_id_round_trip);
  g_test_add_func ("/communicator/unique-id/bad-text", test_unique_id_bad_text);
  g_test_add_func ("/communicator/unique-id/wrong-size", test_unique_id_wrong_size);
  g_test_add_func ("/communicator/construct/errors", test_construct_errors);
  g_test_add_func ("/communicator/uninitialized", test_uninitialized);
  g_test_add_func ("/communicator/group/end-without-start", test_group_end_without_start);
  g_test_add_func ("/communicator/new-all/no-devices", test_new_all_no_devices);
  g_test_add_func ("/communicator/loader/not-found", test_nccl_not_found);
  g_test_add_func ("/communicator/one-rank/properties", test_one_rank_properties);
  for (guint i = 0; i < G_N_ELEMENTS (collective_cases); i++)
    g_test_add_data_func (collective_cases[i].path, &collective_cases[i], test_one_rank_collective);
  g_test_add_func ("/communicator/one-rank/data-types", test_one_rank_data_types);
  g_test_add_func ("/communicator/one-rank/argument-errors", test_one_rank_argument_errors);
  g_test_add_func ("/communicator/one-rank/views", test_one_rank_views);
  g_test_add_func ("/communicator/one-rank/view-errors", test_one_rank_view_errors);
  g_test_add_func ("/communicator/one-rank/closed-and-aborted", test_one_rank_closed_and_aborted);
  g_test_add_func ("/communicator/one-rank/split", test_one_rank_split);
  g_test_add_func ("/communicator/one-rank/new-all", test_one_rank_new_all);
  g_test_add_func ("/communicator/one-rank/cancelled", test_one_rank_cancelled);
  g_test_add_func ("/communicator/timeout", test_timeout);
  g_test_add_func ("/communicator/bad-unique-id", test_bad_unique_id);
  g_test_add_func ("/communicator/two-gpus/all-reduce", test_two_gpus_all_reduce);
  return g_test_run ();
}
