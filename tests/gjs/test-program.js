// SPDX-License-Identifier: LGPL-2.1-or-later
// JIT compilation from GJS: ProgramOptions, Program, Linker, ObjectCode, the compile cache.
import GLib from 'gi://GLib';
import CudaObj from 'gi://CudaObj?version=1.0';
import {test, assert, assertEqual, assertThrows, run} from './tap.js';

const SAXPY = `
template <typename T>
__global__ void saxpy(T a, const T *x, T *y, unsigned n)
{
  unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    y[i] = a * x[i] + y[i];
}
extern "C" __global__ void scale(float *x) { x[threadIdx.x] *= 2.0f; }
`;

const decoder = new TextDecoder();

function program(code, props = {}) {
    const options = new CudaObj.ProgramOptions({arch: 'sm_90', ...props});
    const p = CudaObj.Program.new(code, CudaObj.ProgramCodeType.CXX, options);
    p.use_cache = false;
    return p;
}

function bytesOf(code) {
    return code.get_code().toArray();
}

test('options are properties', () => {
    const options = new CudaObj.ProgramOptions({
        std: 'c++17', arch: 'sm_90', use_fast_math: true, define_macro: ['N=4'],
    });
    assertEqual(options.std, 'c++17', 'std');
    assertEqual(options.prec_sqrt, true, 'default prec-sqrt');
    assertEqual(options.to_argv().join(' '),
        '--gpu-architecture=sm_90 --std=c++17 --use_fast_math --define-macro=N=4', 'argv');
    const copy = options.copy();
    copy.std = 'c++20';
    assertEqual(options.std, 'c++17', 'copies are independent');
});

test('compile to PTX, CUBIN and LTO-IR', () => {
    for (const arch of ['sm_90', 'sm_75']) {
        const p = program(SAXPY, {arch});
        const ptx = decoder.decode(bytesOf(p.compile(CudaObj.CodeType.PTX, null)));
        assert(ptx.includes('.visible .entry scale('), 'entry');
        assert(ptx.includes(`.target ${arch}`), 'target');
        const cubin = bytesOf(p.compile(CudaObj.CodeType.CUBIN, null));
        assertEqual([...cubin.slice(0, 4)].join(), '127,69,76,70', 'ELF magic');
        const ltoir = bytesOf(p.compile(CudaObj.CodeType.LTOIR, null));
        assertEqual([...ltoir.slice(0, 4)].join(), '237,67,78,127', 'LTO-IR magic');
    }
});

test('name expressions give lowered names', () => {
    const code = program(SAXPY).compile(CudaObj.CodeType.PTX, ['saxpy<float>']);
    const lowered = code.get_lowered_name('saxpy<float>');
    assert(lowered.startsWith('_Z'), 'mangled');
    assertEqual(code.get_lowered_name('saxpy<int>'), null, 'unknown');
    assertEqual(code.get_name_expressions().join(), 'saxpy<float>', 'listed');
    assert(decoder.decode(bytesOf(code)).includes(`.entry ${lowered}(`), 'in the PTX');
});

test('a compile error carries the log and leaves things usable', () => {
    const p = program('extern "C" __global__ void k(float *x)\n{\n  x[0] = nope + 1;\n}\n');
    const err = assertThrows(() => p.compile(CudaObj.CodeType.CUBIN, null),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.COMPILE), 'compile');
    assert(err.message.includes('x[0] = nope + 1;'), 'source line in the message');
    assert(p.log.includes('"nope" is undefined'), 'log property');
    assertThrows(() => program(SAXPY, {extra_options: ['--bogus']}).compile(CudaObj.CodeType.PTX, null),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT), 'unknown option');
    assert(program(SAXPY).compile(CudaObj.CodeType.PTX, null) !== null, 'usable');
});

test('compile_async in a main loop', () => {
    const loop = new GLib.MainLoop(null, false);
    let code = null, error = null;
    program(SAXPY).compile_async(CudaObj.CodeType.PTX, ['saxpy<double>'], null, (p, result) => {
        try {
            code = p.compile_finish(result);
        } catch (e) {
            error = e;
        }
        loop.quit();
    });
    loop.run();
    assertEqual(error, null, 'no error');
    assert(code.get_lowered_name('saxpy<double>').startsWith('_Z'), 'lowered name');
});

test('the cache makes the second compile a hit', () => {
    const dir = GLib.dir_make_tmp('cudaobj-gjs-XXXXXX');
    const cache = CudaObj.CompileCache.new(dir);
    const compile = () => {
        const p = CudaObj.Program.new(SAXPY, CudaObj.ProgramCodeType.CXX,
            new CudaObj.ProgramOptions({arch: 'sm_90'}));
        p.cache = cache;
        return p.compile(CudaObj.CodeType.CUBIN, ['saxpy<float>']);
    };
    const a = compile();
    const b = compile();
    assertEqual(cache.hits, 1, 'hits');
    assertEqual(cache.misses, 1, 'misses');
    assertEqual(a.get_code().compare(b.get_code()), 0, 'same code');
    assertEqual(b.get_lowered_name('saxpy<float>'), a.get_lowered_name('saxpy<float>'), 'lowered name');
    cache.clear();
    GLib.rmdir(dir);
});

test('link two LTO-IR units', () => {
    const main = program('extern __device__ float helper(float);\n' +
        'extern "C" __global__ void apply(float *x) { x[0] = helper(x[0]); }\n')
        .compile(CudaObj.CodeType.LTOIR, null);
    const helper = program('__device__ float helper(float v) { return v * 3.0f; }\n')
        .compile(CudaObj.CodeType.LTOIR, null);
    const linker = CudaObj.Linker.new(new CudaObj.LinkerOptions({arch: 'sm_90', link_time_optimization: true}));
    linker.add(main);
    linker.add(helper);
    const cubin = linker.link();
    assertEqual(cubin.code_type, CudaObj.CodeType.CUBIN, 'CUBIN');
    const lonely = CudaObj.Linker.new(new CudaObj.LinkerOptions({arch: 'sm_90'}));
    lonely.add(program('extern __device__ float helper(float);\n' +
        'extern "C" __global__ void apply(float *x) { x[0] = helper(x[0]); }\n',
    {relocatable_device_code: true}).compile(CudaObj.CodeType.CUBIN, null));
    assertThrows(() => lonely.link(), e => e.matches(CudaObj.error_quark(), CudaObj.Error.LINK), 'undefined');
    assert(lonely.error_log.includes('Undefined reference'), 'error log');
});

test('object code from bytes checks its kind', () => {
    const ptx = program(SAXPY).compile(CudaObj.CodeType.PTX, null);
    const again = CudaObj.ObjectCode.new_from_ptx(ptx.get_code());
    assertEqual(again.code_type, CudaObj.CodeType.PTX, 'PTX');
    assertThrows(() => CudaObj.ObjectCode.new_from_cubin(ptx.get_code()),
        e => e.matches(CudaObj.error_quark(), CudaObj.Error.INVALID_ARGUMENT), 'not a CUBIN');
});

await run();
