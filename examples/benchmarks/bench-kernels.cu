// SPDX-License-Identifier: LGPL-2.1-or-later
// The kernels every launch benchmark uses, in every language (C, Python
// with our overrides, cuda.core and CuPy, GJS): one source, compiled once
// per process for the device's architecture.
//
//   empty_kernel  no parameters: the floor of a launch
//   vector_add    three pointers and a 64-bit count (32 bytes of parameters)
//   struct_arg    a 2048-byte struct by value and a pointer (2056 bytes)

extern "C" __global__ void empty_kernel()
{
}

extern "C" __global__ void vector_add(const float *a, const float *b, float *c, unsigned long long n)
{
    unsigned long long i = blockIdx.x * (unsigned long long) blockDim.x + threadIdx.x;
    if (i < n)
        c[i] = a[i] + b[i];
}

struct Big
{
    int values[512];
};

extern "C" __global__ void struct_arg(Big big, int *out)
{
    if (blockIdx.x == 0 && threadIdx.x == 0)
        *out = big.values[0] + big.values[511];
}
