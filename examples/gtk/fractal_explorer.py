#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""fractal_explorer: a GTK 4 fractal explorer whose iteration formula you edit
while it runs (the Python twin of fractal-explorer.js).

A renderer kernel calls ``__device__ float2 iterate(float2 z, float2 c)``,
which comes from the text view: both are compiled to LTO-IR (the formula with
Program.compile_async, so the window stays live) and linked with nvJitLink.
Frames are rendered into a Buffer on a stream, with events around the work;
the frame is presented when the end event's 'completed' signal arrives in the
main loop: written on the GPU into an OpenGL texture that CUDA maps (the
zero-copy path, when GTK gives a GL context on the GPU that renders), else
copied through the host into a GdkMemoryTexture (the path that works
everywhere). The overlay says which.

    fractal_explorer.py [--memory-texture]               the window
    fractal_explorer.py --render-png F.png [--size WxH] [--check]
                                                         one frame, no window
    fractal_explorer.py --smoke                          open, check, quit

Without a GPU, the window opens with a banner that says why; the offscreen
mode exits 77.
"""
import argparse
import ctypes
import math
import re
import sys

import gi

gi.require_version("CudaObj", "1.0")
from gi.repository import CudaObj, GLib  # noqa: E402

import numpy as np  # noqa: E402

RENDERER = r"""
extern __device__ float2 iterate(float2 z, float2 c);

extern "C" __global__ void render(uchar4 *out, int width, int height,
                                  float center_x, float center_y, float scale, int max_iter)
{
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x >= width || y >= height)
        return;
    float2 c = make_float2(center_x + (x - width / 2) * scale, center_y + (y - height / 2) * scale);
    float2 z = make_float2(0.0f, 0.0f);
    int i = 0;
    while (i < max_iter && z.x * z.x + z.y * z.y <= 4.0f) {
        z = iterate(z, c);
        i++;
    }
    // An integer palette, so that a CPU can tell the very same colour.
    unsigned t = i >= max_iter ? 0u : 255u - (unsigned)(i * 255 / max_iter);
    out[y * width + x] = i >= max_iter ? make_uchar4(0, 0, 0, 255)
        : make_uchar4(255 - t, (t * t) / 255, (t * 3) / 4 + 32, 255);
}
"""

DEFAULT_FORMULA = """// z <- z^2 + c: the Mandelbrot set. Edit me.
__device__ float2 iterate(float2 z, float2 c)
{
    return make_float2(z.x * z.x - z.y * z.y + c.x,
                       2.0f * z.x * z.y + c.y);
}
"""

MAX_ITER = 256
BLOCK = 16
MEMORY_PATH = "path: GdkMemoryTexture (copy through the host)"
GL_PATH = "path: GL texture written by CUDA (zero-copy)"
GL_TEXTURE_2D, GL_RGBA8, GL_RGBA, GL_UNSIGNED_BYTE = 0x0DE1, 0x8058, 0x1908, 0x1401
GL_TEXTURE_MIN_FILTER, GL_TEXTURE_MAG_FILTER, GL_NEAREST = 0x2801, 0x2800, 0x2600


class View:
    """What a frame shows: its size in pixels and the plane it covers."""

    def __init__(self, width, height, center_x=-0.5, center_y=0.0, scale=None):
        self.width, self.height = width, height
        self.center_x, self.center_y = float(np.float32(center_x)), float(np.float32(center_y))
        self.scale = float(np.float32(3.2 / width if scale is None else scale))

    def resized(self, width, height):
        return View(width, height, self.center_x, self.center_y, self.scale)


class Renderer:
    """Compiles the formula and links it with the renderer; launches frames.
    Contractions into FMAs are off in both, so that a CPU can check pixels."""

    def __init__(self):
        self.device = CudaObj.Device.get(0)
        self.arch = "sm_" + self.device.get_arch()
        self.stream = self.device.create_stream()
        self._renderer_code = self._program(RENDERER, "renderer.cu").compile(CudaObj.CodeType.LTOIR, None)
        self.kernel = None
        self._buffer = None

    def _program(self, source, name):
        options = CudaObj.ProgramOptions(arch=self.arch, name=name, std="c++17", link_time_optimization=True,
                                         relocatable_device_code=True, fmad=False)
        return CudaObj.Program.new(source, CudaObj.ProgramCodeType.CXX, options)

    def compile_async(self, formula, callback):
        """Calls back with (kernel, None) or (None, error) in the main loop."""
        def done(program, result):
            try:
                kernel = self.link(program.compile_finish(result))
            except GLib.Error as e:
                callback(None, e)
                return
            callback(kernel, None)

        self._program(formula, "formula.cu").compile_async(CudaObj.CodeType.LTOIR, None, None, done)

    def compile(self, formula):
        return self.link(self._program(formula, "formula.cu").compile(CudaObj.CodeType.LTOIR, None))

    def link(self, formula_code):
        linker = CudaObj.Linker.new(CudaObj.LinkerOptions(arch=self.arch, link_time_optimization=True,
                                                          fma=False))
        linker.add(self._renderer_code)
        linker.add(formula_code)
        return linker.link().get_kernel("render")

    def submit(self, view):
        """Queues a frame of @view after a start event; the caller records
        the returned end event once it connected to it, and the Buffer holds
        the frame when that event completed."""
        size = view.width * view.height * 4
        if self._buffer is None or self._buffer.get_size() != size:
            if self._buffer is not None:
                self._buffer.close(self.stream)
            self._buffer = self.device.allocate(size, self.stream)
        config = CudaObj.LaunchConfig.new_3d(-(-view.width // BLOCK), -(-view.height // BLOCK), 1,
                                             BLOCK, BLOCK, 1)
        start = CudaObj.Event.new(self.device, True, False)
        end = CudaObj.Event.new(self.device, True, False)
        self.stream.record(start)
        CudaObj.launch(self.stream, config, self.kernel, self._buffer, np.int32(view.width),
                       np.int32(view.height), np.float32(view.center_x), np.float32(view.center_y),
                       np.float32(view.scale), np.int32(MAX_ITER))
        return start, end

    @property
    def buffer(self):
        """The Buffer the last frame was rendered into."""
        return self._buffer

    def pixels(self):
        """The last frame (RGBA rows); its work is done when this is called."""
        return self._buffer.copy_to_bytes(0, -1, self.stream)


def escape_count(view, x, y, single=True):
    """The escape count of pixel (x, y) as the kernel computes it, in float32
    or, with single=False, in double."""
    f = np.float32 if single else float
    cx = f(f(view.center_x) + f(f(x - view.width // 2) * f(view.scale)))
    cy = f(f(view.center_y) + f(f(y - view.height // 2) * f(view.scale)))
    zx = zy = f(0)
    i = 0
    while i < MAX_ITER and f(zx * zx) + f(zy * zy) <= 4:
        zx, zy = f(f(zx * zx) - f(zy * zy)) + cx, f(f(f(2) * zx) * zy) + cy
        i += 1
    return i


def shade(i):
    if i >= MAX_ITER:
        return (0, 0, 0, 255)
    t = 255 - i * 255 // MAX_ITER
    return (255 - t, t * t // 255, t * 3 // 4 + 32, 255)


def check_pixels(view, data):
    """Pixels on a grid whose count does not depend on rounding (float32 and
    double agree) must match the CPU's colour exactly."""
    checked = 0
    for gy in range(1, 8):
        for gx in range(1, 8):
            x, y = view.width * gx // 8, view.height * gy // 8
            count = escape_count(view, x, y)
            if count != escape_count(view, x, y, single=False):
                continue
            at = (y * view.width + x) * 4
            got, want = tuple(data[at:at + 4]), shade(count)
            if got != want:
                print(f"pixel ({x}, {y}): GPU {got}, CPU {want} (escape count {count})", file=sys.stderr)
                return False
            checked += 1
    print(f"fractal_explorer: {checked} pixels match the CPU reference")
    return checked >= 20


def render_png(path, width, height, check):
    try:
        renderer = Renderer()
    except GLib.Error as e:
        print(f"fractal_explorer: no GPU: {e.message}", file=sys.stderr)
        return 77
    gi.require_version("GdkPixbuf", "2.0")
    from gi.repository import GdkPixbuf

    view = View(width, height)
    renderer.kernel = renderer.compile(DEFAULT_FORMULA)
    start, end = renderer.submit(view)
    renderer.stream.record(end)
    end.synchronize()
    data = renderer.pixels()
    print(f"fractal_explorer: {width}x{height} in {start.elapsed_time(end):.3f} ms of GPU time")
    GdkPixbuf.Pixbuf.new_from_bytes(data, GdkPixbuf.Colorspace.RGB, True, 8, width, height,
                                    width * 4).savev(path, "png", [], [])
    if check and not check_pixels(view, data.get_data()):
        return 1
    return 0


class GlFrames:
    """The zero-copy path: each frame is copied, on the GPU, from the
    renderer's Buffer into a GL texture that CUDA maps
    (CudaObj.GraphicsResource), and shown as a GdkGLTexture. Two textures
    take turns, so that GTK can still draw one while CUDA writes the other.
    Raises GLib.Error (or OSError without a GL library) when GTK has no GL
    context, or when its context does not run on the CUDA device."""

    def __init__(self, surface, device):
        self.device = device
        self.context = surface.create_gl_context()
        self.context.realize()
        self.context.make_current()
        # glvnd's dispatch: the functions of the context made current above.
        self.gl = ctypes.CDLL("libGL.so.1")
        self.slots = []
        self.size = None
        self.turn = 0

    def _allocate(self, width, height):
        self.release()
        gl = self.gl
        for _ in range(2):
            texture = ctypes.c_uint(0)
            gl.glGenTextures(1, ctypes.byref(texture))
            gl.glBindTexture(GL_TEXTURE_2D, texture)
            gl.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST)
            gl.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST)
            gl.glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, None)
            gl.glBindTexture(GL_TEXTURE_2D, 0)
            self.slots.append((texture.value, None))
            resource = CudaObj.GraphicsResource.new_from_gl_image(self.device, texture.value, GL_TEXTURE_2D,
                                                                  CudaObj.GraphicsRegisterFlags.WRITE_DISCARD)
            self.slots[-1] = (texture.value, resource)
        self.size = (width, height)

    def release(self):
        self.context.make_current()
        for texture, resource in self.slots:
            if resource is not None:
                resource.close()
            self.gl.glDeleteTextures(1, ctypes.byref(ctypes.c_uint(texture)))
        self.slots = []

    def present(self, Gdk, renderer, view):
        """The frame in the renderer's Buffer as a GdkGLTexture."""
        self.context.make_current()
        if self.size != (view.width, view.height):
            self._allocate(view.width, view.height)
        self.turn ^= 1
        texture, resource = self.slots[self.turn]
        resource.map(renderer.stream)
        try:
            resource.get_mapped_array(0, 0).copy_from_buffer(renderer.buffer, 0, 0, renderer.stream)
        finally:
            # GL's use of the texture is ordered after the copy.
            resource.unmap(renderer.stream)
        # The textures stay ours: nothing to release when GTK drops one.
        return Gdk.GLTexture.new(self.context, texture, view.width, view.height, lambda *_: None, None)


class Explorer:
    """The window: the picture with its overlay, the formula editor."""

    def __init__(self, app, Gtk, Gdk, use_gl=True):
        self.Gtk, self.Gdk = Gtk, Gdk
        self.use_gl = use_gl
        self.gl_frames = None
        self.path = MEMORY_PATH
        self.renderer = None
        self.view = None
        self.in_flight = self.dirty = False
        self.frames_presented = 0
        self.generation = 0
        self.compile_timeout = 0

        self.window = Gtk.ApplicationWindow(application=app, title="Fractal explorer",
                                            default_width=1000, default_height=640)
        root = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
        self.banner = Gtk.Label(wrap=True, xalign=0, visible=False, margin_start=12, margin_end=12,
                                margin_top=8, margin_bottom=8, css_classes=["error"])
        root.append(self.banner)

        self.picture = Gtk.Picture(hexpand=True, vexpand=True, can_shrink=True)
        self.stats = Gtk.Label(halign=Gtk.Align.START, valign=Gtk.Align.START, margin_start=8, margin_top=8,
                               css_classes=["osd"], label=MEMORY_PATH)
        overlay = Gtk.Overlay(child=self.picture)
        overlay.add_overlay(self.stats)

        side = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6, margin_start=6, margin_end=6,
                       margin_top=6, margin_bottom=6)
        heading = Gtk.Box(spacing=6)
        heading.append(Gtk.Label(label="<b>Iteration formula</b>", use_markup=True, hexpand=True, xalign=0))
        self.spinner = Gtk.Spinner()
        heading.append(self.spinner)
        side.append(heading)
        self.buffer = Gtk.TextBuffer(text=DEFAULT_FORMULA)
        self.error_tag = Gtk.TextTag(name="error", underline=4,  # Pango.Underline.ERROR
                                     background="rgba(255,0,0,0.15)")
        self.buffer.get_tag_table().add(self.error_tag)
        editor = Gtk.TextView(buffer=self.buffer, monospace=True, top_margin=6, left_margin=6)
        side.append(Gtk.ScrolledWindow(child=editor, vexpand=True, width_request=380))
        self.log = Gtk.Label(wrap=True, xalign=0, selectable=True, css_classes=["monospace"])
        side.append(self.log)

        # The picture has no natural size: the fractal gets what the editor leaves.
        root.append(Gtk.Paned(start_child=overlay, end_child=side, shrink_start_child=False,
                              shrink_end_child=False, resize_end_child=False, position=600, vexpand=True))
        self.window.set_child(root)

        try:
            self.renderer = Renderer()
        except GLib.Error as e:
            self.banner.set_label(f"No GPU: {e.message}")
            self.banner.set_visible(True)
            self.stats.set_label("no GPU: nothing to render")

        self.buffer.connect("changed", self.on_changed)
        self.picture.add_tick_callback(self.on_tick)
        drag = Gtk.GestureDrag()
        drag.connect("drag-begin", self.on_drag_begin)
        drag.connect("drag-update", self.on_drag_update)
        self.picture.add_controller(drag)
        self.pointer = (0.0, 0.0)
        motion = Gtk.EventControllerMotion()
        motion.connect("motion", lambda _c, x, y: setattr(self, "pointer", (x, y)))
        self.picture.add_controller(motion)
        scroll = Gtk.EventControllerScroll(flags=Gtk.EventControllerScrollFlags.VERTICAL)
        scroll.connect("scroll", self.on_scroll)
        self.picture.add_controller(scroll)
        self.compile_formula()

    # Compiling

    def show_compile_errors(self, message):
        b = self.buffer
        b.remove_tag(self.error_tag, b.get_start_iter(), b.get_end_iter())
        for match in re.finditer(r"formula\.cu\((\d+)\): error", message):
            found, line_start = b.get_iter_at_line(int(match.group(1)) - 1)
            if not found:
                continue
            line_end = line_start.copy()
            line_end.forward_to_line_end()
            b.apply_tag(self.error_tag, line_start, line_end)
        self.log.set_label(message)

    def compile_formula(self):
        if self.renderer is None:
            return
        self.generation += 1
        generation = self.generation
        self.spinner.start()

        def done(kernel, error):
            if generation != self.generation:
                return
            self.spinner.stop()
            if error is not None:
                # The last good kernel keeps drawing.
                self.show_compile_errors(error.message)
                return
            self.buffer.remove_tag(self.error_tag, self.buffer.get_start_iter(), self.buffer.get_end_iter())
            self.log.set_label("")
            self.renderer.kernel = kernel
            self.request_render()

        self.renderer.compile_async(self.buffer.props.text, done)

    def on_changed(self, _buffer):
        if self.compile_timeout:
            GLib.source_remove(self.compile_timeout)

        def fire():
            self.compile_timeout = 0
            self.compile_formula()
            return GLib.SOURCE_REMOVE

        self.compile_timeout = GLib.timeout_add(400, fire)

    # Rendering

    def request_render(self):
        if self.renderer is None or self.renderer.kernel is None or self.view is None:
            return
        self.dirty = True
        if not self.in_flight:
            self.submit_frame()

    def submit_frame(self):
        view, renderer = self.view, self.renderer
        submitted = GLib.get_monotonic_time()
        try:
            start, end = renderer.submit(view)
        except GLib.Error as e:
            self.log.set_label(f"Render failed: {e.message}")
            return
        self.in_flight, self.dirty = True, False

        # Presented from the main loop once the GPU finished: no wait here.
        def completed(event):
            event.disconnect(handler)
            self.in_flight = False
            try:
                self.picture.set_paintable(self.frame_texture(view))
                self.frames_presented += 1
                frame_ms = (GLib.get_monotonic_time() - submitted) / 1000
                gpu_ms = start.elapsed_time(end)
                self.stats.set_label(f"{self.path}\n{view.width}×{view.height} · frame {frame_ms:.1f} ms · "
                                     f"GPU {gpu_ms:.2f} ms")
            except GLib.Error as e:
                self.log.set_label(f"Present failed: {e.message}")
            if self.dirty:
                self.submit_frame()

        handler = end.connect("completed", completed)
        renderer.stream.record(end)

    def frame_texture(self, view):
        """The finished frame as a GdkTexture: through GL when it can be had
        (tried once), else through host memory."""
        if self.use_gl and self.gl_frames is None:
            self.use_gl = False
            try:
                self.gl_frames = GlFrames(self.window.get_surface(), self.renderer.device)
            except (GLib.Error, OSError) as e:
                self.path = f"{MEMORY_PATH}\n(no GL interop: {e})"
        if self.gl_frames is not None:
            try:
                texture = self.gl_frames.present(self.Gdk, self.renderer, view)
                self.path = GL_PATH
                return texture
            except (GLib.Error, OSError, TypeError, ValueError) as e:
                # For instance, GTK's GL context runs on another GPU (or in
                # software): the memory path serves from now on.
                self.gl_frames.release()
                self.gl_frames = None
                self.path = f"{MEMORY_PATH}\n(no GL interop: {getattr(e, 'message', e)})"
        return self.Gdk.MemoryTexture.new(view.width, view.height, self.Gdk.MemoryFormat.R8G8B8A8,
                                          self.renderer.pixels(), view.width * 4)

    def on_tick(self, picture, _clock):
        width, height = picture.get_width(), picture.get_height()
        if width < 16 or height < 16:  # not allocated yet, or squeezed away
            return GLib.SOURCE_CONTINUE
        if self.view is None:
            self.view = View(width, height)
            self.request_render()
        elif (self.view.width, self.view.height) != (width, height):
            self.view = self.view.resized(width, height)
            self.request_render()
        return GLib.SOURCE_CONTINUE

    # Pan and zoom

    def on_drag_begin(self, _gesture, _x, _y):
        self.drag_start = self.view and (self.view.center_x, self.view.center_y)

    def on_drag_update(self, _gesture, dx, dy):
        if not getattr(self, "drag_start", None):
            return
        v = self.view
        self.view = View(v.width, v.height, self.drag_start[0] - dx * v.scale, self.drag_start[1] - dy * v.scale,
                         v.scale)
        self.request_render()

    def on_scroll(self, _controller, _dx, dy):
        if self.view is None:
            return False
        v = self.view
        px, py = self.pointer[0] - v.width / 2, self.pointer[1] - v.height / 2
        scale = v.scale * math.pow(1.2, dy)
        self.view = View(v.width, v.height, v.center_x + px * (v.scale - scale), v.center_y + py * (v.scale - scale),
                         scale)
        self.request_render()
        return True


def run_window(smoke, use_gl):
    gi.require_version("Gtk", "4.0")
    gi.require_version("Gdk", "4.0")
    from gi.repository import Gdk, Gtk

    app = Gtk.Application(application_id="org.cudaobj.FractalExplorerPython")
    status = {"code": 0}

    def activate(app):
        ui = Explorer(app, Gtk, Gdk, use_gl)
        ui.window.present()
        if not smoke:
            return
        # Without a GPU the banner must be up; with one, frames must arrive
        # (the first after the formula compiled and linked).
        started = GLib.get_monotonic_time()

        def check():
            seconds = (GLib.get_monotonic_time() - started) / 1e6
            done = seconds >= 2 if ui.renderer is None else ui.frames_presented > 0
            if not done and seconds < 60:
                return GLib.SOURCE_CONTINUE
            if ui.renderer is None and not ui.banner.get_visible():
                print("smoke: no GPU and no banner", file=sys.stderr)
                status["code"] = 1
            elif ui.renderer is not None and ui.frames_presented == 0:
                print("smoke: no frame presented", file=sys.stderr)
                status["code"] = 1
            elif ui.renderer is None:
                print(f"smoke: banner shown: {ui.banner.get_label()}")
            else:
                print(f"smoke: {ui.frames_presented} frames presented; {ui.path}")
            ui.window.close()
            return GLib.SOURCE_REMOVE

        GLib.timeout_add(200, check)

    app.connect("activate", activate)
    result = app.run([sys.argv[0]])
    return status["code"] or result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--render-png", metavar="FILE", help="render one frame into FILE, without a window")
    parser.add_argument("--size", default="800x600", help="frame size for --render-png, WxH")
    parser.add_argument("--check", action="store_true", help="compare pixels of the frame with a CPU reference")
    parser.add_argument("--smoke", action="store_true", help="open the window, check it, quit")
    parser.add_argument("--memory-texture", action="store_true",
                        help="always copy frames through the host, even where GL interop works")
    args = parser.parse_args()
    if args.render_png:
        match = re.fullmatch(r"(\d+)x(\d+)", args.size)
        if not match:
            parser.error("--size takes WxH, e.g. 800x600")
        return render_png(args.render_png, int(match.group(1)), int(match.group(2)), args.check)
    return run_window(args.smoke, not args.memory_texture)


if __name__ == "__main__":
    sys.exit(main())
