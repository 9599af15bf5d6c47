/*
 * exit-flood (negative): prints one line, then writes to port 0x02F0 (no device claims it) in a tight
 * loop forever with interrupts off: every iteration is a VM exit. Only a timeout ends it; the host must
 * stay responsive (other partitions keep running).
 */
#include "rt16.inc"
    .set FLOOD_PORT, 0x02F0
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
    movw $FLOOD_PORT, %dx
flood:
    outb %al, %dx
    incb %al
    jmp flood

    .section .rodata
msg: .asciz "exit-flood guest: OUT to port 0x2f0 forever\n"
