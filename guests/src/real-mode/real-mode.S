/*
 * real-mode: 16-bit instruction checks in real mode (flat image at 0x7C00, CS:IP = 0:7C00).
 * Sections and their check numbers (guests/README.md lists them):
 *   arith 1-27   add/sub/adc/sbb/inc/neg/and/xor/or with flags, mul/imul/div/idiv, shifts and rotates
 *   string 30-41 REP MOVSB, REP STOSW, REPE CMPSB, REPNE SCASB, backwards MOVSB with DF=1, LODSW
 *   seg 60-66    segment:offset arithmetic through DS/ES/FS/GS aliases, LES, far call/ret
 *   int 70-76    software INT through the IVT (stacked IP/CS/FLAGS, flags image changed by the handler), INT3
 *   io 80-81     8259 IMR write/read back
 *   timer 85-89  8254 PIT channel 0 + 8259 IRQ0 through the IVT: counter runs, IRR latches, N ticks with STI/HLT
 *   bcd 45-54    DAA, DAS, AAA, AAS, AAM (base 10 and 16), AAD. Last on purpose: KVM's instruction emulator,
 *                which runs all CPL0 code on PVM hosts, lacks DAA/AAA/AAS, so everything else runs first.
 */
#include "rt16.inc"

    .set STATUS_FLAGS, 0x08D5       /* OF SF ZF AF PF CF */
    .set LOGIC_FLAGS, 0x08C5        /* AF is undefined after AND/OR/XOR */
    .set BUF, 0x2000                /* scratch buffers in free low memory */
    .set TICKS_WANTED, 5
    .set PIT_DIVISOR, 11932         /* 1193182 Hz / 11932 = 100 Hz */

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
    movw $hello, %si
    call rt16_puts

/* ---------------------------------------------------------------------------------------------- */
    SECTION arith
    movw $0xFFFF, %ax
    addw $1, %ax
    pushfw
    popw %dx
    CHECK16 1, %ax, $0x0000
    andw $STATUS_FLAGS, %dx
    CHECK16 2, %dx, $0x0055         /* CF ZF AF PF */

    movw $0x7FFF, %ax
    addw $1, %ax
    pushfw
    popw %dx
    CHECK16 3, %ax, $0x8000
    andw $STATUS_FLAGS, %dx
    CHECK16 4, %dx, $0x0894         /* OF SF AF PF */

    xorw %ax, %ax
    subw $1, %ax
    pushfw
    popw %dx
    CHECK16 5, %ax, $0xFFFF
    andw $STATUS_FLAGS, %dx
    CHECK16 6, %dx, $0x0095         /* SF AF PF CF */

    stc
    movw $0x1234, %ax
    adcw $0x1111, %ax
    CHECK16 7, %ax, $0x2346
    stc
    movw $0x5000, %ax
    sbbw $0x0FFF, %ax
    CHECK16 8, %ax, $0x4000

    clc
    movw $0xFFFF, %ax
    incw %ax                        /* CF untouched by INC */
    pushfw
    popw %dx
    andw $STATUS_FLAGS, %dx
    CHECK16 9, %dx, $0x0054         /* ZF AF PF */

    movw $5, %ax
    negw %ax
    pushfw
    popw %dx
    CHECK16 10, %ax, $0xFFFB
    andw $STATUS_FLAGS, %dx
    CHECK16 11, %dx, $0x0091        /* SF AF CF; 0xFB has odd parity */

    movw $0xF0F0, %ax
    andw $0x0FF0, %ax
    pushfw
    popw %dx
    CHECK16 12, %ax, $0x00F0
    andw $LOGIC_FLAGS, %dx
    CHECK16 13, %dx, $0x0004        /* PF */

    movw $0x1234, %ax
    xorw %ax, %ax
    pushfw
    popw %dx
    andw $LOGIC_FLAGS, %dx
    CHECK16 14, %dx, $0x0044        /* ZF PF */

    movw $0x8000, %ax
    orw $0x0001, %ax
    pushfw
    popw %dx
    andw $LOGIC_FLAGS, %dx
    CHECK16 15, %dx, $0x0080        /* SF; 0x01 has odd parity */

    movw $0x1234, %ax
    movw $0x5678, %bx
    mulw %bx                        /* 0x1234 * 0x5678 = 0x06260060 */
    pushfw
    popw %si
    CHECK16 16, %dx, $0x0626
    movw %si, %dx
    andw $0x0801, %dx
    CHECK16 17, %dx, $0x0801        /* CF OF: high half non-zero */

    movw $0xFFFD, %ax               /* -3 */
    movw $7, %bx
    imulw %bx                       /* -21 */
    movw %ax, %si
    CHECK16 18, %dx, $0xFFFF
    CHECK16 19, %si, $0xFFEB

    movw $1, %dx
    xorw %ax, %ax                   /* 65536 */
    movw $300, %bx
    divw %bx                        /* 218 rem 136 */
    movw %dx, %si
    CHECK16 20, %ax, $218
    CHECK16 21, %si, $136

    movw $0xFFFF, %dx
    movw $0xFC18, %ax               /* -1000 */
    movw $7, %bx
    idivw %bx                       /* -142 rem -6 (truncates toward zero) */
    movw %dx, %si
    CHECK16 22, %ax, $0xFF72
    CHECK16 23, %si, $0xFFFA

    movw $0x8000, %ax
    sarw $3, %ax
    CHECK16 24, %ax, $0xF000
    movw $0x8000, %ax
    shrw $3, %ax
    CHECK16 25, %ax, $0x1000
    movw $0x8001, %ax
    rolw $4, %ax
    CHECK16 26, %ax, $0x0018
    stc
    movw $0x0002, %ax
    rcrw $1, %ax                    /* CF enters bit 15, bit 0 (0) goes to CF */
    setc %dl
    shlb $7, %dl
    orb %dl, %al                    /* fold the new CF into bit 7 (it must be 0) */
    CHECK16 27, %ax, $0x8001
    OK

/* ---------------------------------------------------------------------------------------------- */
    SECTION string
    movw $text_a, %si
    movw $BUF, %di
    movw $text_len, %cx
    rep movsb
    CHECK16 30, %cx, $0
    CHECK16 31, %di, $(BUF + text_len)
    CHECK16 32, %si, $(text_a + text_len)
    CHECK16 33, BUF+6, $0x4F57      /* "WO" copied */

    movw $0x1111, BUF+0x120         /* guard word just past the fill */
    movw $(BUF + 0x100), %di
    movw $0xA55A, %ax
    movw $16, %cx
    rep stosw
    CHECK16 34, BUF+0x11E, $0xA55A
    CHECK16 35, BUF+0x120, $0x1111

    movw $text_a, %si               /* "HELLO WORLD" vs "HELLO_WORLD": differ at index 5 */
    movw $text_b, %di
    movw $text_len, %cx
    repe cmpsb
    pushfw
    popw %dx
    CHECK16 36, %cx, $(text_len - 6)
    andw $0x0040, %dx
    CHECK16 37, %dx, $0             /* ZF clear: stopped on a mismatch */

    movw $text_a, %di
    movb $'W', %al
    movw $text_len, %cx
    repne scasb
    CHECK16 38, %cx, $(text_len - 7)
    CHECK16 39, %di, $(text_a + 7)

    movw $text_a, %si               /* overlapping copy two bytes up, backwards (DF = 1) */
    movw $(BUF + 0x200), %di
    movw $8, %cx
    rep movsb
    movw $(BUF + 0x207), %si
    movw $(BUF + 0x209), %di
    movw $8, %cx
    std
    rep movsb
    cld
    CHECK16 40, BUF+0x208, $0x4F57  /* "WO": bytes 6..7 of "HELLO WO" moved to +8..+9 */
    movw $(BUF + 0x202), %si
    lodsw
    CHECK16 41, %ax, $0x4548        /* "HE" */
    OK

/* ---------------------------------------------------------------------------------------------- */
    SECTION seg
    movw $0x1000, %ax
    movw %ax, %ds
    movw $0xBEEF, 0x0010            /* 1000:0010 = linear 0x10010 */
    movw $0x1001, %ax
    movw %ax, %es
    movw %es:0x0000, %dx            /* 1001:0000 = the same byte */
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    CHECK16 60, %dx, $0xBEEF

    movw $0x1234, %ax
    movw %ax, %fs
    movw $0x600D, %fs:0x5678        /* linear 0x179B8 */
    movw $0x179B, %ax
    movw %ax, %gs
    movw %gs:0x0008, %dx
    CHECK16 61, %dx, $0x600D
    movw $0x0008, BUF+0x300         /* far pointer 179B:0008 */
    movw $0x179B, BUF+0x302
    lesw BUF+0x300, %bx
    movw %es:(%bx), %dx
    movw %es, %di
    xorw %ax, %ax
    movw %ax, %es
    CHECK16 62, %dx, $0x600D
    CHECK16 63, %di, $0x179B

    lcallw $0x07C0, $(far_target - 0x7C00)   /* same code through segment 0x07C0 */
    movw %ax, %si
    movw %bx, %di
    movw %cs, %dx
    CHECK16 64, %si, $0x07C0
    CHECK16 65, %dx, $0x0000
    CHECK16 66, %di, $(far_target - 0x7C00)
    OK

/* ---------------------------------------------------------------------------------------------- */
    SECTION int
    movw $soft_int, 0x60*4          /* IVT[0x60] = 0000:soft_int */
    movw $0, 0x60*4+2
    movw $int3_handler, 3*4
    movw $0, 3*4+2
    movw $100, %ax
    stc                             /* the handler clears CF in the stacked FLAGS */
int_site:
    int $0x60
int_return:
    pushfw
    popw %dx
    CHECK16 70, %ax, $301           /* 100 * 3 + 1 */
    andw $1, %dx
    CHECK16 71, %dx, $0
    CHECK16 72, int_seen_ip, $int_return
    CHECK16 73, int_seen_cs, $0
    movw int_seen_flags, %dx
    andw $1, %dx
    CHECK16 74, %dx, $1             /* FLAGS image pushed by INT had CF set */
    int3
    int3
    CHECK16 75, int3_count, $2
    CHECK16 76, %sp, $0x7C00        /* stack balanced after INT/IRET */
    OK

/* ---------------------------------------------------------------------------------------------- */
    SECTION io
    call pic_init
    movb $0xA5, %al
    outb %al, $0x21
    inb $0x21, %al
    movzbw %al, %ax
    CHECK16 80, %ax, $0x00A5
    movb $0x5A, %al
    outb %al, $0x21
    inb $0x21, %al
    movzbw %al, %ax
    CHECK16 81, %ax, $0x005A
    movb $0xFF, %al
    outb %al, $0x21
    OK

/* ---------------------------------------------------------------------------------------------- */
    SECTION timer
    movw $timer_irq, 8*4            /* IRQ0 -> vector 8 (PIC base set by pic_init) */
    movw $0, 8*4+2
    movw $0, ticks
    movb $0x34, %al                 /* channel 0, lobyte/hibyte, mode 2 (rate generator) */
    outb %al, $0x43
    movb $(PIT_DIVISOR & 0xFF), %al
    outb %al, $0x40
    movb $(PIT_DIVISOR >> 8), %al
    outb %al, $0x40

    call pit_read                   /* the counter moves */
    movw %ax, %bx
    movl $0x100000, %ecx
1:  call pit_read
    cmpw %ax, %bx
    jne 2f
    decl %ecx
    jnz 1b
2:  xorw %bx, %ax
    setnz %al
    movzbw %al, %ax
    CHECK16 85, %ax, $1

    movb $0xFE, %al                 /* unmask IRQ0 only */
    outb %al, $0x21
    movb $0x0A, %al                 /* OCW3: read IRR */
    outb %al, $0x20
    movl $0x100000, %ecx            /* with IF = 0, IRQ0 must become pending in the IRR */
3:  inb $0x20, %al
    testb $1, %al
    jnz 4f
    decl %ecx
    jnz 3b
4:  andw $1, %ax
    CHECK16 86, %ax, $1

    xorl %ecx, %ecx                 /* wake-ups, bounded */
5:  sti
    hlt
    cli
    incl %ecx
    cmpw $TICKS_WANTED, ticks
    jae 6f
    cmpl $1000, %ecx
    jb 5b
6:  movb $0xFF, %al
    outb %al, $0x21                 /* mask again */
    movw ticks, %ax
    cmpw $TICKS_WANTED, %ax
    setae %al
    movzbw %al, %ax
    CHECK16 87, %ax, $1
    movw timer_bad_cs, %ax
    CHECK16 88, %ax, $0             /* every IRQ0 interrupted our code at CS 0 */
    movw %ss, %ax
    CHECK16 89, %ax, $0
    OK

/* ---------------------------------------------------------------------------------------------- */
    SECTION bcd
    movb $0x38, %al
    addb $0x45, %al
    daa                             /* 38 + 45 = 83 */
    movzbw %al, %ax
    CHECK16 45, %ax, $0x0083
    movb $0x99, %al
    addb $0x01, %al
    daa                             /* 99 + 1 = 100: AL 00, CF 1 */
    setc %ah
    CHECK16 46, %ax, $0x0100
    movb $0x83, %al
    subb $0x38, %al
    das                             /* 83 - 38 = 45 */
    movzbw %al, %ax
    CHECK16 47, %ax, $0x0045
    movb $0x20, %al
    subb $0x35, %al
    das                             /* 20 - 35 = 85 borrow 1 */
    setc %ah
    CHECK16 48, %ax, $0x0185
    movw $0x0009, %ax
    addb $5, %al
    aaa                             /* 9 + 5 = 14 unpacked */
    CHECK16 49, %ax, $0x0104
    movw $0x0203, %ax
    subb $5, %al
    aas                             /* 23 - 5 = 18 unpacked */
    CHECK16 50, %ax, $0x0108
    movw $0x003F, %ax
    aam                             /* 63 = 6 * 10 + 3 */
    CHECK16 51, %ax, $0x0603
    aad                             /* back to 63 */
    CHECK16 52, %ax, $0x003F
    aam $16
    CHECK16 53, %ax, $0x030F
    aad $16
    CHECK16 54, %ax, $0x003F
    OK

    movb $0, %al
    jmp rt16_exit

/* ---- helpers ------------------------------------------------------------------------------------ */

/* Reached through 07C0:(far_target - 0x7C00): returns ax = CS, bx = IP it saw. */
far_target:
    movw %cs, %ax
    call 1f
1:  popw %bx
    subw $(1b - far_target), %bx
    lretw

/* INT 0x60: ax = ax * 3 + 1; records the stacked IP/CS/FLAGS, clears CF in the stacked FLAGS. */
soft_int:
    pushw %bp
    movw %sp, %bp
    pushw %dx
    movw 2(%bp), %dx
    movw %dx, int_seen_ip
    movw 4(%bp), %dx
    movw %dx, int_seen_cs
    movw 6(%bp), %dx
    movw %dx, int_seen_flags
    andw $0xFFFE, 6(%bp)
    movw %ax, %dx
    shlw $1, %ax
    addw %dx, %ax
    incw %ax
    popw %dx
    popw %bp
    iretw

int3_handler:
    incw int3_count
    iretw

/* IRQ0: count, check the interrupted CS, EOI. */
timer_irq:
    pushw %ax
    pushw %bp
    movw %sp, %bp
    movw 6(%bp), %ax                /* stacked CS */
    orw %ax, timer_bad_cs
    incw ticks
    movb $0x20, %al                 /* non-specific EOI */
    outb %al, $0x20
    popw %bp
    popw %ax
    iretw

/* 8259 pair: master vectors 0x08-0x0F (PC BIOS layout), slave 0x70-0x77, all masked. */
pic_init:
    movb $0x11, %al
    outb %al, $0x20
    outb %al, $0xA0
    movb $0x08, %al
    outb %al, $0x21
    movb $0x70, %al
    outb %al, $0xA1
    movb $0x04, %al
    outb %al, $0x21
    movb $0x02, %al
    outb %al, $0xA1
    movb $0x01, %al
    outb %al, $0x21
    outb %al, $0xA1
    movb $0xFF, %al
    outb %al, $0x21
    outb %al, $0xA1
    ret

/* ax = PIT channel 0 count (latched) */
pit_read:
    movb $0x00, %al                 /* counter latch, channel 0 */
    outb %al, $0x43
    inb $0x40, %al
    movb %al, %ah
    inb $0x40, %al
    xchgb %al, %ah
    ret

    .section .rodata
hello:  .asciz "real-mode guest\n"
text_a: .ascii "HELLO WORLD"
    .set text_len, . - text_a
text_b: .ascii "HELLO_WORLD"

    .section .data
    .p2align 1
int_seen_ip:    .word 0
int_seen_cs:    .word 0xFFFF
int_seen_flags: .word 0
int3_count:     .word 0
ticks:          .word 0
timer_bad_cs:   .word 0
