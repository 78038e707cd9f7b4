/* A minimal disassembler plug-in for HotSpot (-XX:+PrintAssembly), on LLVM-C's disassembler from the libLLVM of
 * org.bytedeco:llvm: so that C2's code can be read beside Numbat's on machines without a binutils-based hsdis.
 * Built by build.sh; a probe tool for performance work, not part of Numbat. */
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <llvm-c/Disassembler.h>
#include <llvm-c/Target.h>
void LLVMInitializeX86TargetInfo(void); void LLVMInitializeX86TargetMC(void); void LLVMInitializeX86Disassembler(void);
static LLVMDisasmContextRef dc;
void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer, uintptr_t length,
        void *(*event_callback)(void *, const char *, void *), void *event_stream,
        int (*printf_callback)(void *, const char *, ...), void *printf_stream, const char *options, int newline) {
    if (!dc) {
        LLVMInitializeX86TargetInfo(); LLVMInitializeX86TargetMC(); LLVMInitializeX86Disassembler();
        dc = LLVMCreateDisasmCPU("x86_64-pc-linux-gnu", "znver5", NULL, 0, NULL, NULL);
        LLVMSetDisasmOptions(dc, LLVMDisassembler_Option_PrintImmHex);
    }
    uintptr_t pc = start_va;
    char text[256];
    while (pc < end_va) {
        size_t off = pc - start_va;
        if (event_callback) event_callback(event_stream, "insn", (void *) pc);
        size_t n = LLVMDisasmInstruction(dc, buffer + off, length - off, pc, text, sizeof text);
        if (n == 0) { printf_callback(printf_stream, "\t(bad)"); n = 1; }
        else printf_callback(printf_stream, "%s", text);
        pc += n;
        if (event_callback) event_callback(event_stream, "/insn", (void *) pc);
        if (newline) printf_callback(printf_stream, "\n");
    }
    return (void *) pc;
}
