// SPDX-License-Identifier: LGPL-2.1-or-later
// fractal-explorer: a GTK 4 fractal explorer whose iteration formula you edit
// while it runs.
//
// A renderer kernel calls `__device__ float2 iterate(float2 z, float2 c)`,
// which comes from the text view: both are compiled to LTO-IR (the formula
// with Program.compile_async, so the window stays live) and linked with
// nvJitLink. Frames are rendered into a Buffer on a stream, with events
// around the work; the frame is presented when the end event's 'completed'
// signal arrives in the main loop, as a GdkMemoryTexture. (The Python twin
// also writes frames in place into a GL texture; GJS has no GL binding to
// create one.)
//
//   gjs -m fractal-explorer.js                      the window
//   gjs -m fractal-explorer.js --render-png F.png [--size WxH] [--check]
//                                                   one frame, no window
//   gjs -m fractal-explorer.js --smoke              open, check, quit (tests)
//   gjs -m fractal-explorer.js --screenshot F.png   open, save a PNG of the
//                                                   window once the first frame
//                                                   (or the no-GPU banner) is
//                                                   drawn, quit
//
// Without a GPU, the window opens with a banner that says why; the offscreen
// mode exits 77.
import GLib from 'gi://GLib';
import System from 'system';
import CudaObj from 'gi://CudaObj?version=1.0';

const RENDERER = `
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
`;

const DEFAULT_FORMULA = `// z <- z^2 + c: the Mandelbrot set. Edit me.
__device__ float2 iterate(float2 z, float2 c)
{
    return make_float2(z.x * z.x - z.y * z.y + c.x,
                       2.0f * z.x * z.y + c.y);
}
`;

const MAX_ITER = 256;
const BLOCK = 16;

// Compiles the formula and links it with the renderer; launches frames.
// Contractions into FMAs are off in both, so that a CPU can check pixels.
class Renderer {
    constructor() {
        this.device = CudaObj.Device.get(0);
        this.arch = `sm_${this.device.get_arch()}`;
        this.stream = this.device.create_stream();
        this._rendererCode = this._program(RENDERER, 'renderer.cu').compile(CudaObj.CodeType.LTOIR, null);
        this.kernel = null;
        this._buffer = null;
    }

    _program(source, name) {
        const options = new CudaObj.ProgramOptions({
            arch: this.arch, name, std: 'c++17', link_time_optimization: true,
            relocatable_device_code: true, fmad: false,
        });
        return CudaObj.Program.new(source, CudaObj.ProgramCodeType.CXX, options);
    }

    // Calls back with (kernel, null) or (null, error) in the main loop.
    compileAsync(formula, callback) {
        const program = this._program(formula, 'formula.cu');
        program.compile_async(CudaObj.CodeType.LTOIR, null, null, (source, result) => {
            let kernel;
            try {
                kernel = this.link(source.compile_finish(result));
            } catch (e) {
                callback(null, e);
                return;
            }
            callback(kernel, null);
        });
    }

    compile(formula) {
        return this.link(this._program(formula, 'formula.cu').compile(CudaObj.CodeType.LTOIR, null));
    }

    link(formulaCode) {
        const linker = CudaObj.Linker.new(new CudaObj.LinkerOptions({
            arch: this.arch, link_time_optimization: true, fma: false,
        }));
        linker.add(this._rendererCode);
        linker.add(formulaCode);
        return linker.link().get_kernel('render');
    }

    // Queues a frame of @view on the stream after a start event; the caller
    // records the returned end event once it connected to it, and the
    // Buffer holds the frame when that event completed.
    submit(view) {
        const size = view.width * view.height * 4;
        if (this._buffer === null || this._buffer.get_size() !== size) {
            this._buffer?.close(this.stream);
            this._buffer = this.device.allocate(size, this.stream);
        }
        const args = CudaObj.KernelArgs.new(7);
        args.set_buffer(0, this._buffer);
        args.set_int32(1, view.width);
        args.set_int32(2, view.height);
        args.set_float(3, view.centerX);
        args.set_float(4, view.centerY);
        args.set_float(5, view.scale);
        args.set_int32(6, MAX_ITER);
        const config = CudaObj.LaunchConfig.new_3d(Math.ceil(view.width / BLOCK), Math.ceil(view.height / BLOCK),
            1, BLOCK, BLOCK, 1);
        const start = CudaObj.Event.new(this.device, true, false);
        const end = CudaObj.Event.new(this.device, true, false);
        this.stream.record(start);
        CudaObj.launch(this.stream, config, this.kernel, args);
        return {start, end};
    }

    // The pixels of the last frame (RGBA, row after row); the frame's work
    // is done when this is called, so the copy waits for nothing else.
    pixels() {
        return this._buffer.copy_to_bytes(0, -1, this.stream);
    }
}

// The escape count of pixel (x, y) as the kernel computes it, in float32
// (fround) or, with exact = false, in double.
function escapeCount(view, x, y, single = true) {
    const f = single ? Math.fround : v => v;
    const cx = f(view.centerX + f(f(x - Math.trunc(view.width / 2)) * view.scale));
    const cy = f(view.centerY + f(f(y - Math.trunc(view.height / 2)) * view.scale));
    let zx = 0, zy = 0, i = 0;
    while (i < MAX_ITER && f(f(zx * zx) + f(zy * zy)) <= 4) {
        const nx = f(f(f(zx * zx) - f(zy * zy)) + cx);
        zy = f(f(f(2 * zx) * zy) + cy);
        zx = nx;
        i++;
    }
    return i;
}

function shade(i) {
    if (i >= MAX_ITER)
        return [0, 0, 0, 255];
    const t = 255 - Math.trunc(i * 255 / MAX_ITER);
    return [255 - t, Math.trunc(t * t / 255), Math.trunc(t * 3 / 4) + 32, 255];
}

// Pixels on a grid whose count does not depend on rounding (float32 and
// double agree) must match the CPU's colour exactly.
function checkPixels(view, data) {
    let checked = 0;
    for (let gy = 1; gy < 8; gy++) {
        for (let gx = 1; gx < 8; gx++) {
            const x = Math.trunc(view.width * gx / 8), y = Math.trunc(view.height * gy / 8);
            const count = escapeCount(view, x, y);
            if (count !== escapeCount(view, x, y, false))
                continue;
            const want = shade(count);
            const at = (y * view.width + x) * 4;
            const got = Array.from(data.subarray(at, at + 4));
            if (got.join() !== want.join()) {
                printerr(`pixel (${x}, ${y}): GPU ${got}, CPU ${want} (escape count ${count})`);
                return false;
            }
            checked++;
        }
    }
    print(`fractal-explorer: ${checked} pixels match the CPU reference`);
    return checked >= 20;
}

function initialView(width, height) {
    return {width, height, centerX: -0.5, centerY: 0, scale: Math.fround(3.2 / width)};
}

function renderPng(path, width, height, check) {
    let renderer;
    try {
        renderer = new Renderer();
    } catch (e) {
        printerr(`fractal-explorer: no GPU: ${e.message}`);
        return 77;
    }
    const GdkPixbuf = imports.gi.GdkPixbuf;
    const view = initialView(width, height);
    renderer.kernel = renderer.compile(DEFAULT_FORMULA);
    const {start, end} = renderer.submit(view);
    renderer.stream.record(end);
    end.synchronize();
    const bytes = renderer.pixels();
    print(`fractal-explorer: ${width}x${height} in ${start.elapsed_time(end).toFixed(3)} ms of GPU time`);
    const pixbuf = GdkPixbuf.Pixbuf.new_from_bytes(bytes, GdkPixbuf.Colorspace.RGB, true, 8, width, height,
        width * 4);
    pixbuf.savev(path, 'png', [], []);
    if (check && !checkPixels(view, bytes.toArray()))
        return 1;
    return 0;
}

// Calls back once the window shows its first frame, or its banner without
// a GPU (given two seconds to come up), or after a minute without either.
function whenStarted(ui, callback) {
    const started = GLib.get_monotonic_time();
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, 200, () => {
        const seconds = (GLib.get_monotonic_time() - started) / 1e6;
        const done = ui.state.renderer === null ? seconds >= 2 : ui.state.framesPresented > 0;
        if (!done && seconds < 60)
            return GLib.SOURCE_CONTINUE;
        callback();
        return GLib.SOURCE_REMOVE;
    });
}

// Without a GPU the banner must be up; with one, frames must have arrived
// (the first after the formula compiled and linked).
function checkStarted(ui, what) {
    if (ui.state.renderer === null && !ui.banner.get_visible()) {
        printerr(`${what}: no GPU and no banner`);
        return false;
    }
    if (ui.state.renderer !== null && ui.state.framesPresented === 0) {
        printerr(`${what}: no frame presented`);
        return false;
    }
    print(ui.state.renderer === null ? `${what}: banner shown: ${ui.banner.get_label()}`
        : `${what}: ${ui.state.framesPresented} frames presented`);
    return true;
}

// Draws the window as GTK draws it (its render nodes, through its own
// renderer) into a texture, and writes that as a PNG, once the frame now
// due has been painted.
function saveScreenshot(Gtk, window, path, callback) {
    const clock = window.get_frame_clock();
    const id = clock.connect('after-paint', () => {
        clock.disconnect(id);
        GLib.idle_add(GLib.PRIORITY_DEFAULT, () => {
            try {
                const snapshot = new Gtk.Snapshot();
                const paintable = new Gtk.WidgetPaintable({widget: window});
                paintable.snapshot(snapshot, window.get_width(), window.get_height());
                const node = snapshot.to_node();
                if (node === null)
                    throw new Error('the window drew nothing');
                const texture = window.get_native().get_renderer().render_texture(node, null);
                if (!texture.save_to_png(path))
                    throw new Error(`cannot write ${path}`);
                print(`screenshot: ${texture.get_width()}x${texture.get_height()} written to ${path}`);
                callback(null);
            } catch (e) {
                callback(e);
            }
            return GLib.SOURCE_REMOVE;
        });
    });
    window.queue_draw();
}

async function runWindow({smoke = false, screenshot = null} = {}) {
    const {default: Gtk} = await import('gi://Gtk?version=4.0');
    const {default: Gdk} = await import('gi://Gdk?version=4.0');
    const app = new Gtk.Application({application_id: 'org.cudaobj.FractalExplorer'});
    let status = 0;

    app.connect('activate', () => {
        const ui = buildWindow(Gtk, Gdk, app);
        ui.window.present();
        if (smoke) {
            whenStarted(ui, () => {
                if (!checkStarted(ui, 'smoke'))
                    status = 1;
                ui.window.close();
            });
        } else if (screenshot !== null) {
            whenStarted(ui, () => {
                if (!checkStarted(ui, 'screenshot')) {
                    status = 1;
                    ui.window.close();
                    return;
                }
                saveScreenshot(Gtk, ui.window, screenshot, error => {
                    if (error !== null) {
                        printerr(`screenshot: ${error.message}`);
                        status = 1;
                    }
                    ui.window.close();
                });
            });
        }
    });
    const result = app.run([System.programInvocationName]);
    return status || result;
}

function buildWindow(Gtk, Gdk, app) {
    const state = {renderer: null, view: null, inFlight: false, dirty: false, framesPresented: 0, generation: 0};
    const window = new Gtk.ApplicationWindow({application: app, title: 'Fractal explorer',
        default_width: 1000, default_height: 640});
    const root = new Gtk.Box({orientation: Gtk.Orientation.VERTICAL});
    const banner = new Gtk.Label({wrap: true, xalign: 0, visible: false, margin_start: 12, margin_end: 12,
        margin_top: 8, margin_bottom: 8, css_classes: ['error']});
    root.append(banner);

    const picture = new Gtk.Picture({hexpand: true, vexpand: true, can_shrink: true});
    const stats = new Gtk.Label({halign: Gtk.Align.START, valign: Gtk.Align.START, margin_start: 8,
        margin_top: 8, css_classes: ['osd'], label: 'path: GdkMemoryTexture (copy through the host)'});
    const overlay = new Gtk.Overlay({child: picture});
    overlay.add_overlay(stats);

    const side = new Gtk.Box({orientation: Gtk.Orientation.VERTICAL, spacing: 6, margin_start: 6,
        margin_end: 6, margin_top: 6, margin_bottom: 6});
    const heading = new Gtk.Box({spacing: 6});
    heading.append(new Gtk.Label({label: '<b>Iteration formula</b>', use_markup: true, hexpand: true,
        xalign: 0}));
    const spinner = new Gtk.Spinner();
    heading.append(spinner);
    side.append(heading);
    const buffer = new Gtk.TextBuffer({text: DEFAULT_FORMULA});
    const errorTag = new Gtk.TextTag({name: 'error', underline: 4 /* Pango.Underline.ERROR */,
        background: 'rgba(255,0,0,0.15)'});
    buffer.get_tag_table().add(errorTag);
    const editor = new Gtk.TextView({buffer, monospace: true, top_margin: 6, left_margin: 6});
    side.append(new Gtk.ScrolledWindow({child: editor, vexpand: true, width_request: 380}));
    const log = new Gtk.Label({wrap: true, xalign: 0, selectable: true, css_classes: ['monospace']});
    side.append(log);

    // The picture has no natural size: the fractal gets what the editor leaves.
    const paned = new Gtk.Paned({start_child: overlay, end_child: side, shrink_start_child: false,
        shrink_end_child: false, resize_end_child: false, position: 600, vexpand: true});
    root.append(paned);
    window.set_child(root);

    try {
        state.renderer = new Renderer();
    } catch (e) {
        banner.set_label(`No GPU: ${e.message}`);
        banner.set_visible(true);
        stats.set_label('no GPU: nothing to render');
    }

    function showCompileErrors(message) {
        buffer.remove_tag(errorTag, buffer.get_start_iter(), buffer.get_end_iter());
        for (const match of message.matchAll(/formula\.cu\((\d+)\): error/g)) {
            const [found, lineStart] = buffer.get_iter_at_line(Number(match[1]) - 1);
            if (!found)
                continue;
            const lineEnd = lineStart.copy();
            lineEnd.forward_to_line_end();
            buffer.apply_tag(errorTag, lineStart, lineEnd);
        }
        log.set_label(message);
    }

    function submitFrame() {
        const {renderer, view} = state;
        const submitted = GLib.get_monotonic_time();
        let events;
        try {
            events = renderer.submit(view);
        } catch (e) {
            log.set_label(`Render failed: ${e.message}`);
            return;
        }
        state.inFlight = true;
        state.dirty = false;
        // Presented from the main loop once the GPU finished: no wait here.
        const id = events.end.connect('completed', () => {
            events.end.disconnect(id);
            state.inFlight = false;
            try {
                const texture = Gdk.MemoryTexture.new(view.width, view.height, Gdk.MemoryFormat.R8G8B8A8,
                    renderer.pixels(), view.width * 4);
                picture.set_paintable(texture);
                state.framesPresented++;
                const frameMs = (GLib.get_monotonic_time() - submitted) / 1000;
                const gpuMs = events.start.elapsed_time(events.end);
                stats.set_label(`path: GdkMemoryTexture (copy through the host)\n` +
                    `${view.width}×${view.height} · frame ${frameMs.toFixed(1)} ms · GPU ${gpuMs.toFixed(2)} ms`);
            } catch (e) {
                log.set_label(`Present failed: ${e.message}`);
            }
            if (state.dirty)
                submitFrame();
        });
        renderer.stream.record(events.end);
    }

    function requestRender() {
        if (state.renderer === null || state.renderer.kernel === null || state.view === null)
            return;
        state.dirty = true;
        if (!state.inFlight)
            submitFrame();
    }

    function compileFormula() {
        if (state.renderer === null)
            return;
        const generation = ++state.generation;
        spinner.start();
        state.renderer.compileAsync(buffer.text, (kernel, error) => {
            if (generation !== state.generation)
                return;
            spinner.stop();
            if (error !== null) {
                // The last good kernel keeps drawing.
                showCompileErrors(error.message);
                return;
            }
            buffer.remove_tag(errorTag, buffer.get_start_iter(), buffer.get_end_iter());
            log.set_label('');
            state.renderer.kernel = kernel;
            requestRender();
        });
    }

    let compileTimeout = 0;
    buffer.connect('changed', () => {
        if (compileTimeout !== 0)
            GLib.source_remove(compileTimeout);
        compileTimeout = GLib.timeout_add(GLib.PRIORITY_DEFAULT, 400, () => {
            compileTimeout = 0;
            compileFormula();
            return GLib.SOURCE_REMOVE;
        });
    });

    // The view follows the picture's size; a resize renders again.
    picture.add_tick_callback(() => {
        const width = picture.get_width(), height = picture.get_height();
        if (width < 16 || height < 16) // not allocated yet, or squeezed away
            return GLib.SOURCE_CONTINUE;
        if (state.view === null) {
            state.view = initialView(width, height);
            requestRender();
        } else if (state.view.width !== width || state.view.height !== height) {
            state.view = {...state.view, width, height};
            requestRender();
        }
        return GLib.SOURCE_CONTINUE;
    });

    // Drag to pan, scroll to zoom about the pointer.
    const drag = new Gtk.GestureDrag();
    let dragStart = null;
    drag.connect('drag-begin', () => {
        dragStart = state.view && {x: state.view.centerX, y: state.view.centerY};
    });
    drag.connect('drag-update', (_gesture, dx, dy) => {
        if (dragStart === null)
            return;
        state.view = {...state.view, centerX: Math.fround(dragStart.x - dx * state.view.scale),
            centerY: Math.fround(dragStart.y - dy * state.view.scale)};
        requestRender();
    });
    picture.add_controller(drag);
    const pointer = {x: 0, y: 0};
    const motion = new Gtk.EventControllerMotion();
    motion.connect('motion', (_controller, x, y) => Object.assign(pointer, {x, y}));
    picture.add_controller(motion);
    const scroll = new Gtk.EventControllerScroll({flags: Gtk.EventControllerScrollFlags.VERTICAL});
    scroll.connect('scroll', (_controller, _dx, dy) => {
        if (state.view === null)
            return false;
        const {view} = state;
        const px = pointer.x - view.width / 2, py = pointer.y - view.height / 2;
        const scale = Math.fround(view.scale * Math.pow(1.2, dy));
        state.view = {...view, scale, centerX: Math.fround(view.centerX + px * (view.scale - scale)),
            centerY: Math.fround(view.centerY + py * (view.scale - scale))};
        requestRender();
        return true;
    });
    picture.add_controller(scroll);

    compileFormula();
    return {window, banner, state};
}

function parseSize(text) {
    const match = /^(\d+)x(\d+)$/.exec(text ?? '');
    return match ? [Number(match[1]), Number(match[2])] : null;
}

async function main(argv) {
    const at = name => argv.indexOf(name);
    if (at('--render-png') >= 0) {
        const path = argv[at('--render-png') + 1];
        const size = at('--size') >= 0 ? parseSize(argv[at('--size') + 1]) : [800, 600];
        if (!path || size === null) {
            printerr('usage: fractal-explorer.js --render-png FILE [--size WxH] [--check]');
            return 2;
        }
        return renderPng(path, size[0], size[1], at('--check') >= 0);
    }
    if (at('--screenshot') >= 0) {
        const path = argv[at('--screenshot') + 1];
        if (!path) {
            printerr('usage: fractal-explorer.js --screenshot FILE');
            return 2;
        }
        return runWindow({screenshot: path});
    }
    return runWindow({smoke: at('--smoke') >= 0});
}

System.exit(await main(ARGV));
