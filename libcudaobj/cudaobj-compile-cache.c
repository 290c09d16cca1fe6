/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: the on-disk cache of compiled programs.
 *
 * One file per entry, named by the entry's key (a SHA-256 in hex), holding
 * a fixed header (magic, format version, payload length, SHA-256 of the
 * payload) and the payload. Entries are written to a temporary file in the
 * same directory and renamed into place, so that readers, in this process
 * or another, see a whole entry or none; a damaged or truncated entry (a
 * crash before the data reached the disk, a full disk) fails the header's
 * checks and is removed and recompiled. A hit touches the
 * entry's modification time, which makes eviction least-recently-used:
 * after each store, the oldest entries go while the cache is over its size.
 *
 * The payload, what a compile stores, is a GVariant of the object code, its
 * name expressions and lowered names, and the log; its codec is at the end
 * of this file.
 *
 * In front of the disk, each cache object keeps the payloads it read or
 * wrote most recently, with the identity of their files (device, inode,
 * size, modification time): a lookup whose file is unchanged costs a stat
 * instead of a read and a checksum, and a file replaced, removed or touched
 * by anyone else falls back to the disk. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "cudaobj-compile-cache.h"
#include "cudaobj-compile-cache-private.h"
#include "cudaobj-enum-types.h"

#define ENTRY_MAGIC "CUOBJCC\001"
#define ENTRY_VERSION 1
#define ENTRY_SUFFIX ".entry"
#define HEADER_SIZE (8 + 4 + 4 + 8 + 32)
#define DEFAULT_MAX_SIZE (G_GUINT64_CONSTANT (256) * 1024 * 1024)
/* What the in-memory layer holds at most. */
#define RECENT_MAX_ENTRIES 64
#define RECENT_MAX_BYTES (G_GUINT64_CONSTANT (64) * 1024 * 1024)
/* A hit refreshes its entry's time (the eviction order) at most this often. */
#define TOUCH_INTERVAL_SECONDS 1
/* Temporary files left by a writer that died are removed after this long. */
#define STALE_TEMPORARY_SECONDS (60 * 60)

struct _CudaObjCompileCache
{
  GObject parent_instance;

  char *directory;
  GMutex lock; /* the fields below, and eviction */
  gboolean enabled;
  guint64 max_size;
  guint64 hits;
  guint64 misses;
  GHashTable *recent;   /* key → Recent: payloads read or written lately */
  GQueue recent_order;  /* their keys, oldest first */
  guint64 recent_bytes; /* the payloads' sizes added up */
};

/* A payload kept in memory, and the file it came from or went to. */
typedef struct
{
  char *key; /* owned here; the table's key and the queue's link point to it */
  GBytes *payload;
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime;
} Recent;

enum
{
  PROP_0,
  PROP_DIRECTORY,
  PROP_ENABLED,
  PROP_MAX_SIZE,
  PROP_HITS,
  PROP_MISSES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * CudaObjCompileCache:
 *
 * An on-disk cache of compiled programs, shared by the processes that use
 * the same directory, which makes a repeated [method@CudaObj.Program.compile] cost
 * a file read instead of a compile.
 *
 * Programs use the default cache ([func@CudaObj.CompileCache.get_default])
 * unless given another ([property@CudaObj.Program:cache]) or told not to
 * ([property@CudaObj.Program:use-cache]). The default cache lives in
 * `$XDG_CACHE_HOME/libcudaobj/compile` (usually `~/.cache/libcudaobj/compile`),
 * or in `$CUDA_OBJ_CACHE_DIR`; `CUDA_OBJ_CACHE=0` turns it off and
 * `CUDA_OBJ_CACHE_MAX_SIZE` sets its size (bytes, or with a K, M or G suffix).
 *
 * An entry's key covers everything that changes the compiler's output: the
 * code, its kind and the target, the rendered options (with the resolved
 * architecture), the name expressions, in-memory headers by content, and the
 * compiler's version and file. Headers found through include paths are known
 * by their directory only: turn the cache off, or clear it, while editing such
 * headers.
 *
 * Each cache object keeps the entries it read or wrote lately in memory
 * too (up to 64 entries, 64 MiB): a hit on one of those costs a check that
 * its file is unchanged instead of a read. A [class@CudaObj.Program]
 * compiled again with nothing changed returns the same
 * [class@CudaObj.ObjectCode] as last time after that check, in a few
 * microseconds.
 *
 * Entries are written atomically and carry a checksum, so concurrent
 * processes never read a partial entry and a damaged one is recompiled. The
 * cache stays under [property@CudaObj.CompileCache:max-size] by evicting the least
 * recently used entries.
 *
 * A cache is safe to use from several threads.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjCompileCache, cuda_obj_compile_cache, G_TYPE_OBJECT)

static void
recent_free (gpointer data)
{
  Recent *recent = data;

  g_bytes_unref (recent->payload);
  g_free (recent->key);
  g_free (recent);
}

/* Forgets @key's payload. Called with the lock held. */
static void
recent_forget (CudaObjCompileCache *self, const char *key)
{
  Recent *recent = g_hash_table_lookup (self->recent, key);

  if (recent == NULL)
    return;
  g_queue_remove (&self->recent_order, recent->key);
  self->recent_bytes -= g_bytes_get_size (recent->payload);
  g_hash_table_remove (self->recent, key);
}

/* Forgets every payload. Called with the lock held. */
static void
recent_forget_all (CudaObjCompileCache *self)
{
  g_queue_clear (&self->recent_order);
  g_hash_table_remove_all (self->recent);
  self->recent_bytes = 0;
}

/* Keeps @payload as @key's, the file at @path being as stat() found it in
 * @st; the oldest go while the layer is over its bounds. Called with the
 * lock held. */
static void
recent_keep (CudaObjCompileCache *self, const char *key, GBytes *payload, const struct stat *st)
{
  Recent *recent;
  gsize size = g_bytes_get_size (payload);

  recent_forget (self, key);
  if (size > RECENT_MAX_BYTES)
    return;
  while (self->recent_order.length >= RECENT_MAX_ENTRIES || self->recent_bytes + size > RECENT_MAX_BYTES)
    recent_forget (self, g_queue_peek_head (&self->recent_order));
  recent = g_new0 (Recent, 1);
  recent->key = g_strdup (key);
  recent->payload = g_bytes_ref (payload);
  recent->dev = st->st_dev;
  recent->ino = st->st_ino;
  recent->size = st->st_size;
  recent->mtime = st->st_mtim;
  g_hash_table_insert (self->recent, recent->key, recent);
  g_queue_push_tail (&self->recent_order, recent->key);
  self->recent_bytes += size;
}

static gboolean
same_file (const Recent *recent, const struct stat *st)
{
  return recent->dev == st->st_dev && recent->ino == st->st_ino && recent->size == st->st_size
         && recent->mtime.tv_sec == st->st_mtim.tv_sec && recent->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static void
cuda_obj_compile_cache_finalize (GObject *object)
{
  CudaObjCompileCache *self = CUDA_OBJ_COMPILE_CACHE (object);

  g_free (self->directory);
  g_hash_table_unref (self->recent);
  g_queue_clear (&self->recent_order);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (cuda_obj_compile_cache_parent_class)->finalize (object);
}

static void
cuda_obj_compile_cache_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjCompileCache *self = CUDA_OBJ_COMPILE_CACHE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY: g_value_set_string (value, self->directory); break;
    case PROP_ENABLED: g_value_set_boolean (value, cuda_obj_compile_cache_get_enabled (self)); break;
    case PROP_MAX_SIZE: g_value_set_uint64 (value, cuda_obj_compile_cache_get_max_size (self)); break;
    case PROP_HITS: g_value_set_uint64 (value, cuda_obj_compile_cache_get_hits (self)); break;
    case PROP_MISSES: g_value_set_uint64 (value, cuda_obj_compile_cache_get_misses (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_compile_cache_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjCompileCache *self = CUDA_OBJ_COMPILE_CACHE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_free (self->directory);
      self->directory = g_value_dup_string (value);
      break;
    case PROP_ENABLED: cuda_obj_compile_cache_set_enabled (self, g_value_get_boolean (value)); break;
    case PROP_MAX_SIZE: cuda_obj_compile_cache_set_max_size (self, g_value_get_uint64 (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cuda_obj_compile_cache_constructed (GObject *object)
{
  CudaObjCompileCache *self = CUDA_OBJ_COMPILE_CACHE (object);

  G_OBJECT_CLASS (cuda_obj_compile_cache_parent_class)->constructed (object);
  if (self->directory == NULL || *self->directory == '\0')
    {
      g_free (self->directory);
      self->directory = g_build_filename (g_get_user_cache_dir (), "libcudaobj", "compile", NULL);
    }
}

static void
cuda_obj_compile_cache_class_init (CudaObjCompileCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cuda_obj_compile_cache_finalize;
  object_class->constructed = cuda_obj_compile_cache_constructed;
  object_class->get_property = cuda_obj_compile_cache_get_property;
  object_class->set_property = cuda_obj_compile_cache_set_property;

  /**
   * CudaObjCompileCache:directory:
   *
   * The directory of the cache's entries, made on first store;
   * `$XDG_CACHE_HOME/libcudaobj/compile` when not given.
   *
   * Read it with [method@CudaObj.CompileCache.get_directory].
   *
   * Since: 1.0
   */
  properties[PROP_DIRECTORY] = g_param_spec_string (
      "directory", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * CudaObjCompileCache:enabled:
   *
   * Whether programs using this cache read and write it.
   *
   * Read it with [method@CudaObj.CompileCache.get_enabled] and
   * change it with [method@CudaObj.CompileCache.set_enabled].
   *
   * Since: 1.0
   */
  properties[PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, TRUE, rw);
  /**
   * CudaObjCompileCache:max-size:
   *
   * The most bytes the cache's entries may take; the least recently used
   * entries are removed when a store goes over. 0 stores nothing.
   *
   * Read it with [method@CudaObj.CompileCache.get_max_size] and
   * change it with [method@CudaObj.CompileCache.set_max_size].
   *
   * Since: 1.0
   */
  properties[PROP_MAX_SIZE]
      = g_param_spec_uint64 ("max-size", NULL, NULL, 0, G_MAXUINT64, DEFAULT_MAX_SIZE, rw);
  /**
   * CudaObjCompileCache:hits:
   *
   * How many lookups found a valid entry (and so skipped the compiler)
   * since the cache object was made or its counters reset. Not notified.
   *
   * Read it with [method@CudaObj.CompileCache.get_hits].
   *
   * Since: 1.0
   */
  properties[PROP_HITS] = g_param_spec_uint64 ("hits", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  /**
   * CudaObjCompileCache:misses:
   *
   * How many lookups found no valid entry (and so compiled); a damaged
   * entry counts as a miss. Not notified.
   *
   * Read it with [method@CudaObj.CompileCache.get_misses].
   *
   * Since: 1.0
   */
  properties[PROP_MISSES] = g_param_spec_uint64 ("misses", NULL, NULL, 0, G_MAXUINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_compile_cache_init (CudaObjCompileCache *self)
{
  g_mutex_init (&self->lock);
  self->recent = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, recent_free);
  g_queue_init (&self->recent_order);
  self->enabled = TRUE;
  self->max_size = DEFAULT_MAX_SIZE;
}

/**
 * cuda_obj_compile_cache_new:
 * @directory: (type filename) (nullable): the cache's directory, or %NULL
 *   for `$XDG_CACHE_HOME/libcudaobj/compile`
 *
 * Makes a cache object for a directory, made when the first entry is
 * stored. Several cache objects, in one process or many, may share a
 * directory; each counts its own hits and misses.
 *
 * Returns: (transfer full): the cache
 *
 * Since: 1.0
 */
CudaObjCompileCache *
cuda_obj_compile_cache_new (const char *directory)
{
  return g_object_new (CUDA_OBJ_TYPE_COMPILE_CACHE, "directory", directory, NULL);
}

static gboolean
parse_size (const char *text, guint64 *size)
{
  guint64 value = 0;
  char *end = NULL;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  errno = 0;
  value = g_ascii_strtoull (text, &end, 10);
  if (errno != 0)
    return FALSE;
  switch (g_ascii_toupper (*end))
    {
    case 'G': value *= 1024; G_GNUC_FALLTHROUGH;
    case 'M': value *= 1024; G_GNUC_FALLTHROUGH;
    case 'K':
      value *= 1024;
      end++;
      break;
    case '\0': break;
    default: return FALSE;
    }
  if (*end == 'B' || *end == 'b')
    end++;
  if (*end != '\0')
    return FALSE;
  *size = value;
  return TRUE;
}

CudaObjCompileCache *
cuda_obj_compile_cache_new_from_environment (void)
{
  const char *directory = g_getenv ("CUDA_OBJ_CACHE_DIR");
  const char *switch_ = g_getenv ("CUDA_OBJ_CACHE");
  const char *max_size = g_getenv ("CUDA_OBJ_CACHE_MAX_SIZE");
  CudaObjCompileCache *self;
  guint64 size;

  self = cuda_obj_compile_cache_new (directory != NULL && *directory != '\0' ? directory : NULL);
  if (switch_ != NULL
      && (g_str_equal (switch_, "0") || g_ascii_strcasecmp (switch_, "off") == 0
          || g_ascii_strcasecmp (switch_, "no") == 0 || g_ascii_strcasecmp (switch_, "false") == 0))
    self->enabled = FALSE;
  if (max_size != NULL)
    {
      if (parse_size (max_size, &size))
        self->max_size = size;
      else
        g_debug ("Ignoring CUDA_OBJ_CACHE_MAX_SIZE=%s: not a size such as 268435456, 512M or 1G", max_size);
    }
  return self;
}

/**
 * cuda_obj_compile_cache_get_default:
 *
 * Gives the cache programs use unless told otherwise, configured once from
 * the environment: `$CUDA_OBJ_CACHE_DIR` (default
 * `$XDG_CACHE_HOME/libcudaobj/compile`), `CUDA_OBJ_CACHE=0` to turn it off,
 * `CUDA_OBJ_CACHE_MAX_SIZE` (default 256M).
 *
 * Returns: (transfer none): the default cache
 *
 * Since: 1.0
 */
CudaObjCompileCache *
cuda_obj_compile_cache_get_default (void)
{
  static gsize once = 0;
  static CudaObjCompileCache *default_cache;

  if (g_once_init_enter (&once))
    {
      default_cache = cuda_obj_compile_cache_new_from_environment ();
      g_once_init_leave (&once, 1);
    }
  return default_cache;
}

/**
 * cuda_obj_compile_cache_get_directory:
 * @self: a [class@CudaObj.CompileCache]
 *
 * Gives the cache's directory, [property@CudaObj.CompileCache:directory].
 *
 * Returns: (type filename): the cache's directory, [property@CudaObj.CompileCache:directory]
 *
 * Since: 1.0
 */
const char *
cuda_obj_compile_cache_get_directory (CudaObjCompileCache *self)
{
  g_return_val_if_fail (CUDA_OBJ_IS_COMPILE_CACHE (self), NULL);
  return self->directory;
}

/**
 * cuda_obj_compile_cache_get_enabled:
 * @self: a [class@CudaObj.CompileCache]
 *
 * Gives whether programs read and write this cache, [property@CudaObj.CompileCache:enabled].
 *
 * Returns: whether programs read and write this cache, [property@CudaObj.CompileCache:enabled]
 *
 * Since: 1.0
 */
gboolean
cuda_obj_compile_cache_get_enabled (CudaObjCompileCache *self)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_COMPILE_CACHE (self), FALSE);
  locker = g_mutex_locker_new (&self->lock);
  return self->enabled;
}

/**
 * cuda_obj_compile_cache_set_enabled:
 * @self: a [class@CudaObj.CompileCache]
 * @enabled: whether programs should read and write this cache
 *
 * Turns the cache on or off for every program that uses it.
 *
 * Since: 1.0
 */
void
cuda_obj_compile_cache_set_enabled (CudaObjCompileCache *self, gboolean enabled)
{
  gboolean changed;

  g_return_if_fail (CUDA_OBJ_IS_COMPILE_CACHE (self));
  g_mutex_lock (&self->lock);
  changed = self->enabled != !!enabled;
  self->enabled = !!enabled;
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

/**
 * cuda_obj_compile_cache_get_max_size:
 * @self: a [class@CudaObj.CompileCache]
 *
 * Gives the most bytes the entries may take, [property@CudaObj.CompileCache:max-size].
 *
 * Returns: the most bytes the entries may take, [property@CudaObj.CompileCache:max-size]
 *
 * Since: 1.0
 */
guint64
cuda_obj_compile_cache_get_max_size (CudaObjCompileCache *self)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_COMPILE_CACHE (self), 0);
  locker = g_mutex_locker_new (&self->lock);
  return self->max_size;
}

/**
 * cuda_obj_compile_cache_set_max_size:
 * @self: a [class@CudaObj.CompileCache]
 * @max_size: the most bytes the entries may take
 *
 * Bounds the cache's size; takes effect at the next store.
 *
 * Since: 1.0
 */
void
cuda_obj_compile_cache_set_max_size (CudaObjCompileCache *self, guint64 max_size)
{
  gboolean changed;

  g_return_if_fail (CUDA_OBJ_IS_COMPILE_CACHE (self));
  g_mutex_lock (&self->lock);
  changed = self->max_size != max_size;
  self->max_size = max_size;
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_SIZE]);
}

/**
 * cuda_obj_compile_cache_get_hits:
 * @self: a [class@CudaObj.CompileCache]
 *
 * Gives how many lookups found an entry, [property@CudaObj.CompileCache:hits].
 *
 * Returns: how many lookups found an entry, [property@CudaObj.CompileCache:hits]
 *
 * Since: 1.0
 */
guint64
cuda_obj_compile_cache_get_hits (CudaObjCompileCache *self)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_COMPILE_CACHE (self), 0);
  locker = g_mutex_locker_new (&self->lock);
  return self->hits;
}

/**
 * cuda_obj_compile_cache_get_misses:
 * @self: a [class@CudaObj.CompileCache]
 *
 * Gives how many lookups found no valid entry, [property@CudaObj.CompileCache:misses].
 *
 * Returns: how many lookups found no valid entry, [property@CudaObj.CompileCache:misses]
 *
 * Since: 1.0
 */
guint64
cuda_obj_compile_cache_get_misses (CudaObjCompileCache *self)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_COMPILE_CACHE (self), 0);
  locker = g_mutex_locker_new (&self->lock);
  return self->misses;
}

/**
 * cuda_obj_compile_cache_reset_counters:
 * @self: a [class@CudaObj.CompileCache]
 *
 * Sets [property@CudaObj.CompileCache:hits] and [property@CudaObj.CompileCache:misses] back to 0.
 *
 * Since: 1.0
 */
void
cuda_obj_compile_cache_reset_counters (CudaObjCompileCache *self)
{
  g_return_if_fail (CUDA_OBJ_IS_COMPILE_CACHE (self));
  g_mutex_lock (&self->lock);
  self->hits = self->misses = 0;
  g_mutex_unlock (&self->lock);
}

char *
cuda_obj_compile_cache_get_entry_path (CudaObjCompileCache *self, const char *key)
{
  g_autofree char *name = g_strconcat (key, ENTRY_SUFFIX, NULL);
  return g_build_filename (self->directory, name, NULL);
}

static void
count (CudaObjCompileCache *self, gboolean hit)
{
  g_mutex_lock (&self->lock);
  if (hit)
    self->hits++;
  else
    self->misses++;
  g_mutex_unlock (&self->lock);
}

static guint64
read_le64 (const guchar *p)
{
  guint64 value = 0;
  for (int i = 7; i >= 0; i--)
    value = value << 8 | p[i];
  return value;
}

static void
write_le64 (guchar *p, guint64 value)
{
  for (int i = 0; i < 8; i++, value >>= 8)
    p[i] = value & 0xff;
}

static void
payload_digest (const guchar *payload, gsize size, guint8 digest[32])
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize length = 32;

  g_checksum_update (checksum, payload, size);
  g_checksum_get_digest (checksum, digest, &length);
}

/* The payload of a whole, undamaged entry; NULL with a reason otherwise. */
static GBytes *
parse_entry (GBytes *entry, const char **why)
{
  gsize size = 0;
  const guchar *data = g_bytes_get_data (entry, &size);
  guint8 digest[32];
  guint64 payload_size;

  if (size < HEADER_SIZE || memcmp (data, ENTRY_MAGIC, 8) != 0)
    {
      *why = "no entry header";
      return NULL;
    }
  if ((data[8] | data[9] << 8 | data[10] << 16 | (guint32) data[11] << 24) != ENTRY_VERSION)
    {
      *why = "another format version";
      return NULL;
    }
  payload_size = read_le64 (data + 16);
  if (payload_size != size - HEADER_SIZE)
    {
      *why = payload_size > size - HEADER_SIZE ? "truncated" : "trailing bytes";
      return NULL;
    }
  payload_digest (data + HEADER_SIZE, payload_size, digest);
  if (memcmp (digest, data + 24, 32) != 0)
    {
      *why = "checksum mismatch";
      return NULL;
    }
  return g_bytes_new_from_bytes (entry, HEADER_SIZE, payload_size);
}

/* Marks @path recently used (eviction goes by modification time), at most
 * once a second, and records the file's new state in @st. */
static void
touch (const char *path, struct stat *st)
{
  struct timespec now;

  clock_gettime (CLOCK_REALTIME, &now);
  if (now.tv_sec - st->st_mtim.tv_sec < TOUCH_INTERVAL_SECONDS)
    return;
  if (utimensat (AT_FDCWD, path, NULL, 0) != 0 || stat (path, st) != 0)
    memset (st, 0, sizeof *st);
}

/* The payload in memory for @key when its file is still the one it came
 * from, else NULL. */
static GBytes *
lookup_recent (CudaObjCompileCache *self, const char *key, const char *path)
{
  struct stat st;
  Recent *recent;
  GBytes *payload = NULL;

  g_mutex_lock (&self->lock);
  recent = g_hash_table_lookup (self->recent, key);
  if (recent != NULL && stat (path, &st) == 0 && same_file (recent, &st))
    {
      payload = g_bytes_ref (recent->payload);
      touch (path, &st);
      recent->mtime = st.st_mtim;
      self->hits++;
    }
  else if (recent != NULL)
    recent_forget (self, key);
  g_mutex_unlock (&self->lock);
  return payload;
}

gboolean
cuda_obj_compile_cache_lookup_unchanged (CudaObjCompileCache *self, const char *key)
{
  g_autofree char *path = cuda_obj_compile_cache_get_entry_path (self, key);
  g_autoptr (GBytes) payload = lookup_recent (self, key, path);

  return payload != NULL;
}

GBytes *
cuda_obj_compile_cache_lookup (CudaObjCompileCache *self, const char *key)
{
  g_autofree char *path = cuda_obj_compile_cache_get_entry_path (self, key);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) entry = NULL;
  g_autofree char *contents = NULL;
  GBytes *payload;
  const char *why = NULL;
  gsize length = 0;
  struct stat st = { 0 };

  if ((payload = lookup_recent (self, key, path)) != NULL)
    return payload;
  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("Compile cache: cannot read %s: %s", path, error->message);
      count (self, FALSE);
      return NULL;
    }
  entry = g_bytes_new_take (g_steal_pointer (&contents), length);
  payload = parse_entry (entry, &why);
  if (payload == NULL)
    {
      g_debug ("Compile cache: removing damaged entry %s (%s)", path, why);
      g_unlink (path);
      count (self, FALSE);
      return NULL;
    }
  /* Recently used: eviction goes by modification time. */
  if (utimensat (AT_FDCWD, path, NULL, 0) == 0 && stat (path, &st) == 0 && (gsize) st.st_size == length)
    {
      g_mutex_lock (&self->lock);
      recent_keep (self, key, payload, &st);
      g_mutex_unlock (&self->lock);
    }
  count (self, TRUE);
  return payload;
}

typedef struct
{
  char *path;
  guint64 size;
  struct timespec mtime;
} Entry;

static void
entry_free (gpointer data)
{
  Entry *entry = data;
  g_free (entry->path);
  g_free (entry);
}

static int
compare_age (gconstpointer a, gconstpointer b)
{
  const Entry *x = *(Entry *const *) a, *y = *(Entry *const *) b;

  if (x->mtime.tv_sec != y->mtime.tv_sec)
    return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
  if (x->mtime.tv_nsec != y->mtime.tv_nsec)
    return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
  return strcmp (x->path, y->path);
}

/* The entries in the directory, removing temporary files writers left behind. */
static GPtrArray *
list_entries (CudaObjCompileCache *self, guint64 *total)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr (GDir) dir = g_dir_open (self->directory, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  *total = 0;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->directory, name, NULL);
      gboolean is_entry = g_str_has_suffix (name, ENTRY_SUFFIX);
      gboolean is_temporary = strstr (name, ENTRY_SUFFIX ".") != NULL;
      struct stat st;
      Entry *entry;

      if ((!is_entry && !is_temporary) || g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      if (is_temporary)
        {
          if (now - st.st_mtime > STALE_TEMPORARY_SECONDS)
            g_unlink (path);
          continue;
        }
      entry = g_new0 (Entry, 1);
      entry->path = g_steal_pointer (&path);
      entry->size = st.st_size;
      entry->mtime = st.st_mtim;
      *total += entry->size;
      g_ptr_array_add (entries, entry);
    }
  return entries;
}

static void
evict (CudaObjCompileCache *self, guint64 max_size)
{
  g_autoptr (GPtrArray) entries = NULL;
  guint64 total = 0;

  entries = list_entries (self, &total);
  if (total <= max_size)
    return;
  g_ptr_array_sort (entries, compare_age);
  for (guint i = 0; i < entries->len && total > max_size; i++)
    {
      Entry *entry = entries->pdata[i];
      /* Another process may have removed it already: that counts too. */
      if (g_unlink (entry->path) == 0 || errno == ENOENT)
        total -= entry->size;
    }
}

/* Writes a temporary file in the same directory and renames it into place,
 * so that readers see the old entry, the new one, or none. Not synced to
 * disk: an entry a crash leaves incomplete fails its checksum, and is then
 * compiled again, which costs less than an fsync of every entry. */
static gboolean
write_atomically (const char *path, const guchar *data, gsize size, GError **error)
{
  g_autofree char *temporary = g_strconcat (path, ".XXXXXX", NULL);
  int fd = g_mkstemp_full (temporary, O_WRONLY | O_CLOEXEC, 0600);
  gsize written = 0;
  int saved_errno;

  if (fd < 0)
    goto failed;
  while (written < size)
    {
      gssize n = write (fd, data + written, size - written);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      written += n;
    }
  if (written < size)
    {
      saved_errno = errno;
      close (fd);
      g_unlink (temporary);
      errno = saved_errno;
      goto failed;
    }
  if (close (fd) != 0 || g_rename (temporary, path) != 0)
    {
      saved_errno = errno;
      g_unlink (temporary);
      errno = saved_errno;
      goto failed;
    }
  return TRUE;

failed:
  saved_errno = errno;
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", temporary,
               g_strerror (saved_errno));
  return FALSE;
}

void
cuda_obj_compile_cache_store (CudaObjCompileCache *self, const char *key, GBytes *payload)
{
  g_autofree char *path = cuda_obj_compile_cache_get_entry_path (self, key);
  g_autoptr (GError) error = NULL;
  g_autofree guchar *entry = NULL;
  gsize payload_size = 0;
  const guchar *payload_data = g_bytes_get_data (payload, &payload_size);
  guint64 max_size = cuda_obj_compile_cache_get_max_size (self);
  guint8 digest[32];
  struct stat st;

  if (HEADER_SIZE + payload_size > max_size)
    return;
  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    {
      g_debug ("Compile cache: cannot make %s: %s", self->directory, g_strerror (errno));
      return;
    }

  entry = g_malloc (HEADER_SIZE + payload_size);
  memcpy (entry, ENTRY_MAGIC, 8);
  entry[8] = ENTRY_VERSION;
  entry[9] = entry[10] = entry[11] = 0;
  memset (entry + 12, 0, 4);
  write_le64 (entry + 16, payload_size);
  payload_digest (payload_data, payload_size, digest);
  memcpy (entry + 24, digest, 32);
  memcpy (entry + HEADER_SIZE, payload_data, payload_size);

  if (!write_atomically (path, entry, HEADER_SIZE + payload_size, &error))
    {
      g_debug ("Compile cache: cannot write %s: %s", path, error->message);
      return;
    }

  g_mutex_lock (&self->lock);
  if (stat (path, &st) == 0)
    recent_keep (self, key, payload, &st);
  evict (self, max_size);
  g_mutex_unlock (&self->lock);
}

/**
 * cuda_obj_compile_cache_get_size:
 * @self: a [class@CudaObj.CompileCache]
 *
 * Adds up the sizes of the entries now on disk.
 *
 * Returns: the cache's size in bytes
 *
 * Since: 1.0
 */
guint64
cuda_obj_compile_cache_get_size (CudaObjCompileCache *self)
{
  g_autoptr (GPtrArray) entries = NULL;
  guint64 total = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_COMPILE_CACHE (self), 0);
  entries = list_entries (self, &total);
  return total;
}

/**
 * cuda_obj_compile_cache_get_n_entries:
 * @self: a [class@CudaObj.CompileCache]
 *
 * Counts the entries now on disk.
 *
 * Returns: the number of entries
 *
 * Since: 1.0
 */
guint
cuda_obj_compile_cache_get_n_entries (CudaObjCompileCache *self)
{
  g_autoptr (GPtrArray) entries = NULL;
  guint64 total = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_COMPILE_CACHE (self), 0);
  entries = list_entries (self, &total);
  return entries->len;
}

/**
 * cuda_obj_compile_cache_clear:
 * @self: a [class@CudaObj.CompileCache]
 * @error: return location for a [struct@GLib.Error]
 *
 * Removes every entry of the cache from disk; the directory stays.
 *
 * Returns: %TRUE on success; %FALSE with @error set (%CUDA_OBJ_ERROR_IO)
 *   when an entry could not be removed
 *
 * Since: 1.0
 */
gboolean
cuda_obj_compile_cache_clear (CudaObjCompileCache *self, GError **error)
{
  g_autoptr (GPtrArray) entries = NULL;
  guint64 total = 0;

  g_return_val_if_fail (CUDA_OBJ_IS_COMPILE_CACHE (self), FALSE);
  g_mutex_lock (&self->lock);
  recent_forget_all (self);
  g_mutex_unlock (&self->lock);
  entries = list_entries (self, &total);
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = entries->pdata[i];
      if (g_unlink (entry->path) != 0 && errno != ENOENT)
        {
          int saved = errno;
          g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_IO, "Cannot remove %s: %s", entry->path,
                       g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The payload: what a compile stores in an entry. */

#define PAYLOAD_TYPE "(usasasay)"

GBytes *
cuda_obj_compile_cache_encode_payload (const CudaObjCompilePayload *payload)
{
  g_autoptr (GVariant) variant = NULL;
  const char *const none[] = { NULL };
  gsize size = 0;
  const void *data = g_bytes_get_data (payload->code, &size);

  variant = g_variant_ref_sink (
      g_variant_new ("(us^as^as@ay)", (guint32) payload->code_type, payload->log != NULL ? payload->log : "",
                     payload->name_expressions != NULL ? payload->name_expressions : (char **) none,
                     payload->lowered_names != NULL ? payload->lowered_names : (char **) none,
                     g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data, size, 1)));
  return g_variant_get_data_as_bytes (variant);
}

gboolean
cuda_obj_compile_cache_decode_payload (const guint8 *data, gsize size, CudaObjCompilePayload *payload,
                                       GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GVariant) variant = NULL;
  g_autoptr (GVariant) code = NULL;
  g_autoptr (GEnumClass) code_types = NULL;
  g_auto (GStrv) names = NULL, lowered = NULL;
  g_autofree char *log = NULL;
  guint32 code_type = 0;

  /* A copy: GVariant wants its data aligned, and the caller's may not be. */
  bytes = g_bytes_new (size > 0 ? data : NULL, size);
  /* Not trusted: GVariant then reads any bytes safely, as defaults where
   * they do not parse. */
  variant = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (PAYLOAD_TYPE), bytes, FALSE));
  g_variant_get (variant, "(us^as^as@ay)", &code_type, &log, &names, &lowered, &code);

  code_types = g_type_class_ref (CUDA_OBJ_TYPE_CODE_TYPE);
  if (code_type > G_MAXINT || g_enum_get_value (code_types, (int) code_type) == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED,
                   "Damaged compile cache payload: %u is not a code type", code_type);
      return FALSE;
    }
  if (g_strv_length (names) != g_strv_length (lowered))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED,
                   "Damaged compile cache payload: %u name expressions but %u lowered names",
                   g_strv_length (names), g_strv_length (lowered));
      return FALSE;
    }
  if (g_variant_n_children (code) == 0)
    {
      g_set_error_literal (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_FAILED,
                           "Damaged compile cache payload: no code");
      return FALSE;
    }

  payload->code_type = code_type;
  payload->log = g_steal_pointer (&log);
  payload->name_expressions = g_steal_pointer (&names);
  payload->lowered_names = g_steal_pointer (&lowered);
  payload->code = g_variant_get_data_as_bytes (code);
  return TRUE;
}

void
cuda_obj_compile_payload_clear (CudaObjCompilePayload *payload)
{
  g_clear_pointer (&payload->log, g_free);
  g_clear_pointer (&payload->name_expressions, g_strfreev);
  g_clear_pointer (&payload->lowered_names, g_strfreev);
  g_clear_pointer (&payload->code, g_bytes_unref);
}
