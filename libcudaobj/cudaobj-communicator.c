/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: an NCCL communicator, for collectives across GPUs and hosts.
 *
 * A Communicator owns one ncclComm_t. Communicators made from a unique id
 * (and by split) are non-blocking NCCL communicators, so that their setup,
 * which waits for every rank, can be cancelled and timed out: NCCL returns
 * ncclInProgress and ncclCommGetAsyncError is polled until it is done.
 *
 * Errors that NCCL finds while work runs (a peer that died, a network
 * error) are asynchronous: after each enqueue an event is recorded, and a
 * cheap GSource in the construction's main context polls
 * ncclCommGetAsyncError until that event completed. An error becomes the
 * GError of every later call and is emitted once as the "error" signal.
 *
 * Example: an all-reduce of one rank per process, where rank 0 makes the
 * unique id and hands it to the others (a file, an environment variable,
 * MPI, ...):
 *
 * |[<!-- language="C" -->
 * g_autoptr (GBytes) id = cuda_obj_communicator_get_unique_id (&error);
 * g_autofree char *text = cuda_obj_communicator_unique_id_to_string (id, &error);
 * // ... publish text; the other ranks call unique_id_from_string (text)
 * g_autoptr (CudaObjCommunicator) comm =
 *   cuda_obj_communicator_new (device, n_ranks, rank, id, NULL, &error);
 * cuda_obj_communicator_all_reduce (comm, NULL, buffer, n, CUDA_OBJ_DATA_TYPE_FLOAT32,
 *                                   CUDA_OBJ_REDUCE_OP_SUM, stream, &error);
 * ]|
 */
#include "config.h"

#include <string.h>

#include "cudaobj-communicator.h"
#include "cudaobj-data-type-private.h"
#include "cudaobj-device-private.h"
#include "cudaobj-error-private.h"
#include "cudaobj-loader-private.h"
#include "cudaobj-stream-private.h"
#include "cudaobj-strided-view-private.h"

/* How often the watcher asks NCCL for asynchronous errors while work is
 * outstanding, and how long a wait for ncclInProgress sleeps between asks. */
#define WATCH_INTERVAL_MS 50
#define POLL_SLEEP_US 200

G_STATIC_ASSERT (CUDA_OBJ_COMMUNICATOR_UNIQUE_ID_SIZE == NCCL_UNIQUE_ID_BYTES);
G_STATIC_ASSERT (sizeof (ncclUniqueId) == NCCL_UNIQUE_ID_BYTES);

struct _CudaObjCommunicator
{
  GObject parent_instance;

  CudaObjDevice *device; /* owned */
  int n_ranks;
  int rank;
  GBytes *unique_id; /* owned, construct-only; NULL for new_all and split */
  guint timeout;     /* milliseconds; 0 waits as long as it takes */

  ncclComm_t comm; /* NULL until initialized, and once closed or aborted */
  gboolean initialized;
  gboolean closed;
  GMainContext *context; /* thread-default at construction; the signal's */

  GMutex lock;         /* guards what follows */
  GError *async_error; /* the first asynchronous error, kept for every later call */
  CUevent last_work;   /* recorded after each enqueue; created on first use */
  GSource *watch;      /* while work is outstanding */
};

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_N_RANKS,
  PROP_RANK,
  PROP_UNIQUE_ID,
  PROP_TIMEOUT,
  PROP_CLOSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void cuda_obj_communicator_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjCommunicator:
 *
 * An NCCL communicator: a group of ranks, one GPU each, in one process or
 * in many, on one host or many, that run collectives (all-reduce,
 * broadcast, reduce, all-gather, reduce-scatter, all-to-all) and
 * point-to-point transfers on [class@CudaObj.Buffer]s, enqueued on
 * [class@CudaObj.Stream]s.
 *
 * With one process per GPU, one rank makes a unique id with
 * [func@CudaObj.Communicator.get_unique_id], hands it to the others by any
 * channel (a file, an environment variable, D-Bus, MPI, a socket; the
 * string of [func@CudaObj.Communicator.unique_id_to_string] travels
 * anywhere), and every rank calls [ctor@CudaObj.Communicator.new] with it.
 * One process driving several GPUs calls
 * [func@CudaObj.Communicator.new_all] instead. The "Scaling out" guide shows
 * both.
 *
 * Construction waits for every rank; [property@CudaObj.Communicator:timeout]
 * and a [class@Gio.Cancellable] bound that wait (construction is
 * fallible: [iface@Gio.Initable]). Collectives run asynchronously on their
 * stream; errors NCCL finds while they run become the error of the next
 * call and the [signal@CudaObj.Communicator::error] signal. A communicator
 * with such an error must be aborted ([method@CudaObj.Communicator.abort]).
 * [method@CudaObj.Communicator.close] waits for outstanding work and frees
 * the communicator; dropping the last reference does the same.
 *
 * Element types: reducing collectives need a type NCCL reduces (8-bit
 * integers, bool and bytes as unsigned bytes, 32- and 64-bit integers,
 * 16-, 32- and 64-bit floats, bfloat16); the others move elements of any
 * [enum@CudaObj.DataType] as bytes.
 *
 * In place: passing %NULL for the send buffer makes a collective work in
 * the receive buffer, the way NCCL defines in-place operation (for
 * all-gather the rank's input is its slot of the receive buffer; for
 * reduce-scatter the receive buffer holds every slot and the result lands
 * in the rank's own).
 *
 * Keep NVLink multicast off where the platform lacks it by setting
 * `NCCL_NVLS_ENABLE=0` in the environment before the first communicator.
 *
 * Threads: a communicator may be used from any thread, but NCCL requires
 * that the ranks of one process enqueue collectives in the same order, and
 * several ranks driven by one thread must be grouped
 * ([func@CudaObj.Communicator.group_start]).
 *
 * A communicator made with a plain constructor and never initialized
 * reports %CUDA_OBJ_ERROR_NOT_INITIALIZED from every method.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjCommunicator, cuda_obj_communicator, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_communicator_initable_iface_init))

/* Errors. */

static gboolean
set_nccl_error (const CudaObjNccl *nccl, ncclComm_t comm, ncclResult_t result, const char *call,
                GError **error)
{
  const char *detail = comm != NULL ? nccl->ncclGetLastError (comm) : nccl->ncclGetLastError (NULL);
  int code = result == ncclInvalidArgument || result == ncclInvalidUsage ? CUDA_OBJ_ERROR_INVALID_ARGUMENT
                                                                         : CUDA_OBJ_ERROR_FAILED;

  g_set_error (error, CUDA_OBJ_ERROR, code, "%s: %s%s%s", call, nccl->ncclGetErrorString (result),
               detail != NULL && *detail != '\0' ? ": " : "", detail != NULL ? detail : "");
  return FALSE;
}

static inline gboolean
nccl_check (const CudaObjNccl *nccl, ncclComm_t comm, ncclResult_t result, const char *call, GError **error)
{
  if (G_LIKELY (result == ncclSuccess))
    return TRUE;
  return set_nccl_error (nccl, comm, result, call, error);
}

/* Waits until @comm is no longer ncclInProgress (a non-blocking
 * communicator's setup or enqueue), honouring @cancellable and
 * @timeout_ms (0: none). */
static gboolean
wait_ready (const CudaObjNccl *nccl, ncclComm_t comm, GCancellable *cancellable, guint timeout_ms,
            const char *call, GError **error)
{
  gint64 deadline = timeout_ms > 0 ? g_get_monotonic_time () + (gint64) timeout_ms * 1000 : 0;

  for (;;)
    {
      ncclResult_t state = ncclSuccess;

      if (!nccl_check (nccl, comm, nccl->ncclCommGetAsyncError (comm, &state), "ncclCommGetAsyncError",
                       error))
        return FALSE;
      if (state == ncclSuccess)
        return TRUE;
      if (state != ncclInProgress)
        return set_nccl_error (nccl, comm, state, call, error);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (deadline != 0 && g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "%s did not finish within %u ms: a rank may be missing, or the unique id differs "
                       "between ranks",
                       call, timeout_ms);
          return FALSE;
        }
      g_usleep (POLL_SLEEP_US);
    }
}

/* The asynchronous error, the signal and the watcher. */

typedef struct
{
  CudaObjCommunicator *self; /* owned */
  GError *error;             /* owned */
} Emission;

static gboolean
emit_error (gpointer data)
{
  Emission *emission = data;

  g_signal_emit (emission->self, signals[SIGNAL_ERROR], 0, emission->error);
  return G_SOURCE_REMOVE;
}

static void
emission_free (gpointer data)
{
  Emission *emission = data;

  g_object_unref (emission->self);
  g_error_free (emission->error);
  g_free (emission);
}

/* Keeps the first asynchronous error and emits it once in the main context.
 * Called with the lock held. */
static void
record_async_error_locked (CudaObjCommunicator *self, const CudaObjNccl *nccl, ncclResult_t result)
{
  Emission *emission;
  GSource *idle;

  if (self->async_error != NULL)
    return;
  set_nccl_error (nccl, self->comm, result, "NCCL (asynchronous error; abort the communicator)",
                  &self->async_error);
  emission = g_new0 (Emission, 1);
  emission->self = g_object_ref (self);
  emission->error = g_error_copy (self->async_error);
  idle = g_idle_source_new ();
  g_source_set_callback (idle, emit_error, emission, emission_free);
  g_source_set_static_name (idle, "[cudaobj] Communicator::error");
  g_source_attach (idle, self->context);
  g_source_unref (idle);
}

static gboolean
watch_tick (gpointer data)
{
  g_autoptr (CudaObjCommunicator) self = g_weak_ref_get (data);
  const CudaObjNccl *nccl = cuda_obj_nccl_get (NULL);
  g_autoptr (GMutexLocker) locker = NULL;
  ncclResult_t state = ncclSuccess;
  const CudaObjDriver *drv = cuda_obj_driver_peek ();

  if (self == NULL)
    return G_SOURCE_REMOVE;
  locker = g_mutex_locker_new (&self->lock);
  if (self->comm == NULL || self->watch == NULL)
    return G_SOURCE_REMOVE;
  if (nccl->ncclCommGetAsyncError (self->comm, &state) != ncclSuccess)
    state = ncclSystemError;
  if (state != ncclSuccess && state != ncclInProgress)
    record_async_error_locked (self, nccl, state);
  /* Stop once the work enqueued so far finished (or cannot be asked). */
  else if (drv->cuEventQuery (self->last_work) == CUDA_ERROR_NOT_READY)
    return G_SOURCE_CONTINUE;
  g_source_unref (self->watch);
  self->watch = NULL;
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* After an enqueue on @stream (the device's context current): marks the
 * work with the event and makes sure the watcher runs. */
static gboolean
note_work (CudaObjCommunicator *self, CUstream stream, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GWeakRef *weak;

  if (self->last_work == NULL
      && !cuda_obj_check (drv->cuEventCreate (&self->last_work, CU_EVENT_DISABLE_TIMING), "cuEventCreate",
                          error))
    return FALSE;
  if (!cuda_obj_check (drv->cuEventRecord (self->last_work, stream), "cuEventRecord", error))
    return FALSE;
  if (self->watch != NULL)
    return TRUE;
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  self->watch = g_timeout_source_new (WATCH_INTERVAL_MS);
  g_source_set_callback (self->watch, watch_tick, weak, weak_ref_free);
  g_source_set_static_name (self->watch, "[cudaobj] Communicator watcher");
  g_source_attach (self->watch, self->context);
  return TRUE;
}

/* Stops the watcher; called before the communicator goes away. */
static void
stop_watch (CudaObjCommunicator *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
}

/* Groups: calls between group_start and group_end are enqueued at
 * group_end, so their work is noted there. One list per thread, as NCCL's
 * group state is per thread. */

typedef struct
{
  CudaObjCommunicator *comm; /* owned */
  CudaObjStream *stream;     /* owned, nullable: the legacy default stream */
} GroupedCall;

typedef struct
{
  int depth;
  GArray *calls; /* GroupedCall */
} GroupState;

static void
grouped_call_clear (gpointer data)
{
  GroupedCall *call = data;

  g_clear_object (&call->comm);
  g_clear_object (&call->stream);
}

static void
group_state_free (gpointer data)
{
  GroupState *state = data;

  g_clear_pointer (&state->calls, g_array_unref);
  g_free (state);
}

static GPrivate group_private = G_PRIVATE_INIT (group_state_free);

static GroupState *
group_state (void)
{
  GroupState *state = g_private_get (&group_private);

  if (state == NULL)
    {
      state = g_new0 (GroupState, 1);
      state->calls = g_array_new (FALSE, TRUE, sizeof (GroupedCall));
      g_array_set_clear_func (state->calls, grouped_call_clear);
      g_private_set (&group_private, state);
    }
  return state;
}

/* Checks shared by every method. */

static gboolean
check_usable (CudaObjCommunicator *self, const char *func, const CudaObjNccl **nccl, GError **error)
{
  ncclResult_t state = ncclSuccess;

  if (G_UNLIKELY (!self->initialized))
    return cuda_obj_set_not_initialized (error, self, func);
  if (G_UNLIKELY (self->comm == NULL))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "%s: the communicator is %s", func,
                   self->closed ? "closed" : "aborted");
      return FALSE;
    }
  *nccl = cuda_obj_nccl_get (error);
  g_mutex_lock (&self->lock);
  /* Cheap (an atomic read in NCCL): errors show on the very next call. */
  if (self->async_error == NULL && (*nccl)->ncclCommGetAsyncError (self->comm, &state) == ncclSuccess
      && state != ncclSuccess && state != ncclInProgress)
    record_async_error_locked (self, *nccl, state);
  if (self->async_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->async_error));
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
check_rank (CudaObjCommunicator *self, const char *func, const char *what, int value, GError **error)
{
  if (value >= 0 && value < self->n_ranks)
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
               "%s: %s %d is out of range: the communicator has ranks 0 to %d", func, what, value,
               self->n_ranks - 1);
  return FALSE;
}

/* The NCCL type that @data_type maps to; for data movement (@reducing
 * FALSE) a type NCCL lacks travels as bytes, multiplying @count. */
static gboolean
map_data_type (const char *func, CudaObjDataType data_type, gboolean reducing, ncclDataType_t *nccl_type,
               gsize *count, GError **error)
{
  if (!cuda_obj_data_type_check (data_type, error))
    return FALSE;
  switch (data_type)
    {
    case CUDA_OBJ_DATA_TYPE_BYTE:
    case CUDA_OBJ_DATA_TYPE_BOOL:
    case CUDA_OBJ_DATA_TYPE_UINT8: *nccl_type = ncclUint8; return TRUE;
    case CUDA_OBJ_DATA_TYPE_INT8: *nccl_type = ncclInt8; return TRUE;
    case CUDA_OBJ_DATA_TYPE_INT32: *nccl_type = ncclInt32; return TRUE;
    case CUDA_OBJ_DATA_TYPE_UINT32: *nccl_type = ncclUint32; return TRUE;
    case CUDA_OBJ_DATA_TYPE_INT64: *nccl_type = ncclInt64; return TRUE;
    case CUDA_OBJ_DATA_TYPE_UINT64: *nccl_type = ncclUint64; return TRUE;
    case CUDA_OBJ_DATA_TYPE_FLOAT16: *nccl_type = ncclFloat16; return TRUE;
    case CUDA_OBJ_DATA_TYPE_BFLOAT16: *nccl_type = ncclBfloat16; return TRUE;
    case CUDA_OBJ_DATA_TYPE_FLOAT32: *nccl_type = ncclFloat32; return TRUE;
    case CUDA_OBJ_DATA_TYPE_FLOAT64: *nccl_type = ncclFloat64; return TRUE;
    default: break;
    }
  if (reducing)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "%s: NCCL cannot reduce elements of type %s (it reduces 8-, 32- and 64-bit integers and "
                   "16-, 32- and 64-bit floats)",
                   func, cuda_obj_data_type_get_name (data_type));
      return FALSE;
    }
  if (!g_size_checked_mul (count, *count, cuda_obj_data_type_get_item_size (data_type)))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "%s: the count is too large",
                   func);
      return FALSE;
    }
  *nccl_type = ncclUint8;
  return TRUE;
}

static gboolean
map_op (const char *func, CudaObjReduceOp op, ncclRedOp_t *nccl_op, GError **error)
{
  static const ncclRedOp_t ops[] = {
    [CUDA_OBJ_REDUCE_OP_SUM] = ncclSum, [CUDA_OBJ_REDUCE_OP_PROD] = ncclProd,
    [CUDA_OBJ_REDUCE_OP_MAX] = ncclMax, [CUDA_OBJ_REDUCE_OP_MIN] = ncclMin,
    [CUDA_OBJ_REDUCE_OP_AVG] = ncclAvg,
  };

  if ((guint) op >= G_N_ELEMENTS (ops))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "%s: %d is not a CudaObjReduceOp",
                   func, op);
      return FALSE;
    }
  *nccl_op = ops[op];
  return TRUE;
}

/* A send or receive argument: a buffer, or a contiguous view, checked and
 * reduced to an address and the bytes usable from it. */
typedef struct
{
  char label[32]; /* "send buffer", "recv view", ... for messages */
  guint64 address;
  gsize size;
} Operand;

static void
operand_label (Operand *operand, const char *which, const char *kind)
{
  if (g_str_equal (which, kind))
    g_strlcpy (operand->label, kind, sizeof operand->label);
  else
    g_snprintf (operand->label, sizeof operand->label, "%s %s", which, kind);
}

static gboolean
check_device (CudaObjCommunicator *self, const char *func, const Operand *operand, CudaObjDevice *device,
              gboolean device_accessible, GError **error)
{
  if (device_accessible && (device == NULL || device == self->device))
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
               "%s: the %s is not memory of device %u, the communicator's", func, operand->label,
               cuda_obj_device_get_ordinal (self->device));
  return FALSE;
}

static gboolean
operand_from_buffer (CudaObjCommunicator *self, const char *func, const char *which, CudaObjBuffer *buffer,
                     Operand *operand, GError **error)
{
  if (buffer == NULL)
    return cuda_obj_set_null_argument (error, func, which);
  operand_label (operand, which, "buffer");
  if (cuda_obj_buffer_get_closed (buffer))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED,
                   "%s: the %s is closed (or was never initialized)", func, operand->label);
      return FALSE;
    }
  if (!check_device (self, func, operand, cuda_obj_buffer_get_device (buffer),
                     cuda_obj_buffer_get_is_device_accessible (buffer), error))
    return FALSE;
  operand->address = cuda_obj_buffer_get_handle (buffer);
  operand->size = cuda_obj_buffer_get_size (buffer);
  return TRUE;
}

/* Collectives take a view's elements as one run of memory: it must be
 * contiguous, and writable where results go. */
static gboolean
operand_from_view (CudaObjCommunicator *self, const char *func, const char *which, CudaObjStridedView *view,
                   gboolean written, Operand *operand, GError **error)
{
  if (view == NULL)
    return cuda_obj_set_null_argument (error, func, which);
  operand_label (operand, which, "view");
  if (!cuda_obj_strided_view_peek_data (view, &operand->address, error))
    return FALSE;
  if (!cuda_obj_strided_view_get_is_contiguous (view))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: the %s is not contiguous: collectives need its elements in C order without gaps",
                   func, operand->label);
      return FALSE;
    }
  if (written && cuda_obj_strided_view_get_read_only (view))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "%s: the %s is read-only", func,
                   operand->label);
      return FALSE;
    }
  if (!check_device (self, func, operand, cuda_obj_strided_view_get_device (view),
                     cuda_obj_strided_view_get_is_device_accessible (view), error))
    return FALSE;
  if (cuda_obj_strided_view_get_n_elements (view) > G_MAXSIZE
      || !g_size_checked_mul (&operand->size, (gsize) cuda_obj_strided_view_get_n_elements (view),
                              cuda_obj_strided_view_get_item_size (view)))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "%s: the %s is too large", func,
                   operand->label);
      return FALSE;
    }
  return TRUE;
}

/* The address @offset bytes into @operand, after checking that @size bytes
 * fit there. */
static gboolean
operand_range (const char *func, const Operand *operand, gsize offset, gsize size, const void **address,
               GError **error)
{
  if (offset > operand->size || size > operand->size - offset)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: the %s has %" G_GSIZE_FORMAT
                   " bytes, but the count and data type need %" G_GSIZE_FORMAT " bytes%s",
                   func, operand->label, operand->size, size, offset > 0 ? " after this rank's slot" : "");
      return FALSE;
    }
  *address = GSIZE_TO_POINTER ((gsize) operand->address + offset);
  return TRUE;
}

/* Views give the count: @view must have @factor × @count elements for a
 * @count that this finds (or checks, when *@count is already set). */
static gboolean
view_count (const char *func, const char *which, CudaObjStridedView *view, gsize factor, gboolean known,
            gsize *count, GError **error)
{
  guint64 n = cuda_obj_strided_view_get_n_elements (view);

  if (!known)
    {
      if (n % factor == 0)
        {
          *count = (gsize) (n / factor);
          return TRUE;
        }
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: the %s view's %" G_GUINT64_FORMAT " elements do not divide among %" G_GSIZE_FORMAT
                   " ranks",
                   func, which, n, factor);
      return FALSE;
    }
  if (n / factor == *count && n % factor == 0)
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
               "%s: the %s view has %" G_GUINT64_FORMAT " elements, but %" G_GSIZE_FORMAT " were expected",
               func, which, n, (gsize) (*count * factor));
  return FALSE;
}

static gboolean
views_same_type (const char *func, CudaObjStridedView *send, CudaObjStridedView *recv, GError **error)
{
  if (send == NULL
      || cuda_obj_strided_view_get_data_type (send) == cuda_obj_strided_view_get_data_type (recv))
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
               "%s: the send view holds %s and the recv view %s: they must hold the same type", func,
               cuda_obj_data_type_get_name (cuda_obj_strided_view_get_data_type (send)),
               cuda_obj_data_type_get_name (cuda_obj_strided_view_get_data_type (recv)));
  return FALSE;
}

/* @count elements of @nccl_type times @factor, in bytes, without overflow. */
static gboolean
bytes_for (const char *func, gsize count, ncclDataType_t nccl_type, gsize factor, gsize *bytes,
           GError **error)
{
  static const gsize sizes[] = {
    [ncclInt8] = 1,   [ncclUint8] = 1,   [ncclInt32] = 4,   [ncclUint32] = 4,  [ncclInt64] = 8,
    [ncclUint64] = 8, [ncclFloat16] = 2, [ncclFloat32] = 4, [ncclFloat64] = 8, [ncclBfloat16] = 2,
  };

  if (g_size_checked_mul (bytes, count, sizes[nccl_type]) && g_size_checked_mul (bytes, *bytes, factor))
    return TRUE;
  g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT, "%s: the count is too large", func);
  return FALSE;
}

/* The stream's handle, with the device's context current. */
static gboolean
prepare_stream (CudaObjCommunicator *self, const char *func, CudaObjStream *stream, CUstream *handle,
                GError **error)
{
  if (stream != NULL && cuda_obj_stream_peek_device (stream) != NULL
      && cuda_obj_stream_peek_device (stream) != self->device)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: the stream is not one of device %u, the communicator's", func,
                   cuda_obj_device_get_ordinal (self->device));
      return FALSE;
    }
  return cuda_obj_stream_prepare_for_device (stream, self->device, handle, error);
}

/* After an NCCL enqueue: waits out ncclInProgress, or inside a group notes
 * the call for group_end; marks the work for the watcher. */
static gboolean
finish_enqueue (CudaObjCommunicator *self, const CudaObjNccl *nccl, CudaObjStream *stream, CUstream handle,
                ncclResult_t result, const char *call, GError **error)
{
  GroupState *group = group_state ();

  if (group->depth > 0)
    {
      GroupedCall grouped = { g_object_ref (self), stream != NULL ? g_object_ref (stream) : NULL };

      if (result != ncclInProgress && !nccl_check (nccl, self->comm, result, call, error))
        {
          grouped_call_clear (&grouped);
          return FALSE;
        }
      g_array_append_val (group->calls, grouped);
      return TRUE;
    }
  if (result == ncclInProgress && !wait_ready (nccl, self->comm, NULL, self->timeout, call, error))
    return FALSE;
  if (!nccl_check (nccl, self->comm, result == ncclInProgress ? ncclSuccess : result, call, error))
    return FALSE;
  return note_work (self, handle, error);
}

/* The collectives, on operands; the public functions below make those of
 * buffers or of views. */

static gboolean
do_all_reduce (CudaObjCommunicator *self, const CudaObjNccl *nccl, const char *func, const Operand *send,
               const Operand *recv, gsize count, CudaObjDataType data_type, CudaObjReduceOp op,
               CudaObjStream *stream, GError **error)
{
  ncclDataType_t type;
  ncclRedOp_t nccl_op;
  const void *send_address, *recv_address;
  gsize bytes;
  CUstream handle;

  if (!map_data_type (func, data_type, TRUE, &type, &count, error) || !map_op (func, op, &nccl_op, error)
      || !bytes_for (func, count, type, 1, &bytes, error)
      || !operand_range (func, recv, 0, bytes, &recv_address, error)
      || !operand_range (func, send != NULL ? send : recv, 0, bytes, &send_address, error)
      || !prepare_stream (self, func, stream, &handle, error))
    return FALSE;
  return finish_enqueue (self, nccl, stream, handle,
                         nccl->ncclAllReduce (send_address, (void *) recv_address, count, type, nccl_op,
                                              self->comm, (cudaStream_t) handle),
                         "ncclAllReduce", error);
}

static gboolean
do_broadcast (CudaObjCommunicator *self, const CudaObjNccl *nccl, const char *func, const Operand *send,
              const Operand *recv, gsize count, CudaObjDataType data_type, int root, CudaObjStream *stream,
              GError **error)
{
  ncclDataType_t type;
  const void *send_address, *recv_address;
  gsize bytes;
  CUstream handle;

  if (!map_data_type (func, data_type, FALSE, &type, &count, error)
      || !bytes_for (func, count, type, 1, &bytes, error)
      || !operand_range (func, recv, 0, bytes, &recv_address, error)
      || !operand_range (func, send != NULL && self->rank == root ? send : recv, 0, bytes, &send_address,
                         error)
      || !prepare_stream (self, func, stream, &handle, error))
    return FALSE;
  return finish_enqueue (self, nccl, stream, handle,
                         nccl->ncclBroadcast (send_address, (void *) recv_address, count, type, root,
                                              self->comm, (cudaStream_t) handle),
                         "ncclBroadcast", error);
}

static gboolean
do_reduce (CudaObjCommunicator *self, const CudaObjNccl *nccl, const char *func, const Operand *send,
           const Operand *recv, gsize count, CudaObjDataType data_type, CudaObjReduceOp op, int root,
           CudaObjStream *stream, GError **error)
{
  ncclDataType_t type;
  ncclRedOp_t nccl_op;
  const void *send_address, *recv_address;
  gsize bytes;
  CUstream handle;

  if (!map_data_type (func, data_type, TRUE, &type, &count, error) || !map_op (func, op, &nccl_op, error)
      || !bytes_for (func, count, type, 1, &bytes, error)
      || !operand_range (func, recv, 0, bytes, &recv_address, error)
      || !operand_range (func, send != NULL ? send : recv, 0, bytes, &send_address, error)
      || !prepare_stream (self, func, stream, &handle, error))
    return FALSE;
  return finish_enqueue (self, nccl, stream, handle,
                         nccl->ncclReduce (send_address, (void *) recv_address, count, type, nccl_op, root,
                                           self->comm, (cudaStream_t) handle),
                         "ncclReduce", error);
}

static gboolean
do_all_gather (CudaObjCommunicator *self, const CudaObjNccl *nccl, const char *func, const Operand *send,
               const Operand *recv, gsize count, CudaObjDataType data_type, CudaObjStream *stream,
               GError **error)
{
  ncclDataType_t type;
  const void *send_address, *recv_address;
  gsize bytes, all_bytes;
  CUstream handle;

  if (!map_data_type (func, data_type, FALSE, &type, &count, error)
      || !bytes_for (func, count, type, 1, &bytes, error)
      || !bytes_for (func, count, type, (gsize) self->n_ranks, &all_bytes, error)
      || !operand_range (func, recv, 0, all_bytes, &recv_address, error)
      || !(send == NULL ? operand_range (func, recv, bytes * (gsize) self->rank, bytes, &send_address, error)
                        : operand_range (func, send, 0, bytes, &send_address, error))
      || !prepare_stream (self, func, stream, &handle, error))
    return FALSE;
  return finish_enqueue (self, nccl, stream, handle,
                         nccl->ncclAllGather (send_address, (void *) recv_address, count, type, self->comm,
                                              (cudaStream_t) handle),
                         "ncclAllGather", error);
}

static gboolean
do_reduce_scatter (CudaObjCommunicator *self, const CudaObjNccl *nccl, const char *func, const Operand *send,
                   const Operand *recv, gsize count, CudaObjDataType data_type, CudaObjReduceOp op,
                   CudaObjStream *stream, GError **error)
{
  ncclDataType_t type;
  ncclRedOp_t nccl_op;
  const void *send_address, *recv_address;
  gsize bytes, all_bytes;
  CUstream handle;

  if (!map_data_type (func, data_type, TRUE, &type, &count, error) || !map_op (func, op, &nccl_op, error)
      || !bytes_for (func, count, type, 1, &bytes, error)
      || !bytes_for (func, count, type, (gsize) self->n_ranks, &all_bytes, error))
    return FALSE;
  /* In place, the result lands in this rank's slot of the input. */
  if (!operand_range (func, send != NULL ? send : recv, 0, all_bytes, &send_address, error)
      || !operand_range (func, recv, send != NULL ? 0 : bytes * (gsize) self->rank, bytes, &recv_address,
                         error)
      || !prepare_stream (self, func, stream, &handle, error))
    return FALSE;
  return finish_enqueue (self, nccl, stream, handle,
                         nccl->ncclReduceScatter (send_address, (void *) recv_address, count, type, nccl_op,
                                                  self->comm, (cudaStream_t) handle),
                         "ncclReduceScatter", error);
}

static gboolean
do_all_to_all (CudaObjCommunicator *self, const CudaObjNccl *nccl, const char *func, const Operand *send,
               const Operand *recv, gsize count, CudaObjDataType data_type, CudaObjStream *stream,
               GError **error)
{
  ncclDataType_t type;
  const void *send_address, *recv_address;
  gsize all_bytes;
  CUstream handle;

  if (nccl->ncclAlltoAll == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                   "%s: NCCL %d.%d.%d has no ncclAlltoAll (it came with NCCL 2.28)", func,
                   nccl->version / 10000, nccl->version / 100 % 100, nccl->version % 100);
      return FALSE;
    }
  if (send->address == recv->address)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: all-to-all cannot work in place: give different send and recv memory", func);
      return FALSE;
    }
  if (!map_data_type (func, data_type, FALSE, &type, &count, error)
      || !bytes_for (func, count, type, (gsize) self->n_ranks, &all_bytes, error)
      || !operand_range (func, send, 0, all_bytes, &send_address, error)
      || !operand_range (func, recv, 0, all_bytes, &recv_address, error)
      || !prepare_stream (self, func, stream, &handle, error))
    return FALSE;
  return finish_enqueue (self, nccl, stream, handle,
                         nccl->ncclAlltoAll (send_address, (void *) recv_address, count, type, self->comm,
                                             (cudaStream_t) handle),
                         "ncclAlltoAll", error);
}

static gboolean
do_send_recv (CudaObjCommunicator *self, const CudaObjNccl *nccl, const char *func, gboolean sending,
              const Operand *operand, gsize count, CudaObjDataType data_type, int peer, CudaObjStream *stream,
              GError **error)
{
  ncclDataType_t type;
  const void *address;
  gsize bytes;
  CUstream handle;

  if (!map_data_type (func, data_type, FALSE, &type, &count, error)
      || !bytes_for (func, count, type, 1, &bytes, error)
      || !operand_range (func, operand, 0, bytes, &address, error)
      || !prepare_stream (self, func, stream, &handle, error))
    return FALSE;
  if (sending)
    return finish_enqueue (self, nccl, stream, handle,
                           nccl->ncclSend (address, count, type, peer, self->comm, (cudaStream_t) handle),
                           "ncclSend", error);
  return finish_enqueue (
      self, nccl, stream, handle,
      nccl->ncclRecv ((void *) address, count, type, peer, self->comm, (cudaStream_t) handle), "ncclRecv",
      error);
}

/* GObject and GInitable. */

static gboolean
adopt (CudaObjCommunicator *self, const CudaObjNccl *nccl, ncclComm_t comm, GError **error)
{
  self->comm = comm;
  if (!nccl_check (nccl, comm, nccl->ncclCommCount (comm, &self->n_ranks), "ncclCommCount", error)
      || !nccl_check (nccl, comm, nccl->ncclCommUserRank (comm, &self->rank), "ncclCommUserRank", error))
    {
      self->comm = NULL;
      return FALSE;
    }
  self->context = g_main_context_ref_thread_default ();
  self->initialized = TRUE;
  return TRUE;
}

static gboolean
cuda_obj_communicator_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjCommunicator *self = CUDA_OBJ_COMMUNICATOR (initable);
  const char *func = "cuda_obj_communicator_new";
  const CudaObjNccl *nccl;
  ncclConfig_t config = NCCL_CONFIG_INITIALIZER;
  ncclUniqueId id;
  ncclComm_t comm = NULL;
  ncclResult_t result;

  if (self->initialized)
    return TRUE;
  if (self->closed)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "%s: the communicator is closed", func);
      return FALSE;
    }
  /* Arguments first, so that their mistakes show before any library. */
  if (self->n_ranks < 1)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%s: a communicator needs at least one rank, not %d", func, self->n_ranks);
      return FALSE;
    }
  if (!check_rank (self, func, "rank", self->rank, error))
    return FALSE;
  if (self->unique_id == NULL)
    return cuda_obj_set_null_argument (error, func, "unique_id");
  if (g_bytes_get_size (self->unique_id) != sizeof id)
    {
      g_set_error (
          error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
          "%s: a unique id has %d bytes (from cuda_obj_communicator_get_unique_id), not %" G_GSIZE_FORMAT,
          func, CUDA_OBJ_COMMUNICATOR_UNIQUE_ID_SIZE, g_bytes_get_size (self->unique_id));
      return FALSE;
    }
  if (!cuda_obj_device_require (self->device, func, "device", error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  nccl = cuda_obj_nccl_get (error);
  if (nccl == NULL || !cuda_obj_device_activate (self->device, error))
    return FALSE;

  memcpy (&id, g_bytes_get_data (self->unique_id, NULL), sizeof id);
  /* Non-blocking, so that the wait for the other ranks can be cancelled. */
  config.blocking = 0;
  result = nccl->ncclCommInitRankConfig (&comm, self->n_ranks, id, self->rank, &config);
  if ((result != ncclSuccess && result != ncclInProgress
       && !set_nccl_error (nccl, comm, result, "ncclCommInitRankConfig", error))
      || (comm != NULL
          && !wait_ready (nccl, comm, cancellable, self->timeout, "ncclCommInitRankConfig", error)))
    {
      if (comm != NULL)
        nccl->ncclCommAbort (comm);
      return FALSE;
    }
  return adopt (self, nccl, comm, error);
}

static void
cuda_obj_communicator_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_communicator_initable_init;
}

static void
cuda_obj_communicator_dispose (GObject *object)
{
  CudaObjCommunicator *self = CUDA_OBJ_COMMUNICATOR (object);
  const CudaObjDriver *drv = cuda_obj_driver_peek ();

  stop_watch (self);
  if (self->comm != NULL)
    {
      /* Frees the communicator once its work finished (ncclCommDestroy
       * finalizes one that was not); nothing to report to anyone here. */
      if (cuda_obj_device_activate (self->device, NULL))
        cuda_obj_nccl_get (NULL)->ncclCommDestroy (self->comm);
      self->comm = NULL;
      self->closed = TRUE;
    }
  if (self->last_work != NULL && drv != NULL)
    drv->cuEventDestroy (self->last_work);
  self->last_work = NULL;
  g_clear_object (&self->device);
  g_clear_pointer (&self->unique_id, g_bytes_unref);
  G_OBJECT_CLASS (cuda_obj_communicator_parent_class)->dispose (object);
}

static void
cuda_obj_communicator_finalize (GObject *object)
{
  CudaObjCommunicator *self = CUDA_OBJ_COMMUNICATOR (object);

  g_clear_error (&self->async_error);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (cuda_obj_communicator_parent_class)->finalize (object);
}

static void
cuda_obj_communicator_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjCommunicator *self = CUDA_OBJ_COMMUNICATOR (object);

  switch (prop_id)
    {
    case PROP_DEVICE: g_value_set_object (value, self->device); break;
    case PROP_N_RANKS: g_value_set_int (value, self->n_ranks); break;
    case PROP_RANK: g_value_set_int (value, self->rank); break;
    case PROP_UNIQUE_ID: g_value_set_boxed (value, self->unique_id); break;
    case PROP_TIMEOUT: g_value_set_uint (value, self->timeout); break;
    case PROP_CLOSED: g_value_set_boolean (value, cuda_obj_communicator_get_closed (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_communicator_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjCommunicator *self = CUDA_OBJ_COMMUNICATOR (object);

  switch (prop_id)
    {
    case PROP_DEVICE: g_set_object (&self->device, g_value_get_object (value)); break;
    case PROP_N_RANKS: self->n_ranks = g_value_get_int (value); break;
    case PROP_RANK: self->rank = g_value_get_int (value); break;
    case PROP_UNIQUE_ID:
      g_clear_pointer (&self->unique_id, g_bytes_unref);
      self->unique_id = g_value_dup_boxed (value);
      break;
    case PROP_TIMEOUT: self->timeout = g_value_get_uint (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_communicator_class_init (CudaObjCommunicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct_only
      = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = cuda_obj_communicator_dispose;
  object_class->finalize = cuda_obj_communicator_finalize;
  object_class->get_property = cuda_obj_communicator_get_property;
  object_class->set_property = cuda_obj_communicator_set_property;

  /**
   * CudaObjCommunicator:device:
   *
   * The GPU of this rank.
   *
   * Read it with [method@CudaObj.Communicator.get_device].
   *
   * Since: 1.0
   */
  properties[PROP_DEVICE] = g_param_spec_object ("device", NULL, NULL, CUDA_OBJ_TYPE_DEVICE, construct_only);

  /**
   * CudaObjCommunicator:n-ranks:
   *
   * How many ranks the communicator has. Checked at construction (at
   * least one); communicators from [func@CudaObj.Communicator.new_all] and
   * [method@CudaObj.Communicator.split] read it from NCCL.
   *
   * Read it with [method@CudaObj.Communicator.get_n_ranks].
   *
   * Since: 1.0
   */
  properties[PROP_N_RANKS] = g_param_spec_int ("n-ranks", NULL, NULL, G_MININT, G_MAXINT, 1, construct_only);

  /**
   * CudaObjCommunicator:rank:
   *
   * This communicator's rank, from 0 to [property@CudaObj.Communicator:n-ranks]
   * minus one; checked at construction.
   *
   * Read it with [method@CudaObj.Communicator.get_rank].
   *
   * Since: 1.0
   */
  properties[PROP_RANK] = g_param_spec_int ("rank", NULL, NULL, G_MININT, G_MAXINT, 0, construct_only);

  /**
   * CudaObjCommunicator:unique-id:
   *
   * The unique id every rank was given, from
   * [func@CudaObj.Communicator.get_unique_id]; %NULL for communicators of
   * [func@CudaObj.Communicator.new_all] and [method@CudaObj.Communicator.split].
   *
   * Since: 1.0
   */
  properties[PROP_UNIQUE_ID] = g_param_spec_boxed ("unique-id", NULL, NULL, G_TYPE_BYTES, construct_only);

  /**
   * CudaObjCommunicator:timeout:
   *
   * How long, in milliseconds, construction (and
   * [method@CudaObj.Communicator.split]) waits for the other ranks before it
   * fails with %G_IO_ERROR_TIMED_OUT; 0, the default, waits as long as it
   * takes. Also bounds an enqueue that NCCL reports still in progress.
   *
   * Read it with [method@CudaObj.Communicator.get_timeout].
   *
   * Since: 1.0
   */
  properties[PROP_TIMEOUT] = g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, 0, construct_only);

  /**
   * CudaObjCommunicator:closed:
   *
   * Whether the communicator was closed or aborted (or never initialized).
   *
   * Read it with [method@CudaObj.Communicator.get_closed].
   *
   * Since: 1.0
   */
  properties[PROP_CLOSED] = g_param_spec_boolean (
      "closed", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CudaObjCommunicator::error:
   * @self: the communicator
   * @error: what NCCL reported
   *
   * Emitted once, in the [struct@GLib.MainContext] that was thread-default
   * when the communicator was made, when NCCL reports an asynchronous error
   * for work in flight (a peer that failed, a network error). Every later
   * call fails with the same error; abort the communicator
   * ([method@CudaObj.Communicator.abort]). Errors are looked for while work
   * is outstanding, every few tens of milliseconds.
   *
   * Since: 1.0
   */
  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                        NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
cuda_obj_communicator_init (CudaObjCommunicator *self)
{
  self->n_ranks = 1;
  g_mutex_init (&self->lock);
}

/* Public API. */

/**
 * cuda_obj_communicator_get_unique_id:
 * @error: return location for a [struct@GLib.Error]
 *
 * Makes a new unique id for a communicator: one rank calls this and hands
 * the bytes to every other rank, which pass them to
 * [ctor@CudaObj.Communicator.new]. The id carries the address where that
 * rank's process waits for the others (NCCL's bootstrap), so it is valid
 * while that process runs. [func@CudaObj.Communicator.unique_id_to_string]
 * makes it text.
 *
 * Returns: (transfer full): the id's [const@CudaObj.COMMUNICATOR_UNIQUE_ID_SIZE]
 *   bytes, or %NULL with @error set (%CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND
 *   without NCCL)
 *
 * Since: 1.0
 */
GBytes *
cuda_obj_communicator_get_unique_id (GError **error)
{
  const CudaObjNccl *nccl = cuda_obj_nccl_get (error);
  ncclUniqueId id;

  if (nccl == NULL || !nccl_check (nccl, NULL, nccl->ncclGetUniqueId (&id), "ncclGetUniqueId", error))
    return NULL;
  return g_bytes_new (&id, sizeof id);
}

/**
 * cuda_obj_communicator_unique_id_to_string:
 * @unique_id: a unique id from [func@CudaObj.Communicator.get_unique_id]
 * @error: return location for a [struct@GLib.Error]
 *
 * Writes @unique_id as text (lowercase hexadecimal, 256 characters), which
 * travels in a file, an environment variable, a command line or a message.
 * [func@CudaObj.Communicator.unique_id_from_string] reads it back.
 *
 * Returns: (transfer full): the text, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT when @unique_id has the wrong size)
 *
 * Since: 1.0
 */
char *
cuda_obj_communicator_unique_id_to_string (GBytes *unique_id, GError **error)
{
  const guint8 *data;
  gsize size;
  char *text;

  if (!cuda_obj_require_argument (unique_id, error))
    return NULL;
  data = g_bytes_get_data (unique_id, &size);
  if (size != CUDA_OBJ_COMMUNICATOR_UNIQUE_ID_SIZE)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "A unique id has %d bytes, not %" G_GSIZE_FORMAT, CUDA_OBJ_COMMUNICATOR_UNIQUE_ID_SIZE,
                   size);
      return NULL;
    }
  text = g_malloc (2 * size + 1);
  for (gsize i = 0; i < size; i++)
    {
      text[2 * i] = "0123456789abcdef"[data[i] >> 4];
      text[2 * i + 1] = "0123456789abcdef"[data[i] & 0xf];
    }
  text[2 * size] = '\0';
  return text;
}

/**
 * cuda_obj_communicator_unique_id_from_string:
 * @text: the text of [func@CudaObj.Communicator.unique_id_to_string]
 * @error: return location for a [struct@GLib.Error]
 *
 * Reads a unique id back from its text; white space around it (a newline
 * at the end of a file) is ignored.
 *
 * Returns: (transfer full): the id's bytes, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT when @text is not 256 hexadecimal digits)
 *
 * Since: 1.0
 */
GBytes *
cuda_obj_communicator_unique_id_from_string (const char *text, GError **error)
{
  g_autofree char *stripped = NULL;
  guint8 data[CUDA_OBJ_COMMUNICATOR_UNIQUE_ID_SIZE];

  if (!cuda_obj_require_argument (text, error))
    return NULL;
  stripped = g_strstrip (g_strdup (text));
  if (strlen (stripped) != 2 * sizeof data)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "A unique id is %d hexadecimal digits, not %" G_GSIZE_FORMAT " characters",
                   (int) (2 * sizeof data), strlen (stripped));
      return NULL;
    }
  for (gsize i = 0; i < sizeof data; i++)
    {
      int high = g_ascii_xdigit_value (stripped[2 * i]);
      int low = g_ascii_xdigit_value (stripped[2 * i + 1]);

      if (high < 0 || low < 0)
        {
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                       "A unique id is hexadecimal digits; character %" G_GSIZE_FORMAT " is not one",
                       high < 0 ? 2 * i : 2 * i + 1);
          return NULL;
        }
      data[i] = (guint8) (high << 4 | low);
    }
  return g_bytes_new (data, sizeof data);
}

/**
 * cuda_obj_communicator_new:
 * @device: this rank's GPU
 * @n_ranks: how many ranks there are in all
 * @rank: this rank, from 0 to @n_ranks minus one
 * @unique_id: the id every rank was given (see [func@CudaObj.Communicator.get_unique_id])
 * @cancellable: (nullable): to stop waiting for the other ranks
 * @error: return location for a [struct@GLib.Error]
 *
 * Joins a communicator of @n_ranks ranks, one per process (or per thread),
 * on one host or many: blocks until every rank has joined, the
 * [property@CudaObj.Communicator:timeout] (given to `g_initable_new()`) has
 * passed, or @cancellable is cancelled.
 *
 * Returns: (transfer full): the communicator, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for a rank out of range or a unique
 *   id of the wrong size, %CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND without NCCL,
 *   %G_IO_ERROR_CANCELLED, %G_IO_ERROR_TIMED_OUT, or what NCCL reported)
 *
 * Since: 1.0
 */
CudaObjCommunicator *
cuda_obj_communicator_new (CudaObjDevice *device, int n_ranks, int rank, GBytes *unique_id,
                           GCancellable *cancellable, GError **error)
{
  return g_initable_new (CUDA_OBJ_TYPE_COMMUNICATOR, cancellable, error, "device", device, "n-ranks", n_ranks,
                         "rank", rank, "unique-id", unique_id, NULL);
}

/**
 * cuda_obj_communicator_new_all:
 * @devices: (array length=n_devices): the GPUs, one rank each, in rank order
 * @n_devices: how many
 * @error: return location for a [struct@GLib.Error]
 *
 * Makes a communicator of @n_devices ranks driven by this one process
 * (NCCL's `ncclCommInitAll`). Collectives on several of them from one
 * thread go between [func@CudaObj.Communicator.group_start] and
 * [func@CudaObj.Communicator.group_end].
 *
 * Returns: (transfer container) (element-type CudaObjCommunicator): one
 *   communicator per device, rank i on @devices[i], or %NULL with @error set
 *
 * Since: 1.0
 */
GPtrArray *
cuda_obj_communicator_new_all (CudaObjDevice **devices, guint n_devices, GError **error)
{
  g_autoptr (GPtrArray) result = NULL;
  g_autofree ncclComm_t *comms = NULL;
  g_autofree int *ordinals = NULL;
  const CudaObjNccl *nccl;

  if (n_devices == 0 || devices == NULL)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "cuda_obj_communicator_new_all: give at least one device");
      return NULL;
    }
  if (n_devices > G_MAXINT)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "cuda_obj_communicator_new_all: %u devices is too many", n_devices);
      return NULL;
    }
  ordinals = g_new (int, n_devices);
  for (guint i = 0; i < n_devices; i++)
    {
      if (!cuda_obj_device_require (devices[i], G_STRFUNC, "devices[i]", error))
        return NULL;
      ordinals[i] = (int) cuda_obj_device_get_ordinal (devices[i]);
    }
  nccl = cuda_obj_nccl_get (error);
  if (nccl == NULL || !cuda_obj_device_activate (devices[0], error))
    return NULL;
  comms = g_new0 (ncclComm_t, n_devices);
  if (!nccl_check (nccl, NULL, nccl->ncclCommInitAll (comms, (int) n_devices, ordinals), "ncclCommInitAll",
                   error))
    return NULL;

  result = g_ptr_array_new_full (n_devices, g_object_unref);
  for (guint i = 0; i < n_devices; i++)
    {
      CudaObjCommunicator *comm = g_object_new (CUDA_OBJ_TYPE_COMMUNICATOR, "device", devices[i], NULL);

      g_ptr_array_add (result, comm);
      /* The ones adopted so far go with the array; the rest are freed here. */
      if (!adopt (comm, nccl, comms[i], error))
        {
          for (guint j = i; j < n_devices; j++)
            nccl->ncclCommDestroy (comms[j]);
          return NULL;
        }
    }
  return g_steal_pointer (&result);
}

/**
 * cuda_obj_communicator_split:
 * @self: a communicator
 * @color: the new communicator this rank joins, or a negative number to join none
 * @key: orders the ranks within the new communicator (ties by rank in @self)
 * @error: return location for a [struct@GLib.Error]
 *
 * Splits @self: every rank of @self calls this (with a group around the
 * calls when one thread drives several ranks), and ranks that give the
 * same @color form one new communicator, ordered by @key. Waits for the
 * other ranks within [property@CudaObj.Communicator:timeout].
 *
 * Returns: (transfer full) (nullable): the new communicator on the same
 *   device; %NULL without an error for a negative @color, or %NULL with
 *   @error set
 *
 * Since: 1.0
 */
CudaObjCommunicator *
cuda_obj_communicator_split (CudaObjCommunicator *self, int color, int key, GError **error)
{
  g_autoptr (CudaObjCommunicator) child = NULL;
  const CudaObjNccl *nccl;
  ncclConfig_t config = NCCL_CONFIG_INITIALIZER;
  ncclComm_t comm = NULL;
  ncclResult_t result;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), NULL);

  if (!check_usable (self, G_STRFUNC, &nccl, error) || !cuda_obj_device_activate (self->device, error))
    return NULL;
  config.blocking = 0;
  result = nccl->ncclCommSplit (self->comm, color < 0 ? NCCL_SPLIT_NOCOLOR : color, key, &comm, &config);
  if (result != ncclSuccess && result != ncclInProgress)
    {
      set_nccl_error (nccl, self->comm, result, "ncclCommSplit", error);
      if (comm != NULL)
        nccl->ncclCommAbort (comm);
      return NULL;
    }
  /* The parent takes part in the split too: both must be done. */
  if ((comm != NULL && !wait_ready (nccl, comm, NULL, self->timeout, "ncclCommSplit", error))
      || !wait_ready (nccl, self->comm, NULL, self->timeout, "ncclCommSplit", error))
    {
      if (comm != NULL)
        nccl->ncclCommAbort (comm);
      return NULL;
    }
  if (comm == NULL)
    return NULL;
  child = g_object_new (CUDA_OBJ_TYPE_COMMUNICATOR, "device", self->device, "timeout", self->timeout, NULL);
  if (!adopt (child, nccl, comm, error))
    {
      nccl->ncclCommAbort (comm);
      return NULL;
    }
  return g_steal_pointer (&child);
}

/**
 * cuda_obj_communicator_get_device:
 * @self: a communicator
 *
 * Gives [property@CudaObj.Communicator:device].
 *
 * Returns: (transfer none) (nullable): the device; %NULL only for a
 *   communicator made with a plain constructor without one
 *
 * Since: 1.0
 */
CudaObjDevice *
cuda_obj_communicator_get_device (CudaObjCommunicator *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), NULL);
  return self->device;
}

/**
 * cuda_obj_communicator_get_rank:
 * @self: a communicator
 *
 * Gives [property@CudaObj.Communicator:rank].
 *
 * Returns: this rank
 *
 * Since: 1.0
 */
int
cuda_obj_communicator_get_rank (CudaObjCommunicator *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), 0);
  return self->rank;
}

/**
 * cuda_obj_communicator_get_n_ranks:
 * @self: a communicator
 *
 * Gives [property@CudaObj.Communicator:n-ranks].
 *
 * Returns: the number of ranks
 *
 * Since: 1.0
 */
int
cuda_obj_communicator_get_n_ranks (CudaObjCommunicator *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), 0);
  return self->n_ranks;
}

/**
 * cuda_obj_communicator_get_timeout:
 * @self: a communicator
 *
 * Gives [property@CudaObj.Communicator:timeout].
 *
 * Returns: the timeout in milliseconds, 0 for none
 *
 * Since: 1.0
 */
guint
cuda_obj_communicator_get_timeout (CudaObjCommunicator *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), 0);
  return self->timeout;
}

/**
 * cuda_obj_communicator_get_closed:
 * @self: a communicator
 *
 * Gives [property@CudaObj.Communicator:closed].
 *
 * Returns: %TRUE once closed or aborted, and before initialization
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_get_closed (CudaObjCommunicator *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), TRUE);
  return self->comm == NULL;
}

/**
 * cuda_obj_communicator_all_reduce:
 * @self: a communicator
 * @send: (nullable): @count elements to reduce, or %NULL to reduce @recv in place
 * @recv: where the result goes, @count elements, on every rank
 * @count: how many elements
 * @data_type: their type
 * @op: how they are combined
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * Enqueues an all-reduce: every rank gets the elementwise @op of every
 * rank's @send. [method@CudaObj.Communicator.all_reduce_view] does it on
 * views.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for buffers too small or on another
 *   device, %CUDA_OBJ_ERROR_NOT_SUPPORTED for a type NCCL cannot reduce,
 *   %CUDA_OBJ_ERROR_CLOSED, an asynchronous error of earlier work)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_all_reduce (CudaObjCommunicator *self, CudaObjBuffer *send, CudaObjBuffer *recv,
                                  gsize count, CudaObjDataType data_type, CudaObjReduceOp op,
                                  CudaObjStream *stream, GError **error)
{
  const CudaObjNccl *nccl;
  Operand s, r;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error)
         && operand_from_buffer (self, G_STRFUNC, "recv", recv, &r, error)
         && (send == NULL || operand_from_buffer (self, G_STRFUNC, "send", send, &s, error))
         && do_all_reduce (self, nccl, G_STRFUNC, send != NULL ? &s : NULL, &r, count, data_type, op, stream,
                           error);
}

/**
 * cuda_obj_communicator_all_reduce_view:
 * @self: a communicator
 * @send: (nullable): a contiguous view of the elements to reduce, or %NULL to reduce @recv in place
 * @recv: a contiguous, writable view of as many elements of the same type, for the result
 * @op: how they are combined
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * [method@CudaObj.Communicator.all_reduce] on views: the count and the
 * type are @recv's.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for views that differ in type or
 *   length, are not contiguous, or are on another device)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_all_reduce_view (CudaObjCommunicator *self, CudaObjStridedView *send,
                                       CudaObjStridedView *recv, CudaObjReduceOp op, CudaObjStream *stream,
                                       GError **error)
{
  const CudaObjNccl *nccl;
  Operand s, r;
  gsize count;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error)
         && operand_from_view (self, G_STRFUNC, "recv", recv, TRUE, &r, error)
         && (send == NULL || operand_from_view (self, G_STRFUNC, "send", send, FALSE, &s, error))
         && views_same_type (G_STRFUNC, send, recv, error)
         && view_count (G_STRFUNC, "recv", recv, 1, FALSE, &count, error)
         && (send == NULL || view_count (G_STRFUNC, "send", send, 1, TRUE, &count, error))
         && do_all_reduce (self, nccl, G_STRFUNC, send != NULL ? &s : NULL, &r, count,
                           cuda_obj_strided_view_get_data_type (recv), op, stream, error);
}

/**
 * cuda_obj_communicator_broadcast:
 * @self: a communicator
 * @send: (nullable): on the root, @count elements to send; %NULL to send @recv (in place); ignored elsewhere
 * @recv: where the elements go, @count of them, on every rank
 * @count: how many elements
 * @data_type: their type (any: elements travel as bytes)
 * @root: the rank that sends
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * Enqueues a broadcast: every rank's @recv gets @root's @send.
 * [method@CudaObj.Communicator.broadcast_view] does it on views.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_broadcast (CudaObjCommunicator *self, CudaObjBuffer *send, CudaObjBuffer *recv,
                                 gsize count, CudaObjDataType data_type, int root, CudaObjStream *stream,
                                 GError **error)
{
  const CudaObjNccl *nccl;
  Operand s, r;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error) && check_rank (self, G_STRFUNC, "root", root, error)
         && operand_from_buffer (self, G_STRFUNC, "recv", recv, &r, error)
         && (send == NULL || operand_from_buffer (self, G_STRFUNC, "send", send, &s, error))
         && do_broadcast (self, nccl, G_STRFUNC, send != NULL ? &s : NULL, &r, count, data_type, root, stream,
                          error);
}

/**
 * cuda_obj_communicator_broadcast_view:
 * @self: a communicator
 * @send: (nullable): on the root, a contiguous view of the elements to send; %NULL to send @recv (in place)
 * @recv: a contiguous, writable view where the elements go, on every rank
 * @root: the rank that sends
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * [method@CudaObj.Communicator.broadcast] on views: the count and the type
 * are @recv's.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_broadcast_view (CudaObjCommunicator *self, CudaObjStridedView *send,
                                      CudaObjStridedView *recv, int root, CudaObjStream *stream,
                                      GError **error)
{
  const CudaObjNccl *nccl;
  Operand s, r;
  gsize count;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error) && check_rank (self, G_STRFUNC, "root", root, error)
         && operand_from_view (self, G_STRFUNC, "recv", recv, TRUE, &r, error)
         && (send == NULL || operand_from_view (self, G_STRFUNC, "send", send, FALSE, &s, error))
         && views_same_type (G_STRFUNC, send, recv, error)
         && view_count (G_STRFUNC, "recv", recv, 1, FALSE, &count, error)
         && (send == NULL || view_count (G_STRFUNC, "send", send, 1, TRUE, &count, error))
         && do_broadcast (self, nccl, G_STRFUNC, send != NULL ? &s : NULL, &r, count,
                          cuda_obj_strided_view_get_data_type (recv), root, stream, error);
}

/**
 * cuda_obj_communicator_reduce:
 * @self: a communicator
 * @send: (nullable): @count elements to reduce, or %NULL to reduce @recv in place
 * @recv: @count elements; the result, on the root only
 * @count: how many elements
 * @data_type: their type
 * @op: how they are combined
 * @root: the rank that gets the result
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * Enqueues a reduce: @root's @recv gets the elementwise @op of every rank's
 * @send. [method@CudaObj.Communicator.reduce_view] does it on views.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_reduce (CudaObjCommunicator *self, CudaObjBuffer *send, CudaObjBuffer *recv,
                              gsize count, CudaObjDataType data_type, CudaObjReduceOp op, int root,
                              CudaObjStream *stream, GError **error)
{
  const CudaObjNccl *nccl;
  Operand s, r;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error) && check_rank (self, G_STRFUNC, "root", root, error)
         && operand_from_buffer (self, G_STRFUNC, "recv", recv, &r, error)
         && (send == NULL || operand_from_buffer (self, G_STRFUNC, "send", send, &s, error))
         && do_reduce (self, nccl, G_STRFUNC, send != NULL ? &s : NULL, &r, count, data_type, op, root,
                       stream, error);
}

/**
 * cuda_obj_communicator_reduce_view:
 * @self: a communicator
 * @send: (nullable): a contiguous view of the elements to reduce, or %NULL to reduce @recv in place
 * @recv: a contiguous, writable view of as many elements of the same type; the result, on the root only
 * @op: how they are combined
 * @root: the rank that gets the result
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * [method@CudaObj.Communicator.reduce] on views: the count and the type are
 * @recv's.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_reduce_view (CudaObjCommunicator *self, CudaObjStridedView *send,
                                   CudaObjStridedView *recv, CudaObjReduceOp op, int root,
                                   CudaObjStream *stream, GError **error)
{
  const CudaObjNccl *nccl;
  Operand s, r;
  gsize count;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error) && check_rank (self, G_STRFUNC, "root", root, error)
         && operand_from_view (self, G_STRFUNC, "recv", recv, TRUE, &r, error)
         && (send == NULL || operand_from_view (self, G_STRFUNC, "send", send, FALSE, &s, error))
         && views_same_type (G_STRFUNC, send, recv, error)
         && view_count (G_STRFUNC, "recv", recv, 1, FALSE, &count, error)
         && (send == NULL || view_count (G_STRFUNC, "send", send, 1, TRUE, &count, error))
         && do_reduce (self, nccl, G_STRFUNC, send != NULL ? &s : NULL, &r, count,
                       cuda_obj_strided_view_get_data_type (recv), op, root, stream, error);
}

/**
 * cuda_obj_communicator_all_gather:
 * @self: a communicator
 * @send: (nullable): this rank's @count elements, or %NULL when they already
 *   are in this rank's slot of @recv (in place)
 * @recv: where every rank's elements go: n-ranks × @count elements, rank r's at r × @count
 * @count: how many elements each rank contributes
 * @data_type: their type (any: elements travel as bytes)
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * Enqueues an all-gather: every rank's @recv gets all ranks' @send, in
 * rank order. [method@CudaObj.Communicator.all_gather_view] does it on views.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_all_gather (CudaObjCommunicator *self, CudaObjBuffer *send, CudaObjBuffer *recv,
                                  gsize count, CudaObjDataType data_type, CudaObjStream *stream,
                                  GError **error)
{
  const CudaObjNccl *nccl;
  Operand s, r;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error)
         && operand_from_buffer (self, G_STRFUNC, "recv", recv, &r, error)
         && (send == NULL || operand_from_buffer (self, G_STRFUNC, "send", send, &s, error))
         && do_all_gather (self, nccl, G_STRFUNC, send != NULL ? &s : NULL, &r, count, data_type, stream,
                           error);
}

/**
 * cuda_obj_communicator_all_gather_view:
 * @self: a communicator
 * @send: (nullable): a contiguous view of this rank's elements, or %NULL when
 *   they already are in this rank's slot of @recv (in place)
 * @recv: a contiguous, writable view of n-ranks times as many elements of the same type
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * [method@CudaObj.Communicator.all_gather] on views: each rank contributes
 * @recv's length divided by the number of ranks.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_all_gather_view (CudaObjCommunicator *self, CudaObjStridedView *send,
                                       CudaObjStridedView *recv, CudaObjStream *stream, GError **error)
{
  const CudaObjNccl *nccl;
  Operand s, r;
  gsize count;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error)
         && operand_from_view (self, G_STRFUNC, "recv", recv, TRUE, &r, error)
         && (send == NULL || operand_from_view (self, G_STRFUNC, "send", send, FALSE, &s, error))
         && views_same_type (G_STRFUNC, send, recv, error)
         && view_count (G_STRFUNC, "recv", recv, (gsize) self->n_ranks, FALSE, &count, error)
         && (send == NULL || view_count (G_STRFUNC, "send", send, 1, TRUE, &count, error))
         && do_all_gather (self, nccl, G_STRFUNC, send != NULL ? &s : NULL, &r, count,
                           cuda_obj_strided_view_get_data_type (recv), stream, error);
}

/**
 * cuda_obj_communicator_reduce_scatter:
 * @self: a communicator
 * @send: (nullable): n-ranks × @count elements, or %NULL to work in @recv in place
 * @recv: this rank's @count result elements; in place, n-ranks × @count
 *   elements of input whose slot number rank (at rank × @count) gets the result
 * @count: how many result elements each rank gets
 * @data_type: their type
 * @op: how they are combined
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * Enqueues a reduce-scatter: the elementwise @op of every rank's @send,
 * rank r getting the r-th @count elements of it.
 * [method@CudaObj.Communicator.reduce_scatter_view] does it on views.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_reduce_scatter (CudaObjCommunicator *self, CudaObjBuffer *send, CudaObjBuffer *recv,
                                      gsize count, CudaObjDataType data_type, CudaObjReduceOp op,
                                      CudaObjStream *stream, GError **error)
{
  const CudaObjNccl *nccl;
  Operand s, r;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error)
         && operand_from_buffer (self, G_STRFUNC, "recv", recv, &r, error)
         && (send == NULL || operand_from_buffer (self, G_STRFUNC, "send", send, &s, error))
         && do_reduce_scatter (self, nccl, G_STRFUNC, send != NULL ? &s : NULL, &r, count, data_type, op,
                               stream, error);
}

/**
 * cuda_obj_communicator_reduce_scatter_view:
 * @self: a communicator
 * @send: (nullable): a contiguous view of n-ranks times as many elements as
 *   @recv, or %NULL to work in @recv in place
 * @recv: a contiguous, writable view for this rank's result; in place, the
 *   whole input, whose slot number rank gets the result
 * @op: how they are combined
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * [method@CudaObj.Communicator.reduce_scatter] on views.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_reduce_scatter_view (CudaObjCommunicator *self, CudaObjStridedView *send,
                                           CudaObjStridedView *recv, CudaObjReduceOp op,
                                           CudaObjStream *stream, GError **error)
{
  const CudaObjNccl *nccl;
  Operand s, r;
  gsize count;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error)
         && operand_from_view (self, G_STRFUNC, "recv", recv, TRUE, &r, error)
         && (send == NULL || operand_from_view (self, G_STRFUNC, "send", send, FALSE, &s, error))
         && views_same_type (G_STRFUNC, send, recv, error)
         && (send == NULL
                 ? view_count (G_STRFUNC, "recv", recv, (gsize) self->n_ranks, FALSE, &count, error)
                 : view_count (G_STRFUNC, "recv", recv, 1, FALSE, &count, error)
                       && view_count (G_STRFUNC, "send", send, (gsize) self->n_ranks, TRUE, &count, error))
         && do_reduce_scatter (self, nccl, G_STRFUNC, send != NULL ? &s : NULL, &r, count,
                               cuda_obj_strided_view_get_data_type (recv), op, stream, error);
}

/**
 * cuda_obj_communicator_all_to_all:
 * @self: a communicator
 * @send: n-ranks × @count elements, the r-th @count for rank r
 * @recv: n-ranks × @count elements, the r-th @count from rank r (not @send: no in-place form)
 * @count: how many elements go from each rank to each rank
 * @data_type: their type (any: elements travel as bytes)
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * Enqueues an all-to-all exchange. NCCL has it from version 2.28 on.
 * [method@CudaObj.Communicator.all_to_all_view] does it on views.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *   (%CUDA_OBJ_ERROR_NOT_SUPPORTED with an older NCCL)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_all_to_all (CudaObjCommunicator *self, CudaObjBuffer *send, CudaObjBuffer *recv,
                                  gsize count, CudaObjDataType data_type, CudaObjStream *stream,
                                  GError **error)
{
  const CudaObjNccl *nccl;
  Operand s, r;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error)
         && operand_from_buffer (self, G_STRFUNC, "send", send, &s, error)
         && operand_from_buffer (self, G_STRFUNC, "recv", recv, &r, error)
         && do_all_to_all (self, nccl, G_STRFUNC, &s, &r, count, data_type, stream, error);
}

/**
 * cuda_obj_communicator_all_to_all_view:
 * @self: a communicator
 * @send: a contiguous view of n-ranks × count elements, the r-th count for rank r
 * @recv: a contiguous, writable view of as many elements of the same type, the r-th count from rank r
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * [method@CudaObj.Communicator.all_to_all] on views: the count is @recv's
 * length divided by the number of ranks.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_all_to_all_view (CudaObjCommunicator *self, CudaObjStridedView *send,
                                       CudaObjStridedView *recv, CudaObjStream *stream, GError **error)
{
  const CudaObjNccl *nccl;
  Operand s, r;
  gsize count;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error)
         && operand_from_view (self, G_STRFUNC, "send", send, FALSE, &s, error)
         && operand_from_view (self, G_STRFUNC, "recv", recv, TRUE, &r, error)
         && views_same_type (G_STRFUNC, send, recv, error)
         && view_count (G_STRFUNC, "recv", recv, (gsize) self->n_ranks, FALSE, &count, error)
         && view_count (G_STRFUNC, "send", send, (gsize) self->n_ranks, TRUE, &count, error)
         && do_all_to_all (self, nccl, G_STRFUNC, &s, &r, count, cuda_obj_strided_view_get_data_type (recv),
                           stream, error);
}

/**
 * cuda_obj_communicator_send:
 * @self: a communicator
 * @buffer: @count elements to send
 * @count: how many elements
 * @data_type: their type (any: elements travel as bytes)
 * @peer: the rank that receives them with [method@CudaObj.Communicator.recv]
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * Enqueues a send to @peer. A send and its receive block each other until
 * both are enqueued: exchanges between ranks of one thread, or in both
 * directions, go in a group ([func@CudaObj.Communicator.group_start]).
 * [method@CudaObj.Communicator.send_view] sends a view.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_send (CudaObjCommunicator *self, CudaObjBuffer *buffer, gsize count,
                            CudaObjDataType data_type, int peer, CudaObjStream *stream, GError **error)
{
  const CudaObjNccl *nccl;
  Operand operand;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error) && check_rank (self, G_STRFUNC, "peer", peer, error)
         && operand_from_buffer (self, G_STRFUNC, "buffer", buffer, &operand, error)
         && do_send_recv (self, nccl, G_STRFUNC, TRUE, &operand, count, data_type, peer, stream, error);
}

/**
 * cuda_obj_communicator_send_view:
 * @self: a communicator
 * @view: a contiguous view of the elements to send
 * @peer: the rank that receives them
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * [method@CudaObj.Communicator.send] of a view's elements.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_send_view (CudaObjCommunicator *self, CudaObjStridedView *view, int peer,
                                 CudaObjStream *stream, GError **error)
{
  const CudaObjNccl *nccl;
  Operand operand;
  gsize count;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error) && check_rank (self, G_STRFUNC, "peer", peer, error)
         && operand_from_view (self, G_STRFUNC, "view", view, FALSE, &operand, error)
         && view_count (G_STRFUNC, "view", view, 1, FALSE, &count, error)
         && do_send_recv (self, nccl, G_STRFUNC, TRUE, &operand, count,
                          cuda_obj_strided_view_get_data_type (view), peer, stream, error);
}

/**
 * cuda_obj_communicator_recv:
 * @self: a communicator
 * @buffer: where @count elements go
 * @count: how many elements
 * @data_type: their type (any: elements travel as bytes)
 * @peer: the rank that sends them with [method@CudaObj.Communicator.send]
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * Enqueues a receive from @peer; see [method@CudaObj.Communicator.send].
 * [method@CudaObj.Communicator.recv_view] receives into a view.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_recv (CudaObjCommunicator *self, CudaObjBuffer *buffer, gsize count,
                            CudaObjDataType data_type, int peer, CudaObjStream *stream, GError **error)
{
  const CudaObjNccl *nccl;
  Operand operand;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error) && check_rank (self, G_STRFUNC, "peer", peer, error)
         && operand_from_buffer (self, G_STRFUNC, "buffer", buffer, &operand, error)
         && do_send_recv (self, nccl, G_STRFUNC, FALSE, &operand, count, data_type, peer, stream, error);
}

/**
 * cuda_obj_communicator_recv_view:
 * @self: a communicator
 * @view: a contiguous, writable view where the elements go
 * @peer: the rank that sends them
 * @stream: (nullable): the stream to enqueue on, or %NULL for the device's legacy default stream
 * @error: return location for a [struct@GLib.Error]
 *
 * [method@CudaObj.Communicator.recv] into a view: as many elements as it has.
 *
 * Returns: %TRUE when enqueued; %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_recv_view (CudaObjCommunicator *self, CudaObjStridedView *view, int peer,
                                 CudaObjStream *stream, GError **error)
{
  const CudaObjNccl *nccl;
  Operand operand;
  gsize count;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error) && check_rank (self, G_STRFUNC, "peer", peer, error)
         && operand_from_view (self, G_STRFUNC, "view", view, TRUE, &operand, error)
         && view_count (G_STRFUNC, "view", view, 1, FALSE, &count, error)
         && do_send_recv (self, nccl, G_STRFUNC, FALSE, &operand, count,
                          cuda_obj_strided_view_get_data_type (view), peer, stream, error);
}

/**
 * cuda_obj_communicator_group_start:
 * @error: return location for a [struct@GLib.Error]
 *
 * Starts a group of calls on this thread: collectives and point-to-point
 * calls up to the matching [func@CudaObj.Communicator.group_end] are
 * enqueued together. Needed when one thread drives several ranks, and to
 * pair sends with receives. Groups nest.
 *
 * Returns: %TRUE on success; %FALSE with @error set (without NCCL)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_group_start (GError **error)
{
  const CudaObjNccl *nccl = cuda_obj_nccl_get (error);

  if (nccl == NULL || !nccl_check (nccl, NULL, nccl->ncclGroupStart (), "ncclGroupStart", error))
    return FALSE;
  group_state ()->depth++;
  return TRUE;
}

/**
 * cuda_obj_communicator_group_end:
 * @error: return location for a [struct@GLib.Error]
 *
 * Ends the group that [func@CudaObj.Communicator.group_start] started on
 * this thread; the outermost end enqueues the group's calls.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *   (%CUDA_OBJ_ERROR_INVALID_ARGUMENT without a group to end, or what NCCL reported)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_group_end (GError **error)
{
  GroupState *group = group_state ();
  const CudaObjNccl *nccl;
  ncclResult_t result;
  g_autoptr (GArray) calls = NULL;

  if (group->depth == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "cuda_obj_communicator_group_end: no group was started on this thread");
      return FALSE;
    }
  nccl = cuda_obj_nccl_get (error);
  result = nccl->ncclGroupEnd ();
  if (--group->depth > 0)
    return nccl_check (nccl, NULL, result, "ncclGroupEnd", error);
  calls = g_steal_pointer (&group->calls);
  group->calls = g_array_new (FALSE, TRUE, sizeof (GroupedCall));
  g_array_set_clear_func (group->calls, grouped_call_clear);
  if (result != ncclSuccess && result != ncclInProgress)
    return set_nccl_error (nccl, NULL, result, "ncclGroupEnd", error);
  for (guint i = 0; i < calls->len; i++)
    {
      GroupedCall *call = &g_array_index (calls, GroupedCall, i);
      CUstream handle;

      if ((result == ncclInProgress
           && !wait_ready (nccl, call->comm->comm, NULL, call->comm->timeout, "ncclGroupEnd", error))
          || !prepare_stream (call->comm, G_STRFUNC, call->stream, &handle, error)
          || !note_work (call->comm, handle, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * cuda_obj_communicator_check:
 * @self: a communicator
 * @error: return location for a [struct@GLib.Error]
 *
 * Asks NCCL now whether work of @self failed asynchronously, without
 * waiting for the [signal@CudaObj.Communicator::error] signal.
 *
 * Returns: %TRUE when the communicator is usable; %FALSE with @error set
 *   (the asynchronous error, %CUDA_OBJ_ERROR_CLOSED, %CUDA_OBJ_ERROR_NOT_INITIALIZED)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_check (CudaObjCommunicator *self, GError **error)
{
  const CudaObjNccl *nccl;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);
  return check_usable (self, G_STRFUNC, &nccl, error);
}

/**
 * cuda_obj_communicator_abort:
 * @self: a communicator
 * @error: return location for a [struct@GLib.Error]
 *
 * Frees the communicator at once, stopping its work in flight (NCCL's
 * `ncclCommAbort`): the way out after an asynchronous error, or when a
 * peer will never come. The other ranks' work with it fails.
 *
 * Returns: %TRUE on success; %FALSE with @error set
 *   (%CUDA_OBJ_ERROR_NOT_INITIALIZED, %CUDA_OBJ_ERROR_CLOSED when already closed)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_abort (CudaObjCommunicator *self, GError **error)
{
  const CudaObjNccl *nccl;
  ncclComm_t comm;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);

  if (!self->initialized)
    return cuda_obj_set_not_initialized (error, self, G_STRFUNC);
  if (self->comm == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "%s: the communicator is already %s",
                   G_STRFUNC, self->closed ? "closed" : "aborted");
      return FALSE;
    }
  nccl = cuda_obj_nccl_get (error);
  stop_watch (self);
  comm = g_steal_pointer (&self->comm);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);
  return cuda_obj_device_activate (self->device, error)
         && nccl_check (nccl, NULL, nccl->ncclCommAbort (comm), "ncclCommAbort", error);
}

/**
 * cuda_obj_communicator_close:
 * @self: a communicator
 * @error: return location for a [struct@GLib.Error]
 *
 * Waits for the communicator's outstanding work and frees it (NCCL's
 * `ncclCommFinalize` and `ncclCommDestroy`). Every rank closes its
 * communicator; afterwards every method reports %CUDA_OBJ_ERROR_CLOSED.
 *
 * Returns: %TRUE on success; %FALSE with @error set (an asynchronous
 *   error, which leaves the communicator to [method@CudaObj.Communicator.abort];
 *   %CUDA_OBJ_ERROR_CLOSED when already closed)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_communicator_close (CudaObjCommunicator *self, GError **error)
{
  const CudaObjNccl *nccl;
  ncclResult_t result;
  ncclComm_t comm;

  g_return_val_if_fail (CUDA_OBJ_IS_COMMUNICATOR (self), FALSE);

  if (!check_usable (self, G_STRFUNC, &nccl, error) || !cuda_obj_device_activate (self->device, error))
    return FALSE;
  result = nccl->ncclCommFinalize (self->comm);
  if ((result == ncclInProgress
       && !wait_ready (nccl, self->comm, NULL, self->timeout, "ncclCommFinalize", error))
      || (result != ncclInProgress && !nccl_check (nccl, self->comm, result, "ncclCommFinalize", error)))
    return FALSE;
  stop_watch (self);
  comm = g_steal_pointer (&self->comm);
  self->closed = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);
  return nccl_check (nccl, NULL, nccl->ncclCommDestroy (comm), "ncclCommDestroy", error);
}
