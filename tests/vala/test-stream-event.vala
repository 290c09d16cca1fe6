// SPDX-License-Identifier: LGPL-2.1-or-later
// Streams and events from Vala.
using CudaObj;

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

static void run_loop (GLib.MainLoop loop) {
    var timeout = GLib.Timeout.add_seconds (30, () => {
        GLib.error ("timed out waiting for the GPU");
    });
    loop.run ();
    GLib.Source.remove (timeout);
}

static void test_construct_without_device () {
    bool have_driver = true;
    try {
        CudaObj.Library.DRIVER.load ();
    } catch (GLib.Error e) {
        have_driver = false;
    }
    try {
        GLib.Initable.new (typeof (CudaObj.Stream), null, "priority", 0);
        assert_not_reached ();
    } catch (GLib.Error e) {
        if (have_driver)
            assert (e is CudaObj.Error.INVALID_ARGUMENT);
        else
            assert (e is CudaObj.Error.LIBRARY_NOT_FOUND);
    }
}

static void test_stream () {
    var device = device_or_skip ();
    if (device == null)
        return;
    try {
        var stream = device.create_stream ();
        assert (stream.handle != 0);
        assert (stream.non_blocking && stream.owns_handle && !stream.closed);
        assert (stream.device == device);
        int lowest, highest;
        CudaObj.Stream.get_priority_range (device, out lowest, out highest);
        assert (lowest == 0 && highest < 0);
        var high = new CudaObj.Stream (device, true, highest);
        assert (high.priority == highest);
        assert (stream.query ());
        stream.synchronize ();
    } catch (GLib.Error e) {
        unexpected (e);
    }
    try {
        int lowest, highest;
        CudaObj.Stream.get_priority_range (device, out lowest, out highest);
        new CudaObj.Stream (device, false, highest - 1);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.INVALID_ARGUMENT);
    }
}

static void test_completed_and_elapsed_time () {
    var device = device_or_skip ();
    if (device == null)
        return;
    try {
        var stream = device.create_stream ();
        var start = stream.record (null);
        var end = device.create_event ();
        var loop = new GLib.MainLoop (null, false);
        int emissions = 0;
        unowned GLib.Thread<void*> main_thread = GLib.Thread.self<void*> ();
        end.completed.connect ((ev) => {
            assert (GLib.Thread.self<void*> () == main_thread);
            emissions++;
            loop.quit ();
        });
        end.record (stream);
        assert (end.recorded);
        run_loop (loop);
        assert (emissions == 1);
        assert (start.elapsed_time (end) >= 0.0);
    } catch (GLib.Error e) {
        unexpected (e);
    }
    try {
        var untimed = new CudaObj.Event (device, false, false);
        device.create_stream ().record (untimed).synchronize ();
        untimed.elapsed_time (untimed);
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.INVALID_ARGUMENT);
    }
}

static void test_async () {
    var device = device_or_skip ();
    if (device == null)
        return;
    try {
        var stream = device.create_stream ();
        var event = stream.record (null);
        var loop = new GLib.MainLoop (null, false);
        bool synchronized = false, waited = false;
        stream.synchronize_async.begin (null, (obj, res) => {
            try {
                synchronized = stream.synchronize_async.end (res);
            } catch (GLib.Error e) {
                unexpected (e);
            }
            event.wait_async.begin (null, (obj2, res2) => {
                try {
                    waited = event.wait_async.end (res2);
                } catch (GLib.Error e) {
                    unexpected (e);
                }
                loop.quit ();
            });
        });
        run_loop (loop);
        assert (synchronized && waited);
    } catch (GLib.Error e) {
        unexpected (e);
    }
}

static void test_closed_stream () {
    var device = device_or_skip ();
    if (device == null)
        return;
    CudaObj.Stream stream;
    try {
        stream = device.create_stream ();
        assert (stream.close ());
        assert (stream.closed);
        assert (stream.close ());
    } catch (GLib.Error e) {
        unexpected (e);
        return;
    }
    try {
        stream.synchronize ();
        assert_not_reached ();
    } catch (GLib.Error e) {
        assert (e is CudaObj.Error.CLOSED);
        assert (e.message == "Stream is closed");
    }
    try {
        device.create_stream ().synchronize ();
    } catch (GLib.Error e) {
        unexpected (e);
    }
}

int main (string[] args) {
    GLib.Test.init (ref args);
    GLib.Test.add_func ("/vala/stream-event/construct-without-device", test_construct_without_device);
    GLib.Test.add_func ("/vala/stream-event/stream", test_stream);
    GLib.Test.add_func ("/vala/stream-event/completed-and-elapsed-time", test_completed_and_elapsed_time);
    GLib.Test.add_func ("/vala/stream-event/async", test_async);
    GLib.Test.add_func ("/vala/stream-event/closed-stream", test_closed_stream);
    return GLib.Test.run ();
}
