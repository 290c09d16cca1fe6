// SPDX-License-Identifier: LGPL-2.1-or-later
// A small TAP producer for the GJS tests: test(name, fn), skip via SkipTest.
import System from 'system';

const tests = [];

export class SkipTest extends Error {}

export function test(name, fn) {
    tests.push([name, fn]);
}

export function assert(condition, message) {
    if (!condition)
        throw new Error(`assertion failed: ${message}`);
}

export function assertEqual(actual, expected, message = '') {
    if (actual !== expected)
        throw new Error(`${message} expected ${expected}, got ${actual}`);
}

export function assertThrows(fn, check, message = '') {
    try {
        fn();
    } catch (e) {
        if (check && !check(e))
            throw new Error(`${message}: wrong error: ${e}`);
        return e;
    }
    throw new Error(`${message}: did not throw`);
}

export async function run() {
    print(`1..${tests.length}`);
    let failed = 0;
    for (const [i, [name, fn]] of tests.entries()) {
        try {
            await fn();
            print(`ok ${i + 1} ${name}`);
        } catch (e) {
            if (e instanceof SkipTest) {
                print(`ok ${i + 1} ${name} # SKIP ${e.message}`);
            } else {
                failed++;
                print(`not ok ${i + 1} ${name}`);
                for (const line of `${e}\n${e.stack ?? ''}`.split('\n'))
                    print(`# ${line}`);
            }
        }
    }
    System.exit(failed ? 1 : 0);
}
