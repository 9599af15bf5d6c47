/*
 * Reset firmware used only by qemu-check.sh: it puts the CPU into the boot state of guests/README.md and
 * enters the guest, so that QEMU runs the guests exactly as Partita's loader starts them (no BIOS, no
 * SeaBIOS-initialised PIC/PIT, empty IVT).
 *   BOOT_flat: the image was placed at 0x7C00 (-device loader); real mode, CS:IP 0:7C00, SP 0x7C00.
 *   BOOT_elf:  the ELF file was placed raw at 0x01800000; elfload.c copies its PT_LOAD segments, then
 *              32-bit protected mode, CS 0x08 / data 0x10 flat, ESP 0, GPRs 0, GDTR/IDTR limit 0.
 * Both first set the local APIC's LINT0 to ExtINT, unmasked (LVT0 = 0x700), as KVM's reset state of the
 * boot processor has it and a PC BIOS does: QEMU leaves it masked, which would keep 8259 interrupts away.
 */
    .section .init16, "ax"
    .code16
init16:
    cli
    cld
    lgdtl %cs:(rom_gdtr - init16 + 0xF000)
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0                /* CS keeps its real-mode cache; only DS is reloaded */
    movw $0x10, %ax
    movw %ax, %ds
    addr32 movl $0x700, 0xFEE00350 /* LVT LINT0: ExtINT, not masked */
#ifdef BOOT_flat
    movw $0x18, %ax                /* back to a 64 KiB limit before leaving protected mode */
    movw %ax, %ds
    movl %cr0, %eax
    andl $~1, %eax
    movl %eax, %cr0
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    movl $0x7C00, %esp
    pushl $2
    popfl
    xorl %eax, %eax
    xorl %ebx, %ebx
    xorl %ecx, %ecx
    xorl %edx, %edx
    xorl %esi, %esi
    xorl %edi, %edi
    xorl %ebp, %ebp
    ljmpw $0, $0x7C00
#else
    ljmpl $0x08, $pm32

    .code32
pm32:
    movl $0x10, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %fs
    movl %eax, %gs
    movl %eax, %ss
    movl $0x7000, %esp             /* loader stack only; the guest gets ESP = 0 */
    pushl $0x01800000
    call elf_load                  /* eax = entry point (elf_load exits QEMU on a bad file) */
    movl %eax, 0x500
    lidt zero_table
    pushl $2
    popfl
    lgdt zero_table                /* segment caches keep the flat descriptors */
    xorl %eax, %eax
    xorl %ebx, %ebx
    xorl %ecx, %ecx
    xorl %edx, %edx
    xorl %esi, %esi
    xorl %edi, %edi
    xorl %ebp, %ebp
    xorl %esp, %esp
    jmp *0x500

zero_table:
    .word 0
    .long 0
#endif

    .p2align 3
rom_gdt:
    .quad 0
    .quad 0x00CF9A000000FFFF       /* 0x08 code, flat 32-bit */
    .quad 0x00CF92000000FFFF       /* 0x10 data, flat */
    .quad 0x000092000000FFFF       /* 0x18 data, 16-bit, limit 64 KiB (real-mode-like cache) */
rom_gdtr:
    .word 31
    .long rom_gdt

    .section .reset, "ax"
    .code16
    .globl reset
reset:
    jmp init16
