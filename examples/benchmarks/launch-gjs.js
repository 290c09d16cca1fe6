// SPDX-License-Identifier: LGPL-2.1-or-later
// launch-gjs: kernel launch cost from GJS through the introspected C API
// (run with `gjs -m launch-gjs.js [--repeats N] [--quick]`).
//
// The kernels of bench-kernels.cu, the shapes of launch-overhead.c. Paths:
//   GJS prebuilt KernelArgs   CudaObj.launch() with KernelArgs built once
//   GJS set args per launch   the same KernelArgs, every slot set again
//                             before each launch
//   GJS new KernelArgs        a new KernelArgs built for every launch
//   GJS packed per launch     every value written again into a Uint8Array
//                             laid out as the kernel's parameter buffer (a
//                             DataView; offsets from get_argument_info),
//                             launched with CudaObj.launch_packed()
// Measures (medians over the repeats): submit (launch calls back to back,
// in batches of 200 whose trailing synchronize is not timed) and round trip
// (a launch and a stream synchronize). The C benchmark has the raw-driver
// baseline; these rows show what the language adds.
//
// Output: one JSON object per line for report.py, then a table. Exit 77
// (skip) with the reason when there is no usable GPU.
import GLib from 'gi://GLib';
import System from 'system';
import CudaObj from 'gi://CudaObj?version=1.0';

const PROGRAM = 'launch-gjs';
const SUITE = 'launch-gjs';
const BATCH = 200;
const VECTOR_N = 4096, VECTOR_BLOCK = 256, SMALL_BLOCK = 32, STRUCT_BYTES = 2048;
const PREBUILT = 'GJS prebuilt KernelArgs', SET = 'GJS set args per launch', NEW = 'GJS new KernelArgs';
const PACKED = 'GJS packed per launch';

let repeats = 9, quick = false;
for (let i = 0; i < ARGV.length; i++) {
    if (ARGV[i] === '--quick')
        quick = true;
    else if (ARGV[i] === '--repeats' && i + 1 < ARGV.length)
        repeats = Math.max(1, parseInt(ARGV[++i]));
    else {
        printerr(`${PROGRAM}: unexpected argument ${ARGV[i]}`);
        System.exit(2);
    }
}

let device;
try {
    if (CudaObj.Device.get_count() === 0) {
        printerr(`${PROGRAM}: skipped: the CUDA driver found no device`);
        System.exit(77);
    }
    device = CudaObj.Device.get(0);
} catch (e) {
    printerr(`${PROGRAM}: skipped: no usable CUDA driver: ${e.message}`);
    System.exit(77);
}

const here = GLib.path_get_dirname(GLib.filename_from_uri(import.meta.url)[0]);
const [, sourceBytes] = GLib.file_get_contents(GLib.build_filenamev([here, 'bench-kernels.cu']));
const source = new TextDecoder().decode(sourceBytes);
const options = new CudaObj.ProgramOptions({arch: `sm_${device.arch}`, std: 'c++17'});
const code = CudaObj.Program.new(source, CudaObj.ProgramCodeType.CXX, options).compile(CudaObj.CodeType.CUBIN, null);
const stream = CudaObj.Stream.new(device, true, 0);
const nSubmit = quick ? 2000 : 20000, nRoundTrip = quick ? 200 : 2000;

const median = values => {
    const s = [...values].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const emit = obj => print(JSON.stringify(obj));

const version = CudaObj.get_driver_version();
const [major, minor] = version.length === 3 ? version.slice(1) : version;
emit({type: 'meta', program: PROGRAM, device: device.name,
    compute_capability: `${device.compute_capability_major}.${device.compute_capability_minor}`,
    cuda_driver_api: `${major}.${minor}`, gjs: System.version, repeats, quick});

function makeCase(name) {
    const kernel = code.get_kernel(name);
    const c = {name, kernel, buffers: [], big: null};
    if (name === 'vector_add') {
        c.config = CudaObj.LaunchConfig.new(VECTOR_N / VECTOR_BLOCK, VECTOR_BLOCK);
        for (let i = 0; i < 3; i++)
            c.buffers.push(device.allocate(VECTOR_N * 4, stream));
    } else {
        c.config = CudaObj.LaunchConfig.new(1, SMALL_BLOCK);
        if (name === 'struct_arg') {
            c.big = new Uint8Array(new Int32Array(STRUCT_BYTES / 4).map((_, i) => i).buffer);
            c.buffers.push(device.allocate(4, stream));
        }
    }
    c.fill = args => {
        if (name === 'vector_add') {
            for (let i = 0; i < 3; i++)
                args.set_buffer(i, c.buffers[i]);
            args.set_uint64(3, VECTOR_N);
        } else if (name === 'struct_arg') {
            args.set_data(0, c.big, 4);
            args.set_buffer(1, c.buffers[0]);
        }
    };
    c.args = CudaObj.KernelArgs.new_for_kernel(kernel);
    c.fill(c.args);
    // The parameter buffer: each argument at the offset the kernel gives.
    const n = kernel.get_argument_count();
    const offsets = [];
    let size = 0;
    for (let i = 0; i < n; i++) {
        const [, offset, argSize] = kernel.get_argument_info(i);
        offsets.push(offset);
        size = Math.max(size, offset + argSize);
    }
    c.packed = new Uint8Array(size);
    const view = new DataView(c.packed.buffer);
    const putAddress = (offset, address) => {
        view.setUint32(offset, address % 0x100000000, true);
        view.setUint32(offset + 4, Math.floor(address / 0x100000000), true);
    };
    const handles = c.buffers.map(b => b.handle);
    c.pack = () => {
        if (name === 'vector_add') {
            for (let i = 0; i < 3; i++)
                putAddress(offsets[i], handles[i]);
            putAddress(offsets[3], VECTOR_N);
        } else if (name === 'struct_arg') {
            c.packed.set(c.big, offsets[0]);
            putAddress(offsets[1], handles[0]);
        }
    };
    c.run = {
        [PREBUILT]: count => {
            for (let i = 0; i < count; i++)
                CudaObj.launch(stream, c.config, kernel, c.args);
        },
        [SET]: count => {
            for (let i = 0; i < count; i++) {
                c.fill(c.args);
                CudaObj.launch(stream, c.config, kernel, c.args);
            }
        },
        [PACKED]: count => {
            for (let i = 0; i < count; i++) {
                c.pack();
                CudaObj.launch_packed(stream, c.config, kernel, c.packed);
            }
        },
        [NEW]: count => {
            for (let i = 0; i < count; i++) {
                const args = CudaObj.KernelArgs.new_for_kernel(kernel);
                c.fill(args);
                CudaObj.launch(stream, c.config, kernel, args);
            }
        },
    };
    return c;
}

function timeSubmit(run, n) {
    let total = 0;
    for (let done = 0; done < n; done += BATCH) {
        const batch = Math.min(BATCH, n - done);
        const start = GLib.get_monotonic_time();
        run(batch);
        total += GLib.get_monotonic_time() - start;
        stream.synchronize();
    }
    return total / n;
}

function timeRoundTrip(run, n) {
    const start = GLib.get_monotonic_time();
    for (let i = 0; i < n; i++) {
        run(1);
        stream.synchronize();
    }
    return (GLib.get_monotonic_time() - start) / n;
}

const paths = [PREBUILT, SET, PACKED, NEW];
const table = [];
for (const name of ['empty_kernel', 'vector_add', 'struct_arg']) {
    const c = makeCase(name);
    for (const p of paths) {
        timeSubmit(c.run[p], 2 * BATCH);
        timeRoundTrip(c.run[p], 20);
    }
    for (const [measure, n, time] of [['submit', nSubmit, timeSubmit], ['round trip', nRoundTrip, timeRoundTrip]]) {
        const samples = Object.fromEntries(paths.map(p => [p, []]));
        for (let r = 0; r < repeats; r++) {
            for (let i = 0; i < paths.length; i++) {
                const p = paths[(i + r) % paths.length];
                samples[p].push(time(c.run[p], n));
            }
        }
        for (const p of paths) {
            const m = median(samples[p]);
            const row = {type: 'result', suite: SUITE, case: `${name}, ${measure}`, path: p, median: m,
                min: Math.min(...samples[p]), max: Math.max(...samples[p]), unit: 'us', repeats,
                iterations: n, baseline: p === PREBUILT ? null : PREBUILT};
            // The target: values given per launch within 1.5x of the raw
            // driver launch that the C benchmark measures in the same run.
            if (p === PACKED && name === 'vector_add' && measure === 'submit')
                row.targets = [{vs: 'raw cuLaunchKernel', suite: 'launch', max_ratio: 1.5}];
            emit(row);
            table.push([`${name}, ${measure}`, p, m]);
        }
    }
    if (name === 'struct_arg') {
        const out = new Int32Array(c.buffers[0].copy_to_bytes(0, -1, stream).toArray().slice().buffer);
        if (out[0] !== STRUCT_BYTES / 4 - 1) {
            printerr(`${PROGRAM}: struct_arg wrote ${out[0]}, expected ${STRUCT_BYTES / 4 - 1}`);
            System.exit(1);
        }
    }
    for (const buffer of c.buffers)
        buffer.close(stream);
}
stream.synchronize();

print(`\nKernel launch from GJS, microseconds per launch (median of ${repeats} repeats)`);
for (const [kase, p, m] of table)
    print(`${kase.padEnd(28)} ${p.padEnd(26)} ${m.toFixed(3).padStart(10)}`);
