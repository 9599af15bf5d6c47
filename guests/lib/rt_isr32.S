/* 32-bit vector stubs: push a zero error code where the CPU pushes none, the vector, then pushal. */
    .code32
    .text

    .altmacro
    .macro stub v
    .p2align 4
isr_\v:
    .if !(\v == 8 || (\v >= 10 && \v <= 14) || \v == 17 || \v == 21 || \v == 29 || \v == 30)
    pushl $0
    .endif
    pushl $\v
    jmp isr_common
    .endm

    .set vec, 0
    .rept 256
    stub %vec
    .set vec, vec + 1
    .endr

isr_common:
    pushal
    cld
    pushl %esp              /* argument: the frame */
    call rt_dispatch
    addl $4, %esp
    popal
    addl $8, %esp           /* vector and error code */
    iretl

    .macro stubaddr v
    .long isr_\v
    .endm

    .section .rodata
    .p2align 2
    .globl rt_isr_stubs
rt_isr_stubs:
    .set vec, 0
    .rept 256
    stubaddr %vec
    .set vec, vec + 1
    .endr
