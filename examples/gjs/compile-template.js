// SPDX-License-Identifier: LGPL-2.1-or-later
// compile-template: compile a C++ template for two types and show what NVRTC
// made of it, without a GPU.
//
// The name expressions "scale<float>" and "scale<double>" make NVRTC
// instantiate the template and record each instantiation's mangled
// ("lowered") name; the PTX has one .entry per instantiation under those
// names. The architecture is the first argument (default sm_90); leave arch
// unset to compile for device 0.
import System from 'system';
import CudaObj from 'gi://CudaObj?version=1.0';

const SOURCE = `
template <typename T>
__global__ void scale(T *data, T factor, unsigned n)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        data[i] *= factor;
}
`;

const NAME_EXPRESSIONS = ['scale<float>', 'scale<double>'];

function main(args) {
    const options = new CudaObj.ProgramOptions({arch: args[0] ?? 'sm_90', std: 'c++17'});
    let ptx;
    try {
        print(`NVRTC options: ${options.to_argv().join(' ')}`);
        const program = CudaObj.Program.new(SOURCE, CudaObj.ProgramCodeType.CXX, options);
        ptx = program.compile(CudaObj.CodeType.PTX, NAME_EXPRESSIONS);
    } catch (e) {
        printerr(`compile-template: ${e.message}`);
        return 1;
    }

    for (const name of NAME_EXPRESSIONS)
        print(`${name.padEnd(14)} -> ${ptx.get_lowered_name(name)}`);
    const text = new TextDecoder().decode(ptx.get_code().toArray()).replace(/\0$/, '');
    print('PTX entries:');
    for (const line of text.split('\n')) {
        if (line.includes('.entry '))
            print(`  ${line.trim()}`);
    }
    return 0;
}

System.exit(main(ARGV));
