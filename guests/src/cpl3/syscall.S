/* SYSCALL entry (IA32_LSTAR): switch to the kernel's syscall stack, call syscall_dispatch, SYSRETQ. */
    .code64
    .text
    .globl syscall_entry
syscall_entry:
    movq %rsp, syscall_user_rsp(%rip)
    leaq syscall_stack_top(%rip), %rsp
    pushq %rcx                      /* user RIP */
    pushq %r11                      /* user RFLAGS */
    movq %r11, %rcx                 /* syscall_dispatch(nr, a0, user_rip, user_rflags) */
    movq 8(%rsp), %rdx
    movq %rdi, %rsi
    movq %rax, %rdi
    call syscall_dispatch
    popq %r11
    popq %rcx
    movq syscall_user_rsp(%rip), %rsp
    sysretq

    .bss
    .p2align 4
syscall_user_rsp:
    .quad 0
    .p2align 4
    .skip 8192
syscall_stack_top:
