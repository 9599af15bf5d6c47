/*
 * Entry of the long-mode guests. Starts in the 32-bit protected-mode boot state (guests/README.md), builds
 * identity page tables for the low 4 GiB with 2 MiB pages (PAE, 4 levels), sets EFER.LME, CR4.PAE,
 * CR0.PG|WP and jumps to 64-bit code; then runs guest_main with the runtime's IDT.
 *
 * GDT (also used for SYSCALL/SYSRET and CPL3 by the cpl3 guest):
 *   0x08 code32  0x10 data  0x18 code64  0x20 data (SYSCALL SS)
 *   0x28 user code32 (unused, keeps the SYSRET layout)  0x30 user data  0x38 user code64  0x40 TSS (16 bytes)
 */
    .section .text.entry, "ax"
    .code32
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

    /* PML4[0] -> PDPT; PDPT[0..3] -> PD0..PD3 (present, writable, user: leaves decide) */
    movl $rt_pdpt, %eax
    orl $7, %eax
    movl %eax, rt_pml4
    movl $rt_pd, %eax
    orl $7, %eax
    movl $rt_pdpt, %edi
    movl $4, %ecx
2:  movl %eax, (%edi)
    addl $4096, %eax
    addl $8, %edi
    loop 2b
    /* 2048 PD entries: 2 MiB pages, present + writable + PS; the top GiB (MMIO) also PCD|PWT */
    movl $rt_pd, %edi
    xorl %ebx, %ebx               /* entry index */
3:  movl %ebx, %eax
    shll $21, %eax
    orl $0x83, %eax
    cmpl $1536, %ebx
    jb 4f
    orl $0x18, %eax
4:  movl %eax, (%edi)              /* high dword stays 0 (zeroed .bss): all below 4 GiB */
    addl $8, %edi
    incl %ebx
    cmpl $2048, %ebx
    jb 3b

    movl %cr4, %eax
    orl $0x20, %eax               /* CR4.PAE */
    movl %eax, %cr4
    movl $rt_pml4, %eax
    movl %eax, %cr3
    movl $0xC0000080, %ecx        /* IA32_EFER */
    rdmsr
    orl $0x100, %eax              /* LME */
    wrmsr
    movl %cr0, %eax
    orl $0x80010000, %eax         /* PG | WP */
    movl %eax, %cr0
    ljmp $0x18, $long_entry

    .code64
long_entry:
    movl $0x10, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    xorl %eax, %eax
    movl %eax, %fs
    movl %eax, %gs
    movq $rt_stack_top, %rsp
    call rt_init
    call guest_main
    movl %eax, %edi
    call rt_exit

    .section .data
    .p2align 4
    .globl rt_gdt
rt_gdt:
    .quad 0                       /* 0x00 null */
    .quad 0x00CF9A000000FFFF      /* 0x08 code, 32-bit */
    .quad 0x00CF92000000FFFF      /* 0x10 data */
    .quad 0x00AF9A000000FFFF      /* 0x18 code, 64-bit (L=1) */
    .quad 0x00CF92000000FFFF      /* 0x20 data (SYSCALL SS = STAR[47:32] + 8) */
    .quad 0x00CFFA000000FFFF      /* 0x28 user code, 32-bit, DPL 3 */
    .quad 0x00CFF2000000FFFF      /* 0x30 user data, DPL 3 */
    .quad 0x00AFFA000000FFFF      /* 0x38 user code, 64-bit, DPL 3 */
    .globl rt_gdt_tss
rt_gdt_tss:
    .quad 0, 0                    /* 0x40 TSS descriptor, filled in by guests that need one */
rt_gdt_end:
    .p2align 3
    .word 0, 0, 0
gdt_ptr:
    .word rt_gdt_end - rt_gdt - 1
    .quad rt_gdt

    .section .bss
    .p2align 12
    .globl rt_pml4, rt_pdpt, rt_pd
rt_pml4: .skip 4096
rt_pdpt: .skip 4096
rt_pd:   .skip 4 * 4096           /* 4 page directories: 0-4 GiB */
    .p2align 4
    .globl rt_stack_top
rt_stack:
    .skip 16384
rt_stack_top:
