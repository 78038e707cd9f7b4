#!/usr/bin/env bash
# Builds jmh/hsdis/target/hsdis-amd64.so with the clang and libLLVM that org.bytedeco:llvm unpacks into the JavaCPP
# cache (run the benchmarks or the tests once first). Then, for example:
#   LD_LIBRARY_PATH=jmh/hsdis/target java -XX:+UnlockDiagnosticVMOptions \
#       -XX:CompileCommand=print,dev.numbat.kernels.ArrayKernels::saxpy -cp jmh/target/benchmarks.jar ...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
llvm=
for d in $(find "${JAVACPP_CACHE:-$HOME/.javacpp/cache}" -path '*org/bytedeco/llvm/linux-x86_64' -type d); do
    [[ -x "$d/clang" && -f "$d/libLLVM.so" ]] && { llvm=$d; break; }
done
[[ -n "$llvm" ]] || { echo "build.sh: no clang of org.bytedeco:llvm under ~/.javacpp/cache" >&2; exit 1; }
# clang looks for its own libraries by their versioned names, which the cache holds unversioned.
mkdir -p "$here/target/lib"
ln -sf "$llvm/libclang-cpp.so" "$here/target/lib/libclang-cpp.so.20.1"
ln -sf "$llvm/libLLVM.so" "$here/target/lib/libLLVM.so.20.1"
LD_LIBRARY_PATH="$here/target/lib:$llvm" "$llvm/clang" -O2 -shared -fPIC -I"$llvm/include" \
    -o "$here/target/hsdis-amd64.so" "$here/hsdis-llvm.c" -L"$llvm" -lLLVM -Wl,-rpath,"$llvm"
echo "built $here/target/hsdis-amd64.so"
