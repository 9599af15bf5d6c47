/*
 * triple-fault (negative): loads an empty IDT (limit 0) and divides by zero. Vector 0 (#DE) is outside the
 * IDT -> #GP, also outside -> #DF, also outside -> triple fault: the partition must report a shutdown
 * (partita run: exit status 125 with a report). If execution ever continues, exits with 0x55.
 * (#DE rather than INT3: on PVM hosts KVM's instruction emulator cannot execute INT n outside real mode,
 * while faults it raises itself are delivered.)
 * Bare 32-bit protected-mode entry; uses nothing of the runtime.
 */
    .code32
    .section .text.entry, "ax"
    .globl _start
_start:
    cli
    movl $0x90000, %esp            /* a valid stack: the faults come from the IDT alone */
    movl $msg, %esi
1:  lodsb
    testb %al, %al
    jz 2f
    outb %al, $0xE9
    jmp 1b
2:  lidt empty_idt
    xorl %ecx, %ecx
    divl %ecx                      /* #DE */
    movb $0x55, %al                /* not reached on a correct CPU */
    outb %al, $0xF4
3:  hlt
    jmp 3b

    .section .rodata
msg: .asciz "triple-fault guest: empty IDT, then #DE\n"
    .p2align 2
empty_idt:
    .word 0                        /* limit 0: no gate is present */
    .long 0
