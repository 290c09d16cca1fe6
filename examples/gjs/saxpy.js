// SPDX-License-Identifier: LGPL-2.1-or-later
// saxpy: y = a * x + y for float and double, from one C++ template, in GJS
// (run with `gjs -m saxpy.js`).
//
// NVRTC instantiates the template for the name expressions given at compile
// time, "saxpy<float>" and "saxpy<double>"; the ObjectCode maps each to its
// lowered (mangled) name, and get_kernel takes the expression itself.
//
// Exit status: 0 when every element is right, 1 when one is not, 77 (skip)
// when there is no usable CUDA device.
import GLib from 'gi://GLib';
import System from 'system';
import CudaObj from 'gi://CudaObj?version=1.0';

const SOURCE = `
template <typename T>
__global__ void saxpy(T a, const T *x, T *y, size_t n)
{
    size_t i = blockIdx.x * (size_t) blockDim.x + threadIdx.x;
    if (i < n)
        y[i] = a * x[i] + y[i];
}
`;

const N = 1 << 20;
const A = 2.5;
// Each instantiation: its element type, and how to pass the scalar `a`.
const INSTANCES = [
    {expression: 'saxpy<float>', ArrayType: Float32Array, setScalar: (args, i, v) => args.set_float(i, v)},
    {expression: 'saxpy<double>', ArrayType: Float64Array, setScalar: (args, i, v) => args.set_double(i, v)},
];

const toBytes = array => new GLib.Bytes(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
const fromBytes = (bytes, ArrayType) => {
    const data = bytes.toArray();
    return new ArrayType(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
};

let device;
try {
    device = CudaObj.Device.get(0);
} catch (e) {
    printerr(`saxpy: no CUDA device: ${e.message}`);
    System.exit(77);
}

const options = new CudaObj.ProgramOptions({arch: `sm_${device.arch}`, std: 'c++17'});
const program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options);
const code = program.compile(CudaObj.CodeType.CUBIN, INSTANCES.map(instance => instance.expression));

const stream = device.create_stream();
const config = CudaObj.LaunchConfig.new_for_size(N, 256);
let failures = 0;
for (const {expression, ArrayType, setScalar} of INSTANCES) {
    const kernel = code.get_kernel(expression);
    print(`saxpy: ${expression} is ${code.get_lowered_name(expression)}`);

    // Small whole numbers: a * x + y is exact in both precisions, whether or
    // not the compiler fuses it into one FMA, so equality is the check.
    const x = new ArrayType(N);
    const y = new ArrayType(N);
    for (let i = 0; i < N; i++) {
        x[i] = i % 1000;
        y[i] = i % 7;
    }
    const dX = device.allocate(x.byteLength, stream);
    const dY = device.allocate(y.byteLength, stream);
    dX.copy_from_bytes(toBytes(x), 0, stream);
    dY.copy_from_bytes(toBytes(y), 0, stream);

    const args = CudaObj.KernelArgs.new_for_kernel(kernel);
    setScalar(args, 0, A);
    args.set_buffer(1, dX);
    args.set_buffer(2, dY);
    args.set_uint64(3, N);
    CudaObj.launch(stream, config, kernel, args);

    const result = fromBytes(dY.copy_to_bytes(0, -1, stream), ArrayType);
    dX.close(stream);
    dY.close(stream);
    let wrong = 0, first = -1;
    for (let i = 0; i < N; i++) {
        if (result[i] !== A * x[i] + y[i] && wrong++ === 0)
            first = i;
    }
    if (wrong > 0) {
        printerr(`saxpy: ${expression}: ${wrong} of ${N} elements wrong, first y[${first}] = ` +
            `${result[first]}, expected ${A * x[first] + y[first]}`);
        failures++;
    } else {
        print(`saxpy: ${expression}: ${N} elements correct, y[${N - 1}] = ${result[N - 1]}`);
    }
}
stream.synchronize();
System.exit(failures > 0 ? 1 : 0);
