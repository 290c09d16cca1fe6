// SPDX-License-Identifier: LGPL-2.1-or-later
// FileHandle from Vala: errors, and a round trip through a file on a GPU.
using CudaObj;

static void unexpected (GLib.Error e) {
    GLib.error ("unexpected error: %s", e.message);
}

static void test_errors () {
    try {
        new CudaObj.FileHandle ("/nonexistent/cudaobj-file", false);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.IO);
    }
    try {
        new CudaObj.FileHandle.for_fd (-1);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.INVALID_ARGUMENT);
    }
    var handle = (CudaObj.FileHandle) GLib.Object.new (typeof (CudaObj.FileHandle));
    try {
        handle.close ();
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.NOT_INITIALIZED);
    }
    assert (handle.closed);
}

static void test_round_trip () {
    CudaObj.Device device;
    try {
        if (CudaObj.Device.get_count () == 0) {
            GLib.Test.skip ("the CUDA driver found no device");
            return;
        }
        device = CudaObj.Device.get (0);
    } catch (GLib.Error e) {
        GLib.Test.skip ("no usable CUDA driver: " + e.message);
        return;
    }
    string dir;
    try {
        dir = GLib.DirUtils.make_tmp ("cudaobj-file-XXXXXX");
    } catch (GLib.Error e) {
        unexpected (e);
        return;
    }
    var path = GLib.Path.build_filename (dir, "data");
    CudaObj.FileHandle handle;
    try {
        handle = new CudaObj.FileHandle (path, true);
    } catch (GLib.Error e) {
        GLib.DirUtils.remove (dir);
        if (e is CudaObj.Error.LIBRARY_NOT_FOUND || e is CudaObj.Error.NOT_SUPPORTED) {
            GLib.Test.skip (e.message);
            return;
        }
        unexpected (e);
        return;
    }
    try {
        var data = new uint8[100000];
        for (int i = 0; i < data.length; i++)
            data[i] = (uint8) (i * 7 + i / 251);
        var resource = new CudaObj.SyncMemoryResource (device);
        var src = resource.allocate (data.length, null);
        var dst = resource.allocate (data.length, null);
        src.copy_from_bytes (new GLib.Bytes (data), 0, null);
        assert (handle.write (src, data.length, 0, 0) == data.length);
        assert (handle.size == data.length);
        assert (handle.read (dst, data.length, 0, 0) == data.length);
        var back = dst.copy_to_bytes (0, -1, null);
        assert (GLib.Memory.cmp (back.get_data (), data, data.length) == 0);
        handle.close ();
        assert (handle.closed);
    } catch (GLib.Error e) {
        unexpected (e);
    }
    GLib.FileUtils.unlink (path);
    GLib.DirUtils.remove (dir);
}

int main (string[] args) {
    GLib.Test.init (ref args);
    GLib.Test.add_func ("/vala/file-handle/errors", test_errors);
    GLib.Test.add_func ("/vala/file-handle/round-trip", test_round_trip);
    return GLib.Test.run ();
}
