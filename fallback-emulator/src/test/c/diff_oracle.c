/*
 * diff_oracle: the native side of Partita's emulator differential test.
 *
 * Reads test cases (binary, little-endian, on stdin), runs each one natively on this host at CPL3
 * in 64-bit mode, and writes one result per case to stdout. Never runs inside the JVM: the test
 * starts this program as a child process and streams a batch of cases through it.
 *
 * Memory layout (fixed addresses, identical in the emulator's identity-mapped guest):
 *   CODE_BASE  one 4 KiB page, read+execute, holds the case's code followed by a trampoline
 *              (jmp [rip+0]; .quad exit_stub) that saves every GPR, RFLAGS and the FXSAVE image.
 *              The rest of the page is filled with 0xCC (INT3).
 *   DATA_BASE  DATA_SIZE bytes, read+write, no execute; filled per case with splitmix64(seed).
 * Everything around them is unmapped (MAP_FIXED_NOREPLACE proves nothing else lives there).
 *
 * Faults (#DE SIGFPE, #UD SIGILL, #GP/#PF SIGSEGV, #AC/#SS SIGBUS, #BP SIGTRAP) are caught by
 * SA_ONSTACK handlers that copy the vector (REG_TRAPNO), error code (REG_ERR), CR2 and every
 * register from the ucontext and siglongjmp back to the case loop. A periodic SIGVTALRM ends a case
 * that runs longer than ~0.5 s of CPU time (reported as a timeout).
 *
 * Output stream header (once, at start): u32 magic 'ORCL' (0x4c43524f), u32 version 1,
 *   u64 address of exit_stub (the trampoline's jump target, so a reader can mirror the code page).
 * Input stream: per case
 *   u32 magic 'CASE' (0x45534143), u32 flags (reserved, 0), u32 codeLen (<= MAX_CODE), u32 mxcsr,
 *   u64 dataSeed, u64 gpr[16] (x86 numbering RAX,RCX,RDX,RBX,RSP,RBP,RSI,RDI,R8..R15),
 *   u64 rflags (only CF PF AF ZF SF OF DF are applied; IF and bit 1 forced on),
 *   u64 xmm[32] (xmm0 low, xmm0 high, xmm1 low, ...), code bytes padded with zeros to 8.
 * Output stream: per case
 *   u32 magic 'RSLT' (0x544c5352), u32 outcome (0 completed, 1 fault, 2 timeout),
 *   u32 vector, u32 signo, u64 errorCode, u64 cr2, u64 rip, u64 rflags, u64 gpr[16],
 *   u64 xmm[32], u32 mxcsr, u32 nDiff, then nDiff x { u32 wordOffset, u32 0, u64 value }:
 *   every 8-byte word of the data region whose final value differs from its initial value.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#define CODE_BASE 0x100000UL
#define DATA_BASE 0x200000UL
#define DATA_SIZE 0x2000UL
#define PAGE 4096UL
#define TRAMPOLINE_LEN 14
#define MAX_CODE (PAGE - TRAMPOLINE_LEN)
#define CASE_MAGIC 0x45534143u
#define RESULT_MAGIC 0x544c5352u

enum { OUTCOME_DONE = 0, OUTCOME_FAULT = 1, OUTCOME_TIMEOUT = 2 };

/* State shared with the assembly stubs below (hidden so the PIE code reaches them RIP-relative). */
#define HIDDEN __attribute__((visibility("hidden")))
HIDDEN uint64_t g_in[17];                         /* gpr[16], rflags */
HIDDEN uint64_t g_out[17];                        /* gpr[16], rflags */
HIDDEN uint64_t g_host_rsp;
HIDDEN uint64_t g_code_entry = CODE_BASE;
HIDDEN uint8_t g_fx_in[512] __attribute__((aligned(64)));
HIDDEN uint8_t g_fx_out[512] __attribute__((aligned(64)));
HIDDEN uint8_t g_scratch[256] __attribute__((aligned(16)));

void run_native(void);
void exit_stub(void);

/*
 * run_native: saves the callee-saved registers and the host RSP, loads the FXSAVE image, RFLAGS and
 * all sixteen GPRs (RSP included) and jumps to CODE_BASE. It returns only through exit_stub.
 * exit_stub: reached from the trampoline; stores GPRs (mov does not touch flags), RFLAGS through a
 * private scratch stack, the FXSAVE image, clears DF and returns to run_native's caller.
 */
__asm__(
    ".text\n"
    ".globl run_native\n .type run_native,@function\n"
    "run_native:\n"
    "  push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
    "  mov %rsp, g_host_rsp(%rip)\n"
    "  fxrstor64 g_fx_in(%rip)\n"
    "  pushq g_in+128(%rip)\n"
    "  popfq\n"
    "  mov g_in+0(%rip), %rax\n"
    "  mov g_in+8(%rip), %rcx\n"
    "  mov g_in+16(%rip), %rdx\n"
    "  mov g_in+24(%rip), %rbx\n"
    "  mov g_in+32(%rip), %rsp\n"
    "  mov g_in+40(%rip), %rbp\n"
    "  mov g_in+48(%rip), %rsi\n"
    "  mov g_in+56(%rip), %rdi\n"
    "  mov g_in+64(%rip), %r8\n"
    "  mov g_in+72(%rip), %r9\n"
    "  mov g_in+80(%rip), %r10\n"
    "  mov g_in+88(%rip), %r11\n"
    "  mov g_in+96(%rip), %r12\n"
    "  mov g_in+104(%rip), %r13\n"
    "  mov g_in+112(%rip), %r14\n"
    "  mov g_in+120(%rip), %r15\n"
    "  jmp *g_code_entry(%rip)\n"
    ".size run_native, .-run_native\n"
    ".globl exit_stub\n .type exit_stub,@function\n"
    "exit_stub:\n"
    "  mov %rax, g_out+0(%rip)\n"
    "  mov %rcx, g_out+8(%rip)\n"
    "  mov %rdx, g_out+16(%rip)\n"
    "  mov %rbx, g_out+24(%rip)\n"
    "  mov %rsp, g_out+32(%rip)\n"
    "  mov %rbp, g_out+40(%rip)\n"
    "  mov %rsi, g_out+48(%rip)\n"
    "  mov %rdi, g_out+56(%rip)\n"
    "  mov %r8, g_out+64(%rip)\n"
    "  mov %r9, g_out+72(%rip)\n"
    "  mov %r10, g_out+80(%rip)\n"
    "  mov %r11, g_out+88(%rip)\n"
    "  mov %r12, g_out+96(%rip)\n"
    "  mov %r13, g_out+104(%rip)\n"
    "  mov %r14, g_out+112(%rip)\n"
    "  mov %r15, g_out+120(%rip)\n"
    "  lea g_scratch+256(%rip), %rsp\n"
    "  pushfq\n"
    "  popq g_out+128(%rip)\n"
    "  fxsave64 g_fx_out(%rip)\n"
    "  cld\n"
    "  mov g_host_rsp(%rip), %rsp\n"
    "  pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
    "  ret\n"
    ".size exit_stub, .-exit_stub\n");

static sigjmp_buf g_jump;
static volatile sig_atomic_t g_running;
static volatile uint64_t g_case_no;
static uint64_t g_alarm_case = ~0UL;
static int g_alarm_ticks;

struct fault {
    uint32_t outcome, vector, signo;
    uint64_t err, cr2, rip, rflags, gpr[16], xmm[32];
    uint32_t mxcsr;
};
static struct fault g_fault;

static const int GREG_OF_GPR[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP,
                                    REG_RSI, REG_RDI, REG_R8,  REG_R9,  REG_R10, REG_R11,
                                    REG_R12, REG_R13, REG_R14, REG_R15};

static void on_fault(int sig, siginfo_t *info, void *ucv) {
    (void)info;
    ucontext_t *uc = ucv;
    if (!g_running) {
        if (sig == SIGVTALRM) return;
        /* A fault in the runner itself: die with the default action, not silently. */
        signal(sig, SIG_DFL);
        return;
    }
    if (sig == SIGVTALRM) {
        if (g_alarm_case != g_case_no) {
            g_alarm_case = g_case_no;
            g_alarm_ticks = 0;
            return;
        }
        if (++g_alarm_ticks < 10) return;
    }
    greg_t *gr = uc->uc_mcontext.gregs;
    g_fault.outcome = sig == SIGVTALRM ? OUTCOME_TIMEOUT : OUTCOME_FAULT;
    g_fault.signo = (uint32_t)sig;
    g_fault.vector = (uint32_t)gr[REG_TRAPNO];
    g_fault.err = (uint64_t)gr[REG_ERR];
    g_fault.cr2 = (uint64_t)gr[REG_CR2];
    g_fault.rip = (uint64_t)gr[REG_RIP];
    g_fault.rflags = (uint64_t)gr[REG_EFL];
    for (int i = 0; i < 16; i++) g_fault.gpr[i] = (uint64_t)gr[GREG_OF_GPR[i]];
    if (uc->uc_mcontext.fpregs) {
        for (int i = 0; i < 16; i++) memcpy(&g_fault.xmm[2 * i], &uc->uc_mcontext.fpregs->_xmm[i], 16);
        g_fault.mxcsr = uc->uc_mcontext.fpregs->mxcsr;
    }
    g_running = 0;
    siglongjmp(g_jump, 1);
}

static void die(const char *what) {
    fprintf(stderr, "diff_oracle: %s: %s\n", what, strerror(errno));
    exit(2);
}

static uint64_t splitmix64(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Input with fflush-before-block so a streaming reader never waits on our buffered output. */
static uint8_t g_ibuf[1 << 16];
static size_t g_ipos, g_ilen;
static int read_exact(void *dst, size_t n) {
    uint8_t *d = dst;
    while (n > 0) {
        if (g_ipos == g_ilen) {
            fflush(stdout);
            ssize_t r = read(0, g_ibuf, sizeof g_ibuf);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) die("read");
            if (r == 0) return 0;
            g_ipos = 0;
            g_ilen = (size_t)r;
        }
        size_t k = g_ilen - g_ipos < n ? g_ilen - g_ipos : n;
        memcpy(d, g_ibuf + g_ipos, k);
        g_ipos += k;
        d += k;
        n -= k;
    }
    return 1;
}

static void put(const void *p, size_t n) {
    if (fwrite(p, 1, n, stdout) != n) die("write");
}

int main(int argc, char **argv) {
    (void)argv;
    if (argc > 1) {
        printf("usage: diff_oracle < cases > results (binary streams, see the source header)\n");
        return 2;
    }
    /* Code page: one memfd mapped twice, executable at CODE_BASE and writable elsewhere. */
    int fd = memfd_create("diff_oracle_code", 0);
    if (fd < 0) die("memfd_create");
    if (ftruncate(fd, PAGE) != 0) die("ftruncate");
    void *code_x = mmap((void *)CODE_BASE, PAGE, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
    if (code_x != (void *)CODE_BASE) die("mmap code page at CODE_BASE");
    uint8_t *code_w = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (code_w == MAP_FAILED) die("mmap code alias");
    void *data = mmap((void *)DATA_BASE, DATA_SIZE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (data != (void *)DATA_BASE) die("mmap data region at DATA_BASE");
    uint64_t *dw = (uint64_t *)DATA_BASE;
    static uint64_t init[DATA_SIZE / 8];
    memset(code_w, 0xCC, PAGE);

    static uint8_t altstack[1 << 16];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) die("sigaltstack");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER | SA_RESTART; /* the watchdog must not break pipe I/O */
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGVTALRM};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (sigaction(sigs[i], &sa, NULL) != 0) die("sigaction");
    struct itimerval it = {{0, 50000}, {0, 50000}};
    /* User CPU time, so a runner descheduled on a loaded machine never times a case out. */
    if (setitimer(ITIMER_VIRTUAL, &it, NULL) != 0) die("setitimer");

    /* A valid FXSAVE image (default FCW etc.); each case overwrites MXCSR and the XMM registers. */
    __asm__ volatile("fxsave64 %0" : "=m"(g_fx_in));
    static uint8_t buf[PAGE + 8];
    setvbuf(stdout, NULL, _IOFBF, 1 << 20);
    uint32_t oh[2] = {0x4c43524fu, 1};
    uint64_t stub = (uint64_t)(uintptr_t)exit_stub;
    put(oh, sizeof oh);
    put(&stub, 8);
    fflush(stdout);
    size_t dirty = 0; /* bytes of code_w overwritten by the previous case */

    for (;;) {
        uint32_t hdr[4];
        if (!read_exact(hdr, sizeof hdr)) break;
        if (hdr[0] != CASE_MAGIC) { fprintf(stderr, "diff_oracle: bad case magic %08x\n", hdr[0]); return 2; }
        uint32_t code_len = hdr[2], mxcsr = hdr[3];
        if (code_len > MAX_CODE) { fprintf(stderr, "diff_oracle: code length %u > %lu\n", code_len, MAX_CODE); return 2; }
        uint64_t seed, gpr[16], rflags, xmm[32];
        if (!read_exact(&seed, 8) || !read_exact(gpr, sizeof gpr) || !read_exact(&rflags, 8)
            || !read_exact(xmm, sizeof xmm) || !read_exact(buf, (code_len + 7u) & ~7u)) {
            fprintf(stderr, "diff_oracle: truncated case\n");
            return 2;
        }
        /* Code + trampoline: jmp qword [rip+0]; .quad exit_stub */
        memset(code_w, 0xCC, dirty);
        memcpy(code_w, buf, code_len);
        static const uint8_t jmp_abs[6] = {0xFF, 0x25, 0, 0, 0, 0};
        memcpy(code_w + code_len, jmp_abs, 6);
        uint64_t target = (uint64_t)(uintptr_t)exit_stub;
        memcpy(code_w + code_len + 6, &target, 8);
        dirty = code_len + TRAMPOLINE_LEN;

        uint64_t s = seed;
        for (size_t i = 0; i < DATA_SIZE / 8; i++) dw[i] = init[i] = splitmix64(&s);
        memcpy(g_in, gpr, sizeof gpr);
        g_in[16] = (rflags & 0xCD5) | (rflags & 0x400) | 0x202;
        memcpy(g_fx_in + 24, &mxcsr, 4);
        memcpy(g_fx_in + 160, xmm, sizeof xmm);

        g_case_no++;
        g_running = 1;
        if (sigsetjmp(g_jump, 0) == 0) {
            run_native();
            g_running = 0;
            g_fault.outcome = OUTCOME_DONE;
            g_fault.vector = 0;
            g_fault.signo = 0;
            g_fault.err = 0;
            g_fault.cr2 = 0;
            g_fault.rip = CODE_BASE + code_len;
            memcpy(g_fault.gpr, g_out, sizeof g_fault.gpr);
            g_fault.rflags = g_out[16];
            memcpy(g_fault.xmm, g_fx_out + 160, sizeof g_fault.xmm);
            memcpy(&g_fault.mxcsr, g_fx_out + 24, 4);
        }

        uint32_t rh[4] = {RESULT_MAGIC, g_fault.outcome, g_fault.vector, g_fault.signo};
        put(rh, sizeof rh);
        uint64_t rv[5] = {g_fault.err, g_fault.cr2, g_fault.rip, g_fault.rflags};
        put(rv, 4 * 8);
        put(g_fault.gpr, sizeof g_fault.gpr);
        put(g_fault.xmm, sizeof g_fault.xmm);
        uint32_t ndiff = 0;
        for (size_t i = 0; i < DATA_SIZE / 8; i++) ndiff += dw[i] != init[i];
        uint32_t tail[2] = {g_fault.mxcsr, ndiff};
        put(tail, sizeof tail);
        for (uint32_t i = 0; i < DATA_SIZE / 8; i++) {
            if (dw[i] == init[i]) continue;
            uint32_t off[2] = {i * 8, 0};
            put(off, sizeof off);
            put(&dw[i], 8);
        }
    }
    fflush(stdout);
    return 0;
}
