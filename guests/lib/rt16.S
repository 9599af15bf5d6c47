/*
 * Real-mode runtime shared by the flat guests: console on port 0xE9, checks, exit on port 0xF4.
 * All routines are near (segment 0), expect DS = ES = 0 and DF = 0, and preserve registers unless noted.
 */
    .code16
    .text
    .globl rt16_putc, rt16_puts, rt16_puthex16, rt16_puthex32, rt16_exit, rt16_check16, rt16_check32
    .globl rt16_ok_text

/* al = character */
rt16_putc:
    outb %al, $0xE9
    ret

/* si = NUL-terminated string; length found with REPNE SCASB, written with REP OUTSB */
rt16_puts:
    pushal
    pushfw
    cld
    movw %si, %di
    xorb %al, %al
    movw $0xFFFF, %cx
    repne scasb
    notw %cx
    decw %cx                       /* cx = length without the NUL */
    movw $0xE9, %dx
    rep outsb
    popfw
    popal
    ret

/* eax = value, cx = number of hex digits (1..8); prints 0x and the digits */
puthex:
    pushal
    movl %eax, %edx
    movb $'0', %al
    call rt16_putc
    movb $'x', %al
    call rt16_putc
    movw %cx, %bx
    shlw $2, %bx                   /* bits to print */
1:  subw $4, %bx
    movl %edx, %eax
    movb %bl, %cl
    shrl %cl, %eax
    andb $0x0F, %al
    addb $'0', %al
    cmpb $'9', %al
    jbe 2f
    addb $('a' - '9' - 1), %al
2:  call rt16_putc
    testw %bx, %bx
    jnz 1b
    popal
    ret

rt16_puthex16:
    pushw %cx
    movw $4, %cx
    pushl %eax
    movzwl %ax, %eax
    call puthex
    popl %eax
    popw %cx
    ret

rt16_puthex32:
    pushw %cx
    movw $8, %cx
    call puthex
    popw %cx
    ret

/* al = exit code; written to port 0xF4 with a 16-bit OUT */
rt16_exit:
    movzbw %al, %bx
    movw $exit_text, %si
    call rt16_puts
    movw %bx, %ax
    movw $2, %cx
    movzwl %ax, %eax
    call puthex
    movb $'\n', %al
    call rt16_putc
    movw %bx, %ax
    movw $0xF4, %dx
    outw %ax, %dx
1:  cli
    hlt
    jmp 1b

/* al = value, printed in decimal */
putdec8:
    pushal
    xorw %cx, %cx
    movb $10, %bl
1:  movb $0, %ah
    divb %bl                       /* al = quotient, ah = digit */
    movb %ah, %dl
    pushw %dx
    incw %cx
    testb %al, %al
    jnz 1b
2:  popw %ax
    addb $'0', %al
    call rt16_putc
    loop 2b
    popal
    ret

/* ax = actual, bx = expected, cl = check number */
rt16_check16:
    cmpw %bx, %ax
    jne 1f
    ret
1:  movzwl %ax, %eax
    movzwl %bx, %ebx
    jmp fail

/* eax = actual, ebx = expected, cl = check number */
rt16_check32:
    cmpl %ebx, %eax
    jne fail
    ret

fail:
    movl %eax, %edx
    movw $fail_text, %si
    call rt16_puts
    pushw %cx
    movb %cl, %al
    call putdec8
    movw $got_text, %si
    call rt16_puts
    movl %edx, %eax
    movw $8, %cx
    call puthex
    movw $want_text, %si
    call rt16_puts
    movl %ebx, %eax
    call puthex
    movb $'\n', %al
    call rt16_putc
    popw %cx
    movb %cl, %al
    jmp rt16_exit

    .section .rodata
fail_text: .asciz "\nFAIL check "
got_text:  .asciz ": got "
want_text: .asciz ", expected "
exit_text: .asciz "exit "
rt16_ok_text: .asciz "ok\n"
