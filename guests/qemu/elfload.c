/* ELF loader of the qemu-check.sh reset ROM: copies PT_LOAD segments to p_paddr like Partita's loader. */
#include <stdint.h>
#include "rt.h"
#include "x86.h"

struct elf32_ehdr { uint8_t ident[16]; uint16_t type, machine; uint32_t version, entry, phoff, shoff, flags;
                    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx; };
struct elf32_phdr { uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align; };
struct elf64_ehdr { uint8_t ident[16]; uint16_t type, machine; uint32_t version; uint64_t entry, phoff, shoff;
                    uint32_t flags; uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx; };
struct elf64_phdr { uint32_t type, flags; uint64_t offset, vaddr, paddr, filesz, memsz, align; };

#define PT_LOAD 1

static void fail(const char *why) {
    for (const char *p = "qemu boot ROM: "; *p; p++) outb(0xE9, (uint8_t)*p);
    for (const char *p = why; *p; p++) outb(0xE9, (uint8_t)*p);
    outb(0xE9, '\n');
    outl(0xF4, 0xFD);
    for (;;) __asm__ volatile("cli; hlt");
}

static void load(uint8_t *file, uint32_t offset, uint32_t paddr, uint32_t filesz, uint32_t memsz) {
    if (filesz > memsz || paddr + memsz > 0x01800000u) fail("PT_LOAD outside 0..24 MiB");
    uint8_t *dst = (uint8_t *)paddr;
    for (uint32_t i = 0; i < filesz; i++) dst[i] = file[offset + i];
    for (uint32_t i = filesz; i < memsz; i++) dst[i] = 0;
}

uint32_t elf_load(uint8_t *file) {
    if (file[0] != 0x7F || file[1] != 'E' || file[2] != 'L' || file[3] != 'F') fail("no ELF image at 0x01800000");
    if (file[4] == 1) {
        struct elf32_ehdr *h = (struct elf32_ehdr *)file;
        if (h->machine != 3) fail("ELF32 but not EM_386");
        for (int i = 0; i < h->phnum; i++) {
            struct elf32_phdr *p = (struct elf32_phdr *)(file + h->phoff + i * h->phentsize);
            if (p->type == PT_LOAD) load(file, p->offset, p->paddr, p->filesz, p->memsz);
        }
        return h->entry;
    }
    if (file[4] == 2) {
        struct elf64_ehdr *h = (struct elf64_ehdr *)file;
        if (h->machine != 62) fail("ELF64 but not EM_X86_64");
        for (int i = 0; i < h->phnum; i++) {
            struct elf64_phdr *p = (struct elf64_phdr *)(file + (uint32_t)h->phoff + i * h->phentsize);
            if (p->type == PT_LOAD)
                load(file, (uint32_t)p->offset, (uint32_t)p->paddr, (uint32_t)p->filesz, (uint32_t)p->memsz);
        }
        return (uint32_t)h->entry;
    }
    fail("unknown ELF class");
    return 0;
}
