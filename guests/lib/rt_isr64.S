/* 64-bit vector stubs: push a zero error code where the CPU pushes none, the vector, then all GPRs. */
    .code64
    .text


    .altmacro
    .macro stub v
    .p2align 4
isr_\v:
    .if !(\v == 8 || (\v >= 10 && \v <= 14) || \v == 17 || \v == 21 || \v == 29 || \v == 30)
    pushq $0
    .endif
    pushq $\v
    jmp isr_common
    .endm

    .set vec, 0
    .rept 256
    stub %vec
    .set vec, vec + 1
    .endr

isr_common:
    pushq %rax
    pushq %rcx
    pushq %rdx
    pushq %rbx
    pushq %rbp
    pushq %rsi
    pushq %rdi
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    movq %rsp, %rdi
    movq %rsp, %rbx
    andq $-16, %rsp
    call rt_dispatch
    movq %rbx, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rdi
    popq %rsi
    popq %rbp
    popq %rbx
    popq %rdx
    popq %rcx
    popq %rax
    addq $16, %rsp          /* vector and error code */
    iretq

    .macro stubaddr v
    .quad isr_\v
    .endm

    .section .rodata
    .p2align 3
    .globl rt_isr_stubs
rt_isr_stubs:
    .set vec, 0
    .rept 256
    stubaddr %vec
    .set vec, vec + 1
    .endr
