/*
 * Reference for `ci/bench exits`: the same guest the Java run loop runs, driven by a minimal C
 * KVM_RUN loop. Loads a flat image at 0x7C00 (real mode) or an ELF32/64 executable (PT_LOAD to
 * p_paddr, 32-bit protected mode, paging off), per the boot states of guests/README.md, with
 * an in-kernel irqchip and PIT like a Partita partition. Every port-I/O exit other than the debug
 * ports is counted; OUT to 0xE9 is echoed; OUT to 0xF4 ends the run.
 *
 * Prints one line: "exits=N ns_per_exit=X cpu_ns_per_exit=Y total_ns=T exit_code=C", where
 * ns_per_exit is wall time measured between the first and the last counted exit (the same method
 * as the Java harness), and cpu_ns_per_exit the vCPU thread's CPU time (user + system, including
 * the kernel's work in KVM_RUN) over the same span, sampled at the first exit and at exit number
 * EXPECTED_EXITS (when given), so that busy neighbours on the host disturb it less.
 *
 * usage: exits_ref IMAGE [EXPECTED_EXITS [MEMORY_MIB]]
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) { fprintf(stderr, "exits_ref: %s: %s\n", what, strerror(errno)); exit(126); }
static void fail(const char *what) { fprintf(stderr, "exits_ref: %s\n", what); exit(2); }

static uint64_t cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void flat_seg(struct kvm_segment *s, uint16_t sel, int code) {
    memset(s, 0, sizeof *s);
    s->selector = sel; s->base = 0; s->limit = 0xFFFFFFFF; s->present = 1; s->s = 1; s->db = 1; s->g = 1;
    s->type = code ? 0xB : 0x3;
}

int main(int argc, char **argv) {
    if (argc < 2) fail("usage: exits_ref IMAGE [MEMORY_MIB]");
    uint64_t expected = argc > 2 ? strtoull(argv[2], NULL, 0) : 0;
    size_t mem_size = (size_t)(argc > 3 ? atoi(argv[3]) : 32) << 20;
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) die("open image");
    struct stat st;
    if (fstat(fd, &st) < 0) die("stat image");
    uint8_t *img = malloc(st.st_size);
    if (!img || read(fd, img, st.st_size) != st.st_size) die("read image");
    close(fd);

    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) die("open /dev/kvm");
    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0) die("KVM_CREATE_VM");
    uint8_t *mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) die("mmap guest memory");
    struct kvm_userspace_memory_region region = { .slot = 0, .guest_phys_addr = 0, .memory_size = mem_size,
                                                  .userspace_addr = (uint64_t)mem };
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) die("KVM_SET_USER_MEMORY_REGION");
    if (ioctl(vm, KVM_CREATE_IRQCHIP, 0) < 0) die("KVM_CREATE_IRQCHIP");
    struct kvm_pit_config pit = { .flags = 0 };
    if (ioctl(vm, KVM_CREATE_PIT2, &pit) < 0) die("KVM_CREATE_PIT2");

    int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu < 0) die("KVM_CREATE_VCPU");
    int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (run_size < 0) die("KVM_GET_VCPU_MMAP_SIZE");
    struct kvm_run *run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED) die("mmap kvm_run");

    struct kvm_sregs sregs;
    if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0) die("KVM_GET_SREGS");
    struct kvm_regs regs;
    memset(&regs, 0, sizeof regs);
    regs.rflags = 2;
    if (st.st_size >= 4 && memcmp(img, ELFMAG, SELFMAG) == 0) {
        int is64 = img[EI_CLASS] == ELFCLASS64;
        uint64_t entry, phoff; int phnum, phentsize;
        if (is64) { Elf64_Ehdr *h = (Elf64_Ehdr *)img; entry = h->e_entry; phoff = h->e_phoff; phnum = h->e_phnum; phentsize = h->e_phentsize; }
        else { Elf32_Ehdr *h = (Elf32_Ehdr *)img; entry = h->e_entry; phoff = h->e_phoff; phnum = h->e_phnum; phentsize = h->e_phentsize; }
        for (int i = 0; i < phnum; i++) {
            uint8_t *ph = img + phoff + (uint64_t)i * phentsize;
            uint64_t type, off, paddr, filesz, memsz;
            if (is64) { Elf64_Phdr *p = (Elf64_Phdr *)ph; type = p->p_type; off = p->p_offset; paddr = p->p_paddr; filesz = p->p_filesz; memsz = p->p_memsz; }
            else { Elf32_Phdr *p = (Elf32_Phdr *)ph; type = p->p_type; off = p->p_offset; paddr = p->p_paddr; filesz = p->p_filesz; memsz = p->p_memsz; }
            if (type != PT_LOAD) continue;
            if (paddr + memsz > mem_size || off + filesz > (uint64_t)st.st_size) fail("ELF segment out of range");
            memcpy(mem + paddr, img + off, filesz);
            memset(mem + paddr + filesz, 0, memsz - filesz);
        }
        flat_seg(&sregs.cs, 0x08, 1);
        flat_seg(&sregs.ds, 0x10, 0); sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
        sregs.cr0 = 0x11; sregs.gdt.base = 0; sregs.gdt.limit = 0; sregs.idt.base = 0; sregs.idt.limit = 0;
        regs.rip = entry;
    } else {
        if (0x7C00 + (uint64_t)st.st_size > 0xA0000) fail("flat image too large");
        memcpy(mem + 0x7C00, img, st.st_size);
        sregs.cs.selector = 0; sregs.cs.base = 0;
        regs.rip = 0x7C00; regs.rsp = 0x7C00;
    }
    if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0) die("KVM_SET_SREGS");
    if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0) die("KVM_SET_REGS");

    uint64_t exits = 0, first = 0, last = 0, cpu_first = 0, cpu_last = 0, start = now_ns();
    int exit_code = -1;
    for (;;) {
        if (ioctl(vcpu, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            die("KVM_RUN");
        }
        if (run->exit_reason == KVM_EXIT_IO) {
            uint8_t *data = (uint8_t *)run + run->io.data_offset;
            uint16_t port = run->io.port;
            if (port == 0xF4 && run->io.direction == KVM_EXIT_IO_OUT) { exit_code = data[0]; break; }
            if (port == 0xE9 && run->io.direction == KVM_EXIT_IO_OUT) {
                fwrite(data, 1, (size_t)run->io.size * run->io.count, stdout);
                continue;
            }
            uint64_t t = now_ns();
            if (exits == 0) { first = t; cpu_first = cpu_ns(); }
            last = t;
            exits++;
            if (exits == expected) cpu_last = cpu_ns();
            if (run->io.direction == KVM_EXIT_IO_IN) memset(data, 0xFF, (size_t)run->io.size * run->io.count);
            continue;
        }
        fprintf(stderr, "exits_ref: unexpected exit reason %u\n", run->exit_reason);
        return 125;
    }
    uint64_t total = now_ns() - start;
    double per = exits > 1 ? (double)(last - first) / (double)(exits - 1) : 0.0;
    double cpu_per = exits > 1 && cpu_last ? (double)(cpu_last - cpu_first) / (double)(exits - 1) : 0.0;
    printf("exits=%llu ns_per_exit=%.1f cpu_ns_per_exit=%.1f total_ns=%llu exit_code=%d\n", (unsigned long long)exits, per,
           cpu_per, (unsigned long long)total, exit_code);
    return 0;
}
