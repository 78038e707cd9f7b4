/*
 * C twins of the Java kernels of the benchmark suite (dev.numbat.kernels), compiled at benchmark time by the
 * clang of org.bytedeco:llvm into one shared library and called through FFM (dev.numbat.bench.suite.ClangTwins).
 *
 * Calling convention: the one Numbat's compiled code uses, without its context block. Every Java array
 * parameter becomes a pointer to its first element and its length (int32_t), in the parameter's place; other
 * parameters keep their Java type. Twin of Foo.bar is twin_bar.
 *
 * Same algorithm, same floating-point operations in the same order as the Java source, so that results are
 * bit-for-bit the JVM's: compiled with -ffp-contract=off (clang's default would fuse a * b + c into an FMA,
 * which Java never does) and no fast-math. No restrict either: Java arrays may alias, so the C code gets the
 * same aliasing assumptions as the Java code. The twins do no bounds checks; the benchmark gives them valid input.
 */
#ifndef NUMBAT_TWINS_H
#define NUMBAT_TWINS_H

#include <math.h>
#include <stdint.h>

#define TWIN __attribute__((visibility("default")))

#endif
