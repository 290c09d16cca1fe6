// SPDX-License-Identifier: LGPL-2.1-or-later
// Graphs and host callbacks from Vala.
using CudaObj;

const int N = 1024; // 32-bit elements

static CudaObj.Device? device_or_skip () {
    uint count;
    try {
        count = CudaObj.Device.get_count ();
    } catch (GLib.Error e) {
        GLib.Test.skip ("no usable CUDA driver: " + e.message);
        return null;
    }
    if (count == 0) {
        GLib.Test.skip ("the CUDA driver found no device");
        return null;
    }
    try {
        return CudaObj.Device.get (0);
    } catch (GLib.Error e) {
        unexpected (e);
        return null;
    }
}

static void unexpected (GLib.Error e) {
    GLib.error ("unexpected error: %s", e.message);
}

// Iterates the default main context until done () holds, failing after 30 s.
delegate bool Done ();

static void run_loop_until (Done done) {
    var loop = new GLib.MainLoop (null, false);
    var timeout = GLib.Timeout.add_seconds (30, () => {
        GLib.error ("timed out waiting for the GPU");
    });
    GLib.Timeout.add (5, () => {
        if (!done ())
            return GLib.Source.CONTINUE;
        loop.quit ();
        return GLib.Source.REMOVE;
    });
    loop.run ();
    GLib.Source.remove (timeout);
}

// Whether every element of the buffer is value.
static bool all_equal (CudaObj.Buffer buffer, CudaObj.Stream stream, uint32 value) throws GLib.Error {
    var bytes = buffer.copy_to_bytes (0, -1, stream);
    unowned uint8[] data = bytes.get_data ();
    for (int i = 0; i + 4 <= data.length; i += 4) {
        uint32 element = 0;
        GLib.Memory.copy (&element, &data[i], 4);
        if (element != value)
            return false;
    }
    return data.length == N * 4;
}

static CudaObj.Buffer new_buffer (CudaObj.Device device, CudaObj.Stream stream) throws GLib.Error {
    var buffer = device.allocate (N * 4, stream);
    buffer.fill (0, 4, 0, N, stream);
    stream.synchronize ();
    return buffer;
}

static void test_construct () {
    try {
        GLib.Initable.new (typeof (CudaObj.GraphBuilder), null);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.INVALID_ARGUMENT);
    }
    try {
        GLib.Initable.new (typeof (CudaObj.Graph), null);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.INVALID_ARGUMENT);
        assert ("complete" in e.message);
    }
    assert ((int) CudaObj.CaptureMode.THREAD_LOCAL == 1);
    assert ((int) CudaObj.GraphInstantiateFlags.USE_NODE_PRIORITY == 8);
}

static void test_capture_replay_update () {
    var device = device_or_skip ();
    if (device == null)
        return;
    try {
        var stream = device.create_stream ();
        var a = new_buffer (device, stream);
        var b = new_buffer (device, stream);
        var builder = new CudaObj.GraphBuilder (stream, CudaObj.CaptureMode.GLOBAL);
        assert (builder.capturing && builder.stream == stream);
        a.fill (7, 4, 0, N, stream);
        a.copy_to (b, 0, 0, N * 4, stream);
        assert (builder.get_node_count () == 2);
        builder.end ();
        assert (builder.ended && !builder.capturing);
        assert ("digraph" in builder.to_dot (false));
        assert (all_equal (b, stream, 0));

        var graph = builder.complete (CudaObj.GraphInstantiateFlags.NONE, stream);
        for (int i = 0; i < 3; i++) {
            b.fill (100 + i, 4, 0, N, stream);
            graph.launch (stream);
            assert (all_equal (b, stream, 7));
        }

        var again = new CudaObj.GraphBuilder (stream, CudaObj.CaptureMode.RELAXED);
        a.fill (8, 4, 0, N, stream);
        a.copy_to (b, 0, 0, N * 4, stream);
        again.end ();
        graph.update (again);
        graph.launch (stream);
        assert (all_equal (b, stream, 8));

        var other = new CudaObj.GraphBuilder (stream, CudaObj.CaptureMode.GLOBAL);
        a.fill (9, 4, 0, N, stream);
        other.end ();
        try {
            graph.update (other);
            assert_not_reached ();
        } catch (GLib.Error e) {
            assert (e is CudaObj.Error.INVALID_ARGUMENT);
            assert ("topology changed" in e.message);
        }
        b.fill (0, 4, 0, N, stream);
        graph.launch (stream);
        assert (all_equal (b, stream, 8));
    } catch (GLib.Error e) {
        unexpected (e);
    }
}

static void test_capture_error () {
    var device = device_or_skip ();
    if (device == null)
        return;
    try {
        var stream = device.create_stream ();
        var a = new_buffer (device, stream);
        var builder = new CudaObj.GraphBuilder (stream, CudaObj.CaptureMode.GLOBAL);
        a.fill (5, 4, 0, N, stream);
        try {
            stream.synchronize ();
            assert_not_reached ();
        } catch (GLib.Error e) {
            assert (e.domain == CudaObj.DriverError.quark ());
        }
        try {
            builder.end ();
            assert_not_reached ();
        } catch (GLib.Error e) {
            assert (e is CudaObj.DriverError.STREAM_CAPTURE_INVALIDATED);
        }
        assert (!builder.capturing);
        a.fill (6, 4, 0, N, stream);
        assert (all_equal (a, stream, 6));
    } catch (GLib.Error e) {
        unexpected (e);
    }
}

static void test_host_callbacks () {
    var device = device_or_skip ();
    if (device == null)
        return;
    try {
        var stream = device.create_stream ();
        var a = new_buffer (device, stream);
        unowned GLib.Thread<void*> main_thread = GLib.Thread.self<void*> ();
        int plain = 0;
        stream.add_callback (() => {
            assert (GLib.Thread.self<void*> () == main_thread);
            plain++;
        });
        run_loop_until (() => plain == 1);

        int replays = 0;
        var builder = new CudaObj.GraphBuilder (stream, CudaObj.CaptureMode.GLOBAL);
        a.fill (3, 4, 0, N, stream);
        stream.add_callback (() => {
            try {
                assert (all_equal (a, stream, 3));
            } catch (GLib.Error e) {
                unexpected (e);
            }
            replays++;
        });
        builder.end ();
        var graph = builder.complete (CudaObj.GraphInstantiateFlags.NONE, null);
        builder = null;
        for (int i = 0; i < 3; i++)
            graph.launch (stream);
        run_loop_until (() => replays == 3);
        assert (plain == 1);
    } catch (GLib.Error e) {
        unexpected (e);
    }
}

int main (string[] args) {
    GLib.Test.init (ref args);
    GLib.Test.add_func ("/vala/graph/construct", test_construct);
    GLib.Test.add_func ("/vala/graph/capture-replay-update", test_capture_replay_update);
    GLib.Test.add_func ("/vala/graph/capture-error", test_capture_error);
    GLib.Test.add_func ("/vala/graph/host-callbacks", test_host_callbacks);
    return GLib.Test.run ();
}
