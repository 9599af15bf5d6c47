/*
 * bench_guest: the CPU-bound guest of `ci/bench emulator`, run by Partita's emulator backend and by
 * QEMU TCG. Entered in 32-bit protected mode with paging off (Partita's ELF boot state, also what the
 * guests/ QEMU boot ROM sets up); builds identity page tables (1 GiB of 2 MiB pages), enters long mode
 * and runs PASSES passes of a 32-bit Galois-LFSR-into-buffer workload over WORDS 32-bit words,
 * folding every word into a rotate-xor-add checksum. Prints "sum=XXXXXXXX\n" on port 0xE9 and exits
 * with code 0 through port 0xF4 (QEMU: isa-debug-exit).
 *
 * Build: gcc -c -DPASSES=N bench_guest.S && ld -m elf_x86_64 -nostdlib -Ttext=0x100000 -e _start.
 * Instructions executed by the workload: PASSES * (WORDS * INSNS_PER_WORD + INSNS_PER_PASS).
 */
#ifndef PASSES
#define PASSES 1000
#endif
#define WORDS 4096
#define INSNS_PER_WORD 14
#define INSNS_PER_PASS 4
#define SEED 0x1BADB002
#define POLY 0xEDB88320
#define TABLES 0x80000          /* PML4, PDPT, PD: three pages below 640 KiB */
#define BUFFER 0x400000         /* 16 KiB workload buffer at 4 MiB */
#define STACK 0x90000

        .section .text
        .code32
        .globl _start
_start:
        cli
        lgdt    gdt_desc
        mov     $0x10, %ax
        mov     %ax, %ds
        mov     %ax, %es
        mov     %ax, %ss
        mov     $STACK, %esp
        /* Page tables. */
        mov     $TABLES, %edi
        xor     %eax, %eax
        mov     $(3 * 1024), %ecx
        cld
        rep stosl
        movl    $(TABLES + 0x1000 + 3), TABLES
        movl    $(TABLES + 0x2000 + 3), TABLES + 0x1000
        mov     $(TABLES + 0x2000), %edi
        mov     $0x83, %eax                     /* present, writable, 2 MiB page */
        mov     $512, %ecx
1:      mov     %eax, (%edi)
        movl    $0, 4(%edi)
        add     $0x200000, %eax
        add     $8, %edi
        dec     %ecx
        jnz     1b
        /* Long mode: PAE, CR3, EFER.LME, paging. */
        mov     %cr4, %eax
        or      $0x20, %eax
        mov     %eax, %cr4
        mov     $TABLES, %eax
        mov     %eax, %cr3
        mov     $0xC0000080, %ecx
        rdmsr
        or      $0x100, %eax
        wrmsr
        mov     %cr0, %eax
        or      $0x80000001, %eax
        mov     %eax, %cr0
        ljmp    $0x18, $long_mode

        .code64
long_mode:
        mov     $0x10, %ax
        mov     %ax, %ds
        mov     %ax, %es
        mov     %ax, %ss
        mov     $STACK, %rsp
        /* Zero the buffer. */
        mov     $BUFFER, %edi
        xor     %eax, %eax
        mov     $WORDS, %ecx
        rep stosl
        /* Workload: eax = LFSR state, ebx = checksum, r8 = passes left. */
        mov     $SEED, %eax
        xor     %ebx, %ebx
        mov     $PASSES, %r8d
        test    %r8d, %r8d
        jz      done
outer:
        mov     $BUFFER, %esi
        mov     $WORDS, %ecx
inner:
        mov     %eax, %edx                      /* 1: LFSR step: eax = (eax >> 1) ^ (-(eax & 1) & POLY) */
        and     $1, %edx                        /* 2 */
        neg     %edx                            /* 3 */
        and     $POLY, %edx                     /* 4 */
        shr     $1, %eax                        /* 5 */
        xor     %edx, %eax                      /* 6 */
        xor     %eax, (%rsi)                    /* 7: mix into the buffer */
        mov     (%rsi), %edx                    /* 8 */
        rol     $5, %ebx                        /* 9: checksum */
        xor     %edx, %ebx                      /* 10 */
        add     %edx, %ebx                      /* 11 */
        add     $4, %rsi                        /* 12 */
        dec     %ecx                            /* 13 */
        jnz     inner                           /* 14 */
        dec     %r8d                            /* per pass: mov, mov (above), dec, jnz */
        jnz     outer
done:
        /* Print "sum=XXXXXXXX\n". */
        mov     $0xE9, %dx
        lea     prefix(%rip), %rsi
        mov     $4, %ecx
        rep outsb
        mov     $8, %ecx
2:      rol     $4, %ebx
        mov     %ebx, %eax
        and     $0xF, %eax
        lea     hexdigits(%rip), %rsi
        mov     (%rsi,%rax), %al
        out     %al, %dx
        dec     %ecx
        jnz     2b
        mov     $'\n', %al
        out     %al, %dx
        /* Exit 0. */
        xor     %eax, %eax
        mov     $0xF4, %dx
        out     %eax, %dx
3:      hlt
        jmp     3b

        .section .rodata
        .balign 8
gdt:
        .quad   0
        .quad   0x00CF9A000000FFFF              /* 0x08: 32-bit code */
        .quad   0x00CF92000000FFFF              /* 0x10: data */
        .quad   0x00AF9A000000FFFF              /* 0x18: 64-bit code */
gdt_desc:
        .word   gdt_desc - gdt - 1
        .long   gdt
prefix:
        .ascii  "sum="
hexdigits:
        .ascii  "0123456789abcdef"
