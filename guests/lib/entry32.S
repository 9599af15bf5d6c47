/*
 * Entry of the 32-bit protected-mode guests. Boot state (guests/README.md): flat CS/DS, paging off, ESP = 0,
 * GDTR/IDTR empty. Loads our own GDT (same selectors 0x08/0x10), a stack, zeroes .bss, runs guest_main.
 */
    .code32
    .section .text.entry, "ax"
    .globl _start
_start:
    cli
    lgdt gdt_ptr
    ljmp $0x08, $1f
1:  movl $0x10, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %fs
    movl %eax, %gs
    movl %eax, %ss
    movl $rt_stack_top, %esp
    cld
    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    shrl $2, %ecx
    xorl %eax, %eax
    rep stosl
    call rt_init
    call guest_main
    pushl %eax
    call rt_exit

    .section .data
    .p2align 3
    .globl rt_gdt
rt_gdt:
    .quad 0                       /* 0x00 null */
    .quad 0x00CF9A000000FFFF      /* 0x08 code, 32-bit, base 0, limit 4 GiB */
    .quad 0x00CF92000000FFFF      /* 0x10 data, base 0, limit 4 GiB */
rt_gdt_end:
gdt_ptr:
    .word rt_gdt_end - rt_gdt - 1
    .long rt_gdt

    .section .bss
    .p2align 4
    .globl rt_stack_top
rt_stack:
    .skip 16384
rt_stack_top:
