/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: a file that cuFile reads into and writes from device memory,
 * or, where cuFile refuses the file, libcudaobj itself through host
 * memory. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cudaobj-file-handle.h"
#include "cudaobj-device-private.h"
#include "cudaobj-error-private.h"
#include "cudaobj-loader-private.h"
#include "cudaobj-stream-private.h"

/* The POSIX path's host buffer for blocking transfers. */
#define POSIX_CHUNK ((gsize) 8 << 20)

enum
{
  PROP_0,
  PROP_PATH,
  PROP_FD,
  PROP_WRITABLE,
  PROP_DIRECT,
  PROP_COMPAT_MODE,
  PROP_CUFILE,
  PROP_SIZE,
  PROP_CLOSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _CudaObjFileHandle
{
  GObject parent_instance;

  char *path;
  int fd; /* owned once initialized; -1 when none */
  gboolean writable;
  gboolean direct;
  gboolean compat_mode;
  gboolean posix; /* cuFile refused the file: pread/pwrite and copies */

  GMutex lock;     /* guards what follows */
  gpointer cufile; /* CUfileHandle_t; NULL until initialized and once released */
  gboolean initialized;
  gboolean closed;
  guint pending; /* stream-ordered operations the stream has not reached yet */
};

static void cuda_obj_file_handle_initable_iface_init (GInitableIface *iface);

/**
 * CudaObjFileHandle:
 *
 * A file opened for cuFile, NVIDIA's GPU file I/O library: reads go from
 * the file straight into a [class@CudaObj.Buffer]'s device memory, writes
 * from it into the file, with GPUDirect Storage where the machine has it
 * (the nvidia-fs kernel driver and a supported file system) and through
 * host bounce buffers in cuFile's POSIX compatibility mode otherwise;
 * [property@CudaObj.FileHandle:compat-mode] says which.
 *
 * Where cuFile is installed but refuses the file or the machine (a virtual
 * disk whose volume it cannot identify, a container without udev data, a
 * platform it does not support), libcudaobj moves the data itself, the way
 * cuFile's compatibility mode would: `pread()`/`pwrite()` through host
 * memory and copies to or from the device, stream-ordered for the `_async`
 * methods. [property@CudaObj.FileHandle:cufile] is then %FALSE, and the
 * reason is logged with `g_debug()` (`G_MESSAGES_DEBUG=CudaObj`).
 *
 * Open a path with [ctor@CudaObj.FileHandle.new] or wrap an open file
 * descriptor with [ctor@CudaObj.FileHandle.new_for_fd]. Paths are opened
 * with `O_DIRECT`, which GPUDirect Storage needs, where the file system
 * allows it, and without it elsewhere (tmpfs, overlay file systems);
 * [property@CudaObj.FileHandle:direct] says which.
 *
 * [method@CudaObj.FileHandle.read] and [method@CudaObj.FileHandle.write]
 * block until the data moved. [method@CudaObj.FileHandle.read_async] and
 * [method@CudaObj.FileHandle.write_async] are ordered on a
 * [class@CudaObj.Stream] (`cuFileReadAsync`, `cuFileWriteAsync`): they run
 * once the stream's earlier work finished, later work on the stream sees
 * their data, and the number of bytes moved is given to the callback in the
 * caller's main context.
 *
 * cuFile (`libcufile.so.0`) is found by the loader on first use: the
 * nvidia-cufile wheel, the toolkit, the system search, or
 * `CUDA_OBJ_CUFILE_LIBRARY`; without it construction fails with
 * %CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND. The cuFile driver is opened once per
 * process and stays open: cuFile closes it at exit. A process whose
 * cuFile driver would not open uses libcudaobj's own path for every file.
 *
 * Threads: reads and writes may run from several threads at once.
 *
 * A handle made with a plain constructor and never initialized has no
 * file: its methods fail with %CUDA_OBJ_ERROR_NOT_INITIALIZED.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (CudaObjFileHandle, cuda_obj_file_handle, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cuda_obj_file_handle_initable_iface_init))

#if CUDA_OBJ_HAVE_CUFILE
/* The POSIX path: pread()/pwrite() need no O_DIRECT (whose alignment rules
 * they could not meet for any offset and size), so the file gets an open
 * file description of its own without it. */
static gboolean
use_posix (CudaObjFileHandle *self, GError **error)
{
  int flags = fcntl (self->fd, F_GETFL);
  g_autofree char *proc_path = NULL;
  int fd;

  if (flags >= 0 && (flags & O_DIRECT) != 0)
    {
      proc_path = g_strdup_printf ("/proc/self/fd/%d", self->fd);
      fd = open (proc_path, (flags & O_ACCMODE) | O_CLOEXEC);
      if (fd < 0)
        {
          int saved_errno = errno;
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO,
                       "cuFile refused %s and it cannot be reopened without O_DIRECT: %s",
                       self->path != NULL ? self->path : "the file", g_strerror (saved_errno));
          return FALSE;
        }
      close (self->fd);
      self->fd = fd;
      self->direct = FALSE;
    }
  self->posix = TRUE;
  self->compat_mode = TRUE;
  return TRUE;
}

static GMutex driver_lock;
static gboolean driver_open;
static gboolean driver_refused;

static gboolean
cufile_check (CUfileError_t status, const char *call, GError **error)
{
  int code;

  if (G_LIKELY (status.err == CU_FILE_SUCCESS))
    return TRUE;
  if (status.err == CU_FILE_CUDA_DRIVER_ERROR)
    return cuda_obj_check (status.cu_err, call, error);
  switch (status.err)
    {
    /* cuFile cannot serve this machine or file the way it is set up. */
    case CU_FILE_PLATFORM_NOT_SUPPORTED:
    case CU_FILE_DEVICE_NOT_SUPPORTED:
    case CU_FILE_IO_NOT_SUPPORTED:
    case CU_FILE_DRIVER_NOT_INITIALIZED:
    case CU_FILE_INVALID_FILE_OPEN_FLAG:
    case CU_FILE_DIO_NOT_SET: code = CUDA_OBJ_ERROR_NOT_SUPPORTED; break;
    default: code = CUDA_OBJ_ERROR_IO; break;
    }
  g_set_error (error, CUDA_OBJ_ERROR, code, "%s: %s", call, cufileop_status_error (status.err));
  return FALSE;
}

/* The cuFile table once its driver is open, or with *@refused set when
 * cuFile's driver would not open (then files go through the POSIX path).
 * Closing the driver again when the last handle goes would make the next
 * open pay its setup again, and cuFile releases it at exit anyway. */
static const CudaObjCuFile *
cufile_open (gboolean *refused, GError **error)
{
  const CudaObjCuFile *cufile = cuda_obj_cufile_get (error);
  g_autoptr (GMutexLocker) locker = NULL;

  if (cufile == NULL)
    return NULL;
  locker = g_mutex_locker_new (&driver_lock);
  if (!driver_open && !driver_refused)
    {
      /* cuFile uses CUDA underneath: the driver must be initialized. */
      const CudaObjDriver *drv = cuda_obj_driver_get (error);
      CUfileError_t status;

      if (drv == NULL || !cuda_obj_check (drv->cuInit (0), "cuInit", error))
        return NULL;
      status = cufile->cuFileDriverOpen ();
      if (status.err == CU_FILE_CUDA_DRIVER_ERROR)
        {
          cufile_check (status, "cuFileDriverOpen", error);
          return NULL;
        }
      driver_open = status.err == CU_FILE_SUCCESS;
      driver_refused = !driver_open;
      if (driver_refused)
        g_debug ("cuFileDriverOpen: %s; files go through host memory without cuFile",
                 cufileop_status_error (status.err));
    }
  if (refused != NULL)
    *refused = driver_refused;
  return cufile;
}

/* POSIX compatibility mode: forced by cuFile's configuration, or without
 * the nvidia-fs kernel driver (which reports no version then). */
static gboolean
cufile_compat_mode (const CudaObjCuFile *cufile)
{
  CUfileDrvProps_t props = { 0 };
  bool forced = false;

  if (cufile->cuFileGetParameterBool != NULL
      && cufile->cuFileGetParameterBool (CUFILE_PARAM_FORCE_COMPAT_MODE, &forced).err == CU_FILE_SUCCESS
      && forced)
    return TRUE;
  if (cufile->cuFileDriverGetProperties (&props).err != CU_FILE_SUCCESS)
    return TRUE;
  return props.nvfs.major_version == 0 && props.nvfs.minor_version == 0;
}

/* Registers the file with cuFile, or chooses the POSIX path when cuFile
 * refuses it for reasons of the machine, file system or file. */
static gboolean
cufile_register (CudaObjFileHandle *self, GError **error)
{
  gboolean refused = FALSE;
  const CudaObjCuFile *cufile = cufile_open (&refused, error);
  CUfileDescr_t descr = { 0 };
  CUfileHandle_t handle = NULL;
  CUfileError_t status;

  if (cufile == NULL)
    return FALSE;
  if (refused)
    return use_posix (self, error);
  descr.type = CU_FILE_HANDLE_TYPE_OPAQUE_FD;
  descr.handle.fd = self->fd;
  status = cufile->cuFileHandleRegister (&handle, &descr);
  if (status.err == CU_FILE_CUDA_DRIVER_ERROR)
    return cufile_check (status, "cuFileHandleRegister", error);
  if (status.err != CU_FILE_SUCCESS)
    {
      g_debug ("cuFileHandleRegister (%s): %s; the file goes through host memory without cuFile",
               self->path != NULL ? self->path : "a file descriptor", cufileop_status_error (status.err));
      return use_posix (self, error);
    }
  self->cufile = handle;
  self->compat_mode = cufile_compat_mode (cufile);
  return TRUE;
}

static void
cufile_deregister (gpointer handle)
{
  cuda_obj_cufile_get (NULL)->cuFileHandleDeregister (handle);
}

/* cuFile's answer for an I/O call: bytes, -1 with errno, or -CUfileOpError. */
static gboolean
io_check (ssize_t result, int saved_errno, const char *call, GError **error)
{
  if (result >= 0)
    return TRUE;
  if (result == -1)
    g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO, "%s: %s", call, g_strerror (saved_errno));
  else
    g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO, "%s: %s", call, CUFILE_ERRSTR (result));
  return FALSE;
}
#else
static gboolean
cufile_register (CudaObjFileHandle *self, GError **error)
{
  g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_NOT_SUPPORTED,
                       "libcudaobj was built without cufile.h, so it cannot do GPU file I/O: rebuild it with "
                       "cuFile's header (-Dcufile_include_dir)");
  return FALSE;
}

static void
cufile_deregister (gpointer handle)
{
}
#endif

/* Deregisters and closes once closed and no stream still has to reach an
 * operation on the file; called with the lock held. */
static void
release_locked (CudaObjFileHandle *self)
{
  if (!self->closed || self->pending > 0)
    return;
  if (self->cufile != NULL)
    cufile_deregister (self->cufile);
  self->cufile = NULL;
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
}

static void
close_fd (CudaObjFileHandle *self)
{
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
}

static gboolean
open_path (CudaObjFileHandle *self, GError **error)
{
  int flags = (self->writable ? O_RDWR | O_CREAT : O_RDONLY) | O_CLOEXEC;

  /* File systems without direct I/O (tmpfs, overlayfs) refuse O_DIRECT with EINVAL. */
  self->fd = open (self->path, flags | O_DIRECT, 0666);
  self->direct = self->fd >= 0;
  if (self->fd < 0 && errno == EINVAL)
    self->fd = open (self->path, flags, 0666);
  if (self->fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO, "Cannot open %s for %s: %s", self->path,
                   self->writable ? "reading and writing" : "reading", g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static gboolean
adopt_fd (CudaObjFileHandle *self, GError **error)
{
  struct stat st;
  int fd = self->fd, flags;

  self->fd = -1;
  if (fd < 0 || fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%d is not the file descriptor of a regular file: cuFile reads and writes regular files",
                   fd);
      return FALSE;
    }
  flags = fcntl (fd, F_GETFL);
  /* Our own descriptor, so that the caller may close theirs. */
  self->fd = fcntl (fd, F_DUPFD_CLOEXEC, 3);
  if (self->fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO, "Cannot duplicate file descriptor %d: %s", fd,
                   g_strerror (saved_errno));
      return FALSE;
    }
  self->writable = (flags & O_ACCMODE) != O_RDONLY;
  self->direct = (flags & O_DIRECT) != 0;
  return TRUE;
}

static gboolean
cuda_obj_file_handle_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  CudaObjFileHandle *self = CUDA_OBJ_FILE_HANDLE (initable);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (self->initialized)
    return TRUE;
  if ((self->path == NULL) == (self->fd < 0))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "A FileHandle needs either a path or a file descriptor: set exactly one of "
                           "CudaObjFileHandle:path and CudaObjFileHandle:fd");
      return FALSE;
    }
  if (self->path != NULL && *self->path == '\0')
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                           "A FileHandle's path is empty: expected the path of a file");
      return FALSE;
    }
  /* A file to read or a descriptor is checked before cuFile is loaded, so
   * that their errors show on any machine; a file to write is created only
   * once cuFile is there. */
  if (self->path == NULL ? !adopt_fd (self, error) : !self->writable && !open_path (self, error))
    return FALSE;
#if CUDA_OBJ_HAVE_CUFILE
  if (cufile_open (NULL, error) == NULL)
    {
      close_fd (self);
      return FALSE;
    }
#endif
  if ((self->fd < 0 && !open_path (self, error)) || !cufile_register (self, error))
    {
      close_fd (self);
      return FALSE;
    }
  self->initialized = TRUE;
  return TRUE;
}

static void
cuda_obj_file_handle_initable_iface_init (GInitableIface *iface)
{
  iface->init = cuda_obj_file_handle_initable_init;
}

static void
cuda_obj_file_handle_finalize (GObject *object)
{
  CudaObjFileHandle *self = CUDA_OBJ_FILE_HANDLE (object);

  /* Pending operations hold a reference: none is left here. */
  self->closed = TRUE;
  release_locked (self);
  g_free (self->path);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (cuda_obj_file_handle_parent_class)->finalize (object);
}

static void
cuda_obj_file_handle_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjFileHandle *self = CUDA_OBJ_FILE_HANDLE (object);

  switch (prop_id)
    {
    case PROP_PATH: g_value_set_string (value, self->path); break;
    case PROP_FD: g_value_set_int (value, self->initialized && !self->closed ? self->fd : -1); break;
    case PROP_WRITABLE: g_value_set_boolean (value, self->writable); break;
    case PROP_DIRECT: g_value_set_boolean (value, self->direct); break;
    case PROP_COMPAT_MODE: g_value_set_boolean (value, self->compat_mode); break;
    case PROP_CUFILE: g_value_set_boolean (value, cuda_obj_file_handle_get_cufile (self)); break;
    case PROP_SIZE: g_value_set_uint64 (value, cuda_obj_file_handle_get_size (self)); break;
    case PROP_CLOSED: g_value_set_boolean (value, cuda_obj_file_handle_get_closed (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_file_handle_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjFileHandle *self = CUDA_OBJ_FILE_HANDLE (object);

  switch (prop_id)
    {
    case PROP_PATH: self->path = g_value_dup_string (value); break;
    case PROP_FD: self->fd = g_value_get_int (value); break;
    case PROP_WRITABLE: self->writable = g_value_get_boolean (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_file_handle_class_init (CudaObjFileHandleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags RO = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags CONSTRUCT
      = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = cuda_obj_file_handle_finalize;
  object_class->get_property = cuda_obj_file_handle_get_property;
  object_class->set_property = cuda_obj_file_handle_set_property;

  /**
   * CudaObjFileHandle:path:
   *
   * The path of the file to open, or %NULL for a handle made from a file
   * descriptor.
   *
   * Read it with [method@CudaObj.FileHandle.get_path].
   *
   * Since: 1.0
   */
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, CONSTRUCT);

  /**
   * CudaObjFileHandle:fd:
   *
   * At construction, an open file descriptor of a regular file to use
   * instead of a path; the handle uses a duplicate of it, so the caller may
   * close theirs; negative values mean none. Read, it is the handle's own
   * descriptor, -1 once closed.
   *
   * Since: 1.0
   */
  properties[PROP_FD] = g_param_spec_int ("fd", NULL, NULL, G_MININT, G_MAXINT, -1, CONSTRUCT);

  /**
   * CudaObjFileHandle:writable:
   *
   * Whether the file is open for writing as well as reading. A path opened
   * writable is created when it does not exist (never truncated).
   *
   * Read it with [method@CudaObj.FileHandle.get_writable].
   *
   * Since: 1.0
   */
  properties[PROP_WRITABLE] = g_param_spec_boolean ("writable", NULL, NULL, FALSE, CONSTRUCT);

  /**
   * CudaObjFileHandle:direct:
   *
   * Whether the file is open with `O_DIRECT`, bypassing the page cache, as
   * GPUDirect Storage needs. Paths on file systems that refuse it are
   * opened without it.
   *
   * Read it with [method@CudaObj.FileHandle.get_direct].
   *
   * Since: 1.0
   */
  properties[PROP_DIRECT] = g_param_spec_boolean ("direct", NULL, NULL, FALSE, RO);

  /**
   * CudaObjFileHandle:compat-mode:
   *
   * Whether data moves through host memory rather than with GPUDirect
   * Storage: cuFile's POSIX compatibility mode (the nvidia-fs kernel driver
   * is absent or cuFile's configuration, `cufile.json`, forces it), or
   * libcudaobj's own path where cuFile refused the file
   * ([property@CudaObj.FileHandle:cufile] is %FALSE then). Data arrives
   * the same either way; only the speed differs.
   *
   * Read it with [method@CudaObj.FileHandle.get_compat_mode].
   *
   * Since: 1.0
   */
  properties[PROP_COMPAT_MODE] = g_param_spec_boolean ("compat-mode", NULL, NULL, FALSE, RO);

  /**
   * CudaObjFileHandle:cufile:
   *
   * Whether cuFile moves the file's data. %FALSE when cuFile is installed
   * but refused the file or the machine (its reason is logged with
   * `g_debug()`), so that libcudaobj reads and writes it itself with
   * `pread()`, `pwrite()` and copies through host memory; %FALSE also for a
   * handle that was never initialized.
   *
   * Read it with [method@CudaObj.FileHandle.get_cufile].
   *
   * Since: 1.0
   */
  properties[PROP_CUFILE] = g_param_spec_boolean ("cufile", NULL, NULL, FALSE, RO);

  /**
   * CudaObjFileHandle:size:
   *
   * The file's current size in bytes, asked of the file system at each
   * read of the property (no notification when it changes); 0 once closed.
   *
   * Read it with [method@CudaObj.FileHandle.get_size].
   *
   * Since: 1.0
   */
  properties[PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, RO);

  /**
   * CudaObjFileHandle:closed:
   *
   * Whether [method@CudaObj.FileHandle.close] was called (or the handle was
   * never initialized).
   *
   * Read it with [method@CudaObj.FileHandle.get_closed].
   *
   * Since: 1.0
   */
  properties[PROP_CLOSED] = g_param_spec_boolean ("closed", NULL, NULL, TRUE, RO);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_file_handle_init (CudaObjFileHandle *self)
{
  self->fd = -1;
  g_mutex_init (&self->lock);
}

/**
 * cuda_obj_file_handle_new:
 * @path: (type filename): the file to open
 * @writable: whether to open it for writing too, creating it if needed
 * @error: return location for a [struct@GLib.Error]
 *
 * Opens @path for cuFile (see [property@CudaObj.FileHandle:direct]).
 *
 * Returns: (transfer full): the handle, or %NULL with @error set
 *   (%CUDA_OBJ_ERROR_IO when the file cannot be opened,
 *   %CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND without cuFile,
 *   %CUDA_OBJ_ERROR_NOT_SUPPORTED when cuFile cannot serve the file or
 *   libcudaobj was built without its header)
 *
 * Since: 1.0
 */
CudaObjFileHandle *
cuda_obj_file_handle_new (const char *path, gboolean writable, GError **error)
{
  if (!cuda_obj_require_argument (path, error))
    return NULL;
  return g_initable_new (CUDA_OBJ_TYPE_FILE_HANDLE, NULL, error, "path", path, "writable", writable, NULL);
}

/**
 * cuda_obj_file_handle_new_for_fd:
 * @fd: an open file descriptor of a regular file
 * @error: return location for a [struct@GLib.Error]
 *
 * Makes a handle for the file @fd refers to; the handle keeps a duplicate
 * of @fd, so the caller still owns @fd. Open it with `O_DIRECT` for
 * GPUDirect Storage.
 *
 * Returns: (transfer full): the handle, or %NULL with @error set as for
 *   [ctor@CudaObj.FileHandle.new] (%CUDA_OBJ_ERROR_INVALID_ARGUMENT when @fd
 *   is not a regular file's)
 *
 * Since: 1.0
 */
CudaObjFileHandle *
cuda_obj_file_handle_new_for_fd (int fd, GError **error)
{
  if (fd < 0)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%d is not a file descriptor: expected an open one", fd);
      return NULL;
    }
  return g_initable_new (CUDA_OBJ_TYPE_FILE_HANDLE, NULL, error, "fd", fd, NULL);
}

/* Checks an I/O request; on success @base is the buffer's device address
 * and the lock is NOT held. */
static gboolean
check_io (CudaObjFileHandle *self, CudaObjBuffer *buffer, gsize size, goffset file_offset,
          gsize buffer_offset, gboolean write, const char *func, GError **error)
{
  gsize buffer_size;

  g_mutex_lock (&self->lock);
  if (!self->initialized)
    {
      g_mutex_unlock (&self->lock);
      return cuda_obj_set_not_initialized (error, self, func);
    }
  if (self->closed)
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "FileHandle %s is closed",
                   self->path != NULL ? self->path : "");
      return FALSE;
    }
  g_mutex_unlock (&self->lock);
  if (!cuda_obj_require_argument (buffer, error))
    return FALSE;
  if (cuda_obj_buffer_get_closed (buffer))
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_CLOSED, "The buffer is closed");
      return FALSE;
    }
  if (!cuda_obj_buffer_get_is_device_accessible (buffer))
    {
      g_set_error_literal (
          error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
          "cuFile moves data to and from device memory: the buffer is not device-accessible");
      return FALSE;
    }
  if (write && !self->writable)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "FileHandle %s is open for reading only: open it writable to write",
                   self->path ? self->path : "");
      return FALSE;
    }
  buffer_size = cuda_obj_buffer_get_size (buffer);
  if (buffer_offset > buffer_size || size > buffer_size - buffer_offset)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "%" G_GSIZE_FORMAT " bytes at offset %" G_GSIZE_FORMAT
                   " do not fit in a buffer of %" G_GSIZE_FORMAT " bytes",
                   size, buffer_offset, buffer_size);
      return FALSE;
    }
  if (file_offset < 0 || size > G_MAXSSIZE || (guint64) file_offset > (guint64) G_MAXINT64 - size)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "File offset %" G_GINT64_FORMAT " and size %" G_GSIZE_FORMAT
                   " are out of range: expected a non-negative offset",
                   (gint64) file_offset, size);
      return FALSE;
    }
  if (!write && (guint64) file_offset > cuda_obj_file_handle_get_size (self))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO,
                   "Cannot read at offset %" G_GINT64_FORMAT ": it is past the end of %s (%" G_GUINT64_FORMAT
                   " bytes)",
                   (gint64) file_offset, self->path ? self->path : "the file",
                   cuda_obj_file_handle_get_size (self));
      return FALSE;
    }
  return cuda_obj_device_activate (cuda_obj_buffer_get_device (buffer), error);
}

#if CUDA_OBJ_HAVE_CUFILE
/* The POSIX path's host side, usable on a driver thread (no CUDA calls):
 * the whole range, unless the file ends first; -1 with errno set. */
static gssize
posix_io (int fd, guint8 *data, gsize size, goffset offset, gboolean write)
{
  gsize done = 0;

  while (done < size)
    {
      ssize_t n = write ? pwrite (fd, data + done, size - done, offset + done)
                        : pread (fd, data + done, size - done, offset + done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        break;
      done += n;
    }
  return (gssize) done;
}

/* Blocking read or write on the POSIX path, through a bounded host buffer;
 * cuMemcpy, which infers the direction, also serves managed and pinned
 * buffers. */
static gssize
posix_transfer (CudaObjFileHandle *self, CudaObjBuffer *buffer, gsize size, goffset file_offset,
                gsize buffer_offset, gboolean write, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUdeviceptr base = (CUdeviceptr) cuda_obj_buffer_get_handle (buffer) + buffer_offset;
  g_autofree guint8 *bounce = g_malloc (MIN (size, POSIX_CHUNK));
  gsize done = 0;

  while (done < size)
    {
      gsize chunk = MIN (size - done, POSIX_CHUNK);
      gssize moved;

      if (write
          && !cuda_obj_check (drv->cuMemcpy ((CUdeviceptr) (guintptr) bounce, base + done, chunk), "cuMemcpy",
                              error))
        return -1;
      moved = posix_io (self->fd, bounce, chunk, file_offset + (goffset) done, write);
      if (moved < 0)
        {
          int saved_errno = errno;
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO, "%s: %s", write ? "pwrite" : "pread",
                       g_strerror (saved_errno));
          return -1;
        }
      if (!write && moved > 0
          && !cuda_obj_check (drv->cuMemcpy (base + done, (CUdeviceptr) (guintptr) bounce, moved), "cuMemcpy",
                              error))
        return -1;
      done += moved;
      if ((gsize) moved < chunk)
        break;
    }
  return (gssize) done;
}
#endif

static gssize
transfer (CudaObjFileHandle *self, CudaObjBuffer *buffer, gsize size, goffset file_offset,
          gsize buffer_offset, gboolean write, const char *func, GError **error)
{
#if CUDA_OBJ_HAVE_CUFILE
  const CudaObjCuFile *cufile;
  void *base;
  ssize_t result;
  int saved_errno;

  if (!check_io (self, buffer, size, file_offset, buffer_offset, write, func, error))
    return -1;
  if (size == 0)
    return 0;
  if (self->posix)
    return posix_transfer (self, buffer, size, file_offset, buffer_offset, write, error);
  cufile = cuda_obj_cufile_get (NULL);
  base = (void *) (guintptr) cuda_obj_buffer_get_handle (buffer);
  errno = 0;
  if (write)
    result = cufile->cuFileWrite (self->cufile, base, size, file_offset, (off_t) buffer_offset);
  else
    result = cufile->cuFileRead (self->cufile, base, size, file_offset, (off_t) buffer_offset);
  saved_errno = errno;
  if (!io_check (result, saved_errno, write ? "cuFileWrite" : "cuFileRead", error))
    return -1;
  return result;
#else
  return check_io (self, buffer, size, file_offset, buffer_offset, write, func, error) ? 0 : -1;
#endif
}

/**
 * cuda_obj_file_handle_read:
 * @self: a [class@CudaObj.FileHandle]
 * @buffer: the device-accessible [class@CudaObj.Buffer] to read into
 * @size: the number of bytes to read
 * @file_offset: where in the file to start
 * @buffer_offset: where in @buffer to put the first byte
 * @error: return location for a [struct@GLib.Error]
 *
 * Reads up to @size bytes of the file from @file_offset into @buffer at
 * @buffer_offset (`cuFileRead`), blocking until they arrived. Like
 * `read()`, fewer bytes arrive when the file ends first. The read is not
 * ordered with work on streams: synchronize the streams that use @buffer
 * first.
 *
 * Returns: the number of bytes read; -1 with @error set
 *   (%CUDA_OBJ_ERROR_IO when @file_offset is past the end of the file or the
 *   read failed, %CUDA_OBJ_ERROR_INVALID_ARGUMENT when the bytes do not fit
 *   in @buffer, %CUDA_OBJ_ERROR_CLOSED for a closed handle or buffer)
 *
 * Since: 1.0
 */
gssize
cuda_obj_file_handle_read (CudaObjFileHandle *self, CudaObjBuffer *buffer, gsize size, goffset file_offset,
                           gsize buffer_offset, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_FILE_HANDLE (self), -1);
  return transfer (self, buffer, size, file_offset, buffer_offset, FALSE, G_STRFUNC, error);
}

/**
 * cuda_obj_file_handle_write:
 * @self: a writable [class@CudaObj.FileHandle]
 * @buffer: the device-accessible [class@CudaObj.Buffer] to write from
 * @size: the number of bytes to write
 * @file_offset: where in the file to write them
 * @buffer_offset: where in @buffer the first byte is
 * @error: return location for a [struct@GLib.Error]
 *
 * Writes @size bytes of @buffer from @buffer_offset into the file at
 * @file_offset (`cuFileWrite`), extending the file as needed, blocking
 * until they were written. Not ordered with work on streams.
 *
 * Returns: the number of bytes written; -1 with @error set as for
 *   [method@CudaObj.FileHandle.read] (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for a
 *   handle open for reading only)
 *
 * Since: 1.0
 */
gssize
cuda_obj_file_handle_write (CudaObjFileHandle *self, CudaObjBuffer *buffer, gsize size, goffset file_offset,
                            gsize buffer_offset, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_FILE_HANDLE (self), -1);
  return transfer (self, buffer, size, file_offset, buffer_offset, TRUE, G_STRFUNC, error);
}

#if CUDA_OBJ_HAVE_CUFILE
/* What cuFileReadAsync and cuFileWriteAsync read and write when the stream
 * reaches them, not when they are called: it lives until the task is
 * finalized, after the stream passed the host function behind it. */
typedef struct
{
  CudaObjFileHandle *handle; /* owned */
  CudaObjBuffer *buffer;     /* owned */
  CudaObjStream *stream;     /* owned */
  GTask *task;               /* owned until the host function's completion */
  size_t size;
  off_t file_offset;
  off_t buffer_offset;
  ssize_t bytes;
  int saved_errno; /* the POSIX path's, when bytes is -1 */
  gboolean write;
  void *staging;    /* the POSIX path's pinned host copy of the data */
  gboolean prefill; /* the POSIX path's read: staging starts as the buffer's bytes */
} AsyncIO;

static void
async_io_free (AsyncIO *io)
{
  g_mutex_lock (&io->handle->lock);
  io->handle->pending--;
  release_locked (io->handle);
  g_mutex_unlock (&io->handle->lock);
  g_object_unref (io->handle);
  g_object_unref (io->buffer);
  g_object_unref (io->stream);
  if (io->staging != NULL)
    cuda_obj_driver_peek ()->cuMemFreeHost (io->staging);
  g_free (io);
}

/* In the task's main context: a GTask must be completed (and its data,
 * which holds objects whose disposal calls CUDA, freed) away from the
 * driver thread that ran the host function. */
static gboolean
complete_in_context (gpointer user_data)
{
  AsyncIO *io = user_data;
  GTask *task = g_steal_pointer (&io->task);

  if (io->bytes < 0)
    {
      GError *error = NULL;
      const char *call = io->staging != NULL ? (io->write ? "pwrite" : "pread")
                                             : (io->write ? "cuFileWriteAsync" : "cuFileReadAsync");
      io_check (io->bytes, io->saved_errno != 0 ? io->saved_errno : EIO, call, &error);
      g_task_return_error (task, error);
    }
  else
    g_task_return_int (task, io->bytes);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* On a driver thread, once the stream passed the cuFile operation: no
 * CUDA calls and no object releases here. */
static void CUDA_CB
host_done (void *user_data)
{
  AsyncIO *io = user_data;

  g_main_context_invoke (g_task_get_context (io->task), complete_in_context, io);
}

/* The POSIX path's file side, on a driver thread once the stream got
 * there: a read fills the staging copy, which the stream then copies to
 * the buffer; a write takes the staging copy the stream made and
 * completes the task. */
static void CUDA_CB
posix_host_read (void *user_data)
{
  AsyncIO *io = user_data;

  io->bytes = posix_io (io->handle->fd, io->staging, io->size, io->file_offset, FALSE);
  io->saved_errno = io->bytes < 0 ? errno : 0;
}

static void CUDA_CB
posix_host_write (void *user_data)
{
  AsyncIO *io = user_data;

  io->bytes = posix_io (io->handle->fd, io->staging, io->size, io->file_offset, TRUE);
  io->saved_errno = io->bytes < 0 ? errno : 0;
  host_done (io);
}

/* Enqueues the POSIX path's steps on @handle; FALSE with @error set when
 * the driver refused one (the caller then waits for the stream). A read
 * copies the whole staging range back, so that bytes past the end of the
 * file keep the buffer's values when io->prefill put them there first. */
static gboolean
posix_enqueue (AsyncIO *io, CUstream handle, GError **error)
{
  const CudaObjDriver *drv = cuda_obj_driver_peek ();
  CUdeviceptr base = (CUdeviceptr) cuda_obj_buffer_get_handle (io->buffer) + io->buffer_offset;
  CUdeviceptr staging = (CUdeviceptr) (guintptr) io->staging;

  if (io->write)
    return (io->size == 0
            || cuda_obj_check (drv->cuMemcpyAsync (staging, base, io->size, handle), "cuMemcpyAsync", error))
           && cuda_obj_check (drv->cuLaunchHostFunc (handle, posix_host_write, io), "cuLaunchHostFunc",
                              error);
  return (!io->prefill || io->size == 0
          || cuda_obj_check (drv->cuMemcpyAsync (staging, base, io->size, handle), "cuMemcpyAsync", error))
         && cuda_obj_check (drv->cuLaunchHostFunc (handle, posix_host_read, io), "cuLaunchHostFunc", error)
         && (io->size == 0
             || cuda_obj_check (drv->cuMemcpyAsync (base, staging, io->size, handle), "cuMemcpyAsync", error))
         && cuda_obj_check (drv->cuLaunchHostFunc (handle, host_done, io), "cuLaunchHostFunc", error);
}
#endif

static void
transfer_async (CudaObjFileHandle *self, CudaObjBuffer *buffer, gsize size, goffset file_offset,
                gsize buffer_offset, CudaObjStream *stream, gboolean write, GCancellable *cancellable,
                GAsyncReadyCallback callback, gpointer user_data, gpointer source_tag, const char *func)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  CUstream handle;
#if CUDA_OBJ_HAVE_CUFILE
  const CudaObjCuFile *cufile;
  const CudaObjDriver *drv;
  AsyncIO *io;
  CUfileError_t status;
  CUresult result;
#endif

  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, write ? "[cudaobj] file write" : "[cudaobj] file read");
  if (g_task_return_error_if_cancelled (task))
    return;
  if (!check_io (self, buffer, size, file_offset, buffer_offset, write, func, &error)
      || !cuda_obj_require_argument (stream, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!cuda_obj_stream_prepare (stream, &handle, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (cuda_obj_stream_peek_device (stream) != cuda_obj_buffer_get_device (buffer))
    {
      g_task_return_new_error (task, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                               "The stream and the buffer belong to different devices: use a stream of the "
                               "buffer's device");
      return;
    }
#if CUDA_OBJ_HAVE_CUFILE
  cufile = cuda_obj_cufile_get (NULL);
  drv = cuda_obj_driver_peek ();
  io = g_new0 (AsyncIO, 1);
  io->handle = g_object_ref (self);
  io->buffer = g_object_ref (buffer);
  io->stream = g_object_ref (stream);
  io->size = size;
  io->file_offset = file_offset;
  io->buffer_offset = (off_t) buffer_offset;
  io->write = write;
  g_mutex_lock (&self->lock);
  self->pending++;
  g_mutex_unlock (&self->lock);
  g_task_set_task_data (task, io, (GDestroyNotify) async_io_free);

  if (self->posix)
    {
      /* A read whose range the file does not hold yet (a write ahead of it
       * on the stream may extend the file) copies the buffer's bytes in
       * first, so that those past the end stay as they were. */
      io->prefill = !write && (guint64) file_offset + size > cuda_obj_file_handle_get_size (self);
      io->task = g_object_ref (task);
      if (!cuda_obj_check (drv->cuMemHostAlloc (&io->staging, MAX (io->size, 1), 0), "cuMemHostAlloc", &error)
          || !posix_enqueue (io, handle, &error))
        {
          /* host_done, the last step, was not enqueued. */
          g_clear_object (&io->task);
          drv->cuStreamSynchronize (handle);
          g_task_return_error (task, error);
        }
      return;
    }
  if (write)
    status = cufile->cuFileWriteAsync (self->cufile, (void *) (guintptr) cuda_obj_buffer_get_handle (buffer),
                                       &io->size, &io->file_offset, &io->buffer_offset, &io->bytes, handle);
  else
    status = cufile->cuFileReadAsync (self->cufile, (void *) (guintptr) cuda_obj_buffer_get_handle (buffer),
                                      &io->size, &io->file_offset, &io->buffer_offset, &io->bytes, handle);
  if (!cufile_check (status, write ? "cuFileWriteAsync" : "cuFileReadAsync", &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Once the stream gets here the operation finished and io->bytes is set. */
  io->task = g_object_ref (task);
  result = drv->cuLaunchHostFunc (handle, host_done, io);
  if (!cuda_obj_check (result, "cuLaunchHostFunc", &error))
    {
      g_clear_object (&io->task);
      /* The operation is enqueued and will use @io: wait for it before
       * the task data goes. */
      drv->cuStreamSynchronize (handle);
      g_task_return_error (task, error);
    }
#else
  g_task_return_int (task, 0);
#endif
}

static gssize
transfer_finish (CudaObjFileHandle *self, GAsyncResult *result, gpointer source_tag, const char *func,
                 GError **error)
{
  if (!cuda_obj_check_task (result, self, source_tag, func, error))
    return -1;
  return g_task_propagate_int (G_TASK (result), error);
}

/**
 * cuda_obj_file_handle_read_async:
 * @self: a [class@CudaObj.FileHandle]
 * @buffer: the device-accessible [class@CudaObj.Buffer] to read into
 * @size: the number of bytes to read
 * @file_offset: where in the file to start
 * @buffer_offset: where in @buffer to put the first byte
 * @stream: the [class@CudaObj.Stream] to order the read on, of @buffer's device
 * @cancellable: (nullable): a [class@Gio.Cancellable], checked before the
 *   read is enqueued; an enqueued read is not cancelled
 * @callback: (scope async): called in the caller's thread-default main
 *   context once the stream finished the read
 * @user_data: data for @callback
 *
 * Reads like [method@CudaObj.FileHandle.read], ordered on @stream
 * (`cuFileReadAsync`): the read runs once the work submitted to @stream
 * before it finished, and work submitted after it sees the data. The call
 * returns at once. The handle, @buffer and @stream are kept alive until the
 * stream passed the read. If the stream's work fails before it gets there,
 * @callback is never called. Get the result with
 * [method@CudaObj.FileHandle.read_finish].
 *
 * Since: 1.0
 */
void
cuda_obj_file_handle_read_async (CudaObjFileHandle *self, CudaObjBuffer *buffer, gsize size,
                                 goffset file_offset, gsize buffer_offset, CudaObjStream *stream,
                                 GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (CUDA_OBJ_IS_FILE_HANDLE (self));
  transfer_async (self, buffer, size, file_offset, buffer_offset, stream, FALSE, cancellable, callback,
                  user_data, cuda_obj_file_handle_read_async, G_STRFUNC);
}

/**
 * cuda_obj_file_handle_read_finish:
 * @self: a [class@CudaObj.FileHandle]
 * @result: the [iface@Gio.AsyncResult] given to the callback
 * @error: return location for a [struct@GLib.Error]
 *
 * Finishes [method@CudaObj.FileHandle.read_async].
 *
 * Returns: the number of bytes read; -1 with @error set as for
 *   [method@CudaObj.FileHandle.read] (%G_IO_ERROR_CANCELLED when cancelled
 *   before it was enqueued)
 *
 * Since: 1.0
 */
gssize
cuda_obj_file_handle_read_finish (CudaObjFileHandle *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_FILE_HANDLE (self), -1);
  return transfer_finish (self, result, cuda_obj_file_handle_read_async, G_STRFUNC, error);
}

/**
 * cuda_obj_file_handle_write_async:
 * @self: a writable [class@CudaObj.FileHandle]
 * @buffer: the device-accessible [class@CudaObj.Buffer] to write from
 * @size: the number of bytes to write
 * @file_offset: where in the file to write them
 * @buffer_offset: where in @buffer the first byte is
 * @stream: the [class@CudaObj.Stream] to order the write on, of @buffer's device
 * @cancellable: (nullable): a [class@Gio.Cancellable], checked before the
 *   write is enqueued
 * @callback: (scope async): called in the caller's thread-default main
 *   context once the stream finished the write
 * @user_data: data for @callback
 *
 * Writes like [method@CudaObj.FileHandle.write], ordered on @stream
 * (`cuFileWriteAsync`): the data written is what @buffer holds once the
 * work submitted to @stream before it finished. See
 * [method@CudaObj.FileHandle.read_async] for the rest. Get the result with
 * [method@CudaObj.FileHandle.write_finish].
 *
 * Since: 1.0
 */
void
cuda_obj_file_handle_write_async (CudaObjFileHandle *self, CudaObjBuffer *buffer, gsize size,
                                  goffset file_offset, gsize buffer_offset, CudaObjStream *stream,
                                  GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (CUDA_OBJ_IS_FILE_HANDLE (self));
  transfer_async (self, buffer, size, file_offset, buffer_offset, stream, TRUE, cancellable, callback,
                  user_data, cuda_obj_file_handle_write_async, G_STRFUNC);
}

/**
 * cuda_obj_file_handle_write_finish:
 * @self: a [class@CudaObj.FileHandle]
 * @result: the [iface@Gio.AsyncResult] given to the callback
 * @error: return location for a [struct@GLib.Error]
 *
 * Finishes [method@CudaObj.FileHandle.write_async].
 *
 * Returns: the number of bytes written; -1 with @error set as for
 *   [method@CudaObj.FileHandle.write]
 *
 * Since: 1.0
 */
gssize
cuda_obj_file_handle_write_finish (CudaObjFileHandle *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_FILE_HANDLE (self), -1);
  return transfer_finish (self, result, cuda_obj_file_handle_write_async, G_STRFUNC, error);
}

/**
 * cuda_obj_file_handle_close:
 * @self: a [class@CudaObj.FileHandle]
 * @error: return location for a [struct@GLib.Error]
 *
 * Closes the handle: later reads and writes fail with
 * %CUDA_OBJ_ERROR_CLOSED. The file is deregistered from cuFile and closed
 * once the streams passed the stream-ordered operations already enqueued.
 * Closing again does nothing.
 *
 * Returns: %TRUE; %FALSE with @error set for a handle that was never
 *   initialized (%CUDA_OBJ_ERROR_NOT_INITIALIZED)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_file_handle_close (CudaObjFileHandle *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_FILE_HANDLE (self), FALSE);
  locker = g_mutex_locker_new (&self->lock);
  if (!self->initialized)
    return cuda_obj_set_not_initialized (error, self, G_STRFUNC);
  if (self->closed)
    return TRUE;
  self->closed = TRUE;
  release_locked (self);
  g_clear_pointer (&locker, g_mutex_locker_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);
  return TRUE;
}

/**
 * cuda_obj_file_handle_get_path:
 * @self: a [class@CudaObj.FileHandle]
 *
 * Gives [property@CudaObj.FileHandle:path].
 *
 * Returns: (nullable) (type filename): the path, %NULL for a handle made from a file descriptor
 *
 * Since: 1.0
 */
const char *
cuda_obj_file_handle_get_path (CudaObjFileHandle *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_FILE_HANDLE (self), NULL);
  return self->path;
}

/**
 * cuda_obj_file_handle_get_writable:
 * @self: a [class@CudaObj.FileHandle]
 *
 * Gives [property@CudaObj.FileHandle:writable].
 *
 * Returns: whether the file is open for writing
 *
 * Since: 1.0
 */
gboolean
cuda_obj_file_handle_get_writable (CudaObjFileHandle *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_FILE_HANDLE (self), FALSE);
  return self->writable;
}

/**
 * cuda_obj_file_handle_get_direct:
 * @self: a [class@CudaObj.FileHandle]
 *
 * Gives [property@CudaObj.FileHandle:direct].
 *
 * Returns: whether the file is open with `O_DIRECT`
 *
 * Since: 1.0
 */
gboolean
cuda_obj_file_handle_get_direct (CudaObjFileHandle *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_FILE_HANDLE (self), FALSE);
  return self->direct;
}

/**
 * cuda_obj_file_handle_get_compat_mode:
 * @self: a [class@CudaObj.FileHandle]
 *
 * Gives [property@CudaObj.FileHandle:compat-mode].
 *
 * Returns: whether data moves through host memory rather than with
 *   GPUDirect Storage
 *
 * Since: 1.0
 */
gboolean
cuda_obj_file_handle_get_compat_mode (CudaObjFileHandle *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_FILE_HANDLE (self), FALSE);
  return self->compat_mode;
}

/**
 * cuda_obj_file_handle_get_cufile:
 * @self: a [class@CudaObj.FileHandle]
 *
 * Gives [property@CudaObj.FileHandle:cufile].
 *
 * Returns: whether cuFile moves the file's data (%FALSE where libcudaobj
 *   does it itself)
 *
 * Since: 1.0
 */
gboolean
cuda_obj_file_handle_get_cufile (CudaObjFileHandle *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_FILE_HANDLE (self), FALSE);
  return self->initialized && !self->posix;
}

/**
 * cuda_obj_file_handle_get_size:
 * @self: a [class@CudaObj.FileHandle]
 *
 * Gives [property@CudaObj.FileHandle:size].
 *
 * Returns: the file's size in bytes, 0 once closed
 *
 * Since: 1.0
 */
guint64
cuda_obj_file_handle_get_size (CudaObjFileHandle *self)
{
  g_autoptr (GMutexLocker) locker = NULL;
  struct stat st;

  g_return_val_if_fail (CUDA_OBJ_IS_FILE_HANDLE (self), 0);
  locker = g_mutex_locker_new (&self->lock);
  if (!self->initialized || self->closed || self->fd < 0 || fstat (self->fd, &st) != 0)
    return 0;
  return (guint64) st.st_size;
}

/**
 * cuda_obj_file_handle_get_closed:
 * @self: a [class@CudaObj.FileHandle]
 *
 * Gives [property@CudaObj.FileHandle:closed].
 *
 * Returns: whether the handle is closed or was never initialized
 *
 * Since: 1.0
 */
gboolean
cuda_obj_file_handle_get_closed (CudaObjFileHandle *self)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_FILE_HANDLE (self), TRUE);
  locker = g_mutex_locker_new (&self->lock);
  return !self->initialized || self->closed;
}
