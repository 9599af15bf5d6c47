/*
 * Multiboot (version 1) entry of the multiboot test guest. The header asks for page-aligned modules and
 * memory information (flags 0 and 1) and relies on the ELF program headers for loading (no flag 16).
 * The loader enters _start in 32-bit protected mode, paging off, with EAX = 0x2BADB002 and EBX = the
 * boot information; the entry sets up a stack and calls mb_main(magic, info), then halts.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003

    .section .text.entry, "ax"
    .code32
    .align 4
mb_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .globl _start
_start:
    cli
    mov $stack_top, %esp
    push %ebx
    push %eax
    call mb_main
1:  hlt
    jmp 1b

    .bss
    .align 16
    .space 16384
stack_top:
