/* loop-forever (negative): prints one line, then spins with interrupts off. Only a timeout ends it. */
#include "rt16.inc"
    .code16
    .section .text.entry, "ax"
    .globl _start
_start:
    cli
    cld
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw $0x7C00, %sp
    movw $msg, %si
    call rt16_puts
spin:
    jmp spin

    .section .rodata
msg: .asciz "loop-forever guest: cli; jmp $\n"
