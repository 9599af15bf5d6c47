/*
 * exit-loop (benchmark): OUT AL to port 0x80 N times, then exit 0 via port 0xF4. Real mode.
 * N is the little-endian u32 at image offset 8, after the magic "NITR" at offset 4 (default 100000);
 * a benchmark may patch it in a copy of the image. N = 0 is treated as 1.
 * Console: one line before the loop and one after; nothing else touches port 0x80.
 */
#include "rt16.inc"
    .code16
    .section .text.entry, "ax"
    .globl _start
_start:
    jmp start                      /* 2 bytes (short jump), padded to offset 4 */
    .p2align 2
    .ascii "NITR"                  /* offset 4 */
iterations:
    .long 100000                   /* offset 8 */
start:
    cli
    cld
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw $0x7C00, %sp
    movw $msg_start, %si
    call rt16_puts
    movl iterations, %eax
    call rt16_puthex32
    movb $'\n', %al
    call rt16_putc
    movl iterations, %ecx
    testl %ecx, %ecx
    jnz 1f
    incl %ecx
1:  xorb %al, %al
loop_out:
    outb %al, $0x80
    decl %ecx
    jnz loop_out
    movw $msg_done, %si
    call rt16_puts
    movb $0, %al
    jmp rt16_exit

    .section .rodata
msg_start: .asciz "exit-loop guest: OUT to port 0x80, count "
msg_done:  .asciz "exit-loop done\n"
