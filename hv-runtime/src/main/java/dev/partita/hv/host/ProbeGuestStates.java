package dev.partita.hv.host;

import dev.partita.nativebindings.kvm.kvm_dtable;
import dev.partita.nativebindings.kvm.kvm_regs;
import dev.partita.nativebindings.kvm.kvm_segment;
import dev.partita.nativebindings.kvm.kvm_sregs;
import java.lang.foreign.MemorySegment;

/**
 * Processor states for the probe's guests, written into {@code kvm_sregs}/{@code kvm_regs} buffers: real
 * mode at CS=0 (CPL0) and 64-bit long mode at CPL0 or CPL3 over {@link ProbeGuestImage}'s page tables and GDT.
 * Stateless.
 */
final class ProbeGuestStates {

    private static final long CR0_PE = 1L, CR0_ET = 1L << 4, CR0_NE = 1L << 5, CR0_WP = 1L << 16, CR0_PG = 1L << 31;
    private static final long CR4_PAE = 1L << 5;
    private static final long EFER_LME = 1L << 8, EFER_LMA = 1L << 10;
    /** RFLAGS bit 1 is always set; IOPL (bits 12-13) = 3 lets CPL3 code execute OUT. */
    static final long RFLAGS_FIXED = 0x2, RFLAGS_IOPL3 = 0x3000;

    private static final byte TYPE_CODE_EXEC_READ_ACCESSED = 0xB;
    private static final byte TYPE_DATA_READ_WRITE_ACCESSED = 0x3;
    private static final byte TYPE_TSS64_BUSY = 0xB;
    private static final byte TYPE_LDT = 0x2;

    private ProbeGuestStates() {
    }

    /** Real mode, CS=DS=ES=FS=GS=SS=0 (base 0, limit 64 KiB), paging and protection off. */
    static void realMode(MemorySegment sregs) {
        realSegment(kvm_sregs.cs(sregs), TYPE_CODE_EXEC_READ_ACCESSED);
        for (MemorySegment data : new MemorySegment[] {kvm_sregs.ds(sregs), kvm_sregs.es(sregs), kvm_sregs.fs(sregs),
                kvm_sregs.gs(sregs), kvm_sregs.ss(sregs)}) {
            realSegment(data, TYPE_DATA_READ_WRITE_ACCESSED);
        }
        kvm_sregs.cr0(sregs, CR0_ET | CR0_NE);
        kvm_sregs.cr3(sregs, 0);
        kvm_sregs.cr4(sregs, 0);
        kvm_sregs.efer(sregs, 0);
    }

    /** 64-bit long mode at CPL3: user (DPL3) flat segments, CR3 = the identity map, TR = the TSS. */
    static void longModeUser(MemorySegment sregs) {
        longMode(sregs, 3, ProbeGuestImage.SELECTOR_USER_CODE, ProbeGuestImage.SELECTOR_USER_DATA);
    }

    /** 64-bit long mode at CPL0 (where operating-system kernels run): kernel flat segments, same tables. */
    static void longModeKernel(MemorySegment sregs) {
        longMode(sregs, 0, ProbeGuestImage.SELECTOR_KERNEL_CODE, ProbeGuestImage.SELECTOR_KERNEL_DATA);
    }

    private static void longMode(MemorySegment sregs, int dpl, int codeSelector, int dataSelector) {
        flatSegment(kvm_sregs.cs(sregs), codeSelector, TYPE_CODE_EXEC_READ_ACCESSED, true, dpl);
        for (MemorySegment data : new MemorySegment[] {kvm_sregs.ds(sregs), kvm_sregs.es(sregs), kvm_sregs.fs(sregs),
                kvm_sregs.gs(sregs), kvm_sregs.ss(sregs)}) {
            flatSegment(data, dataSelector, TYPE_DATA_READ_WRITE_ACCESSED, false, dpl);
        }
        MemorySegment tr = kvm_sregs.tr(sregs);
        clear(tr);
        kvm_segment.base(tr, ProbeGuestImage.TSS);
        kvm_segment.limit(tr, ProbeGuestImage.TSS_LIMIT);
        kvm_segment.selector(tr, (short) ProbeGuestImage.SELECTOR_TSS);
        kvm_segment.type(tr, TYPE_TSS64_BUSY);
        kvm_segment.present(tr, (byte) 1);
        MemorySegment ldt = kvm_sregs.ldt(sregs);
        clear(ldt);
        kvm_segment.type(ldt, TYPE_LDT);
        kvm_segment.unusable(ldt, (byte) 1);
        MemorySegment gdt = kvm_sregs.gdt(sregs);
        kvm_dtable.base(gdt, ProbeGuestImage.GDT);
        kvm_dtable.limit(gdt, (short) ProbeGuestImage.GDT_LIMIT);
        MemorySegment idt = kvm_sregs.idt(sregs);
        kvm_dtable.base(idt, 0);
        kvm_dtable.limit(idt, (short) 0); // any exception becomes a triple fault: a shutdown exit, reported
        kvm_sregs.cr0(sregs, CR0_PE | CR0_ET | CR0_NE | CR0_WP | CR0_PG);
        kvm_sregs.cr3(sregs, ProbeGuestImage.PML4);
        kvm_sregs.cr4(sregs, CR4_PAE);
        kvm_sregs.efer(sregs, EFER_LME | EFER_LMA);
    }

    /** General registers for a counted loop: RIP, RCX = iterations, RFLAGS. */
    static void loopRegisters(MemorySegment regs, long rip, long iterations, long rflags) {
        clear(regs);
        kvm_regs.rip(regs, rip);
        kvm_regs.rcx(regs, iterations);
        kvm_regs.rflags(regs, rflags);
        kvm_regs.rsp(regs, 0x7000);
    }

    private static void realSegment(MemorySegment seg, byte type) {
        clear(seg);
        kvm_segment.limit(seg, 0xFFFF);
        kvm_segment.type(seg, type);
        kvm_segment.present(seg, (byte) 1);
        kvm_segment.s(seg, (byte) 1);
    }

    private static void flatSegment(MemorySegment seg, int selector, byte type, boolean code64, int dpl) {
        clear(seg);
        kvm_segment.limit(seg, 0xFFFF_FFFF);
        kvm_segment.selector(seg, (short) selector);
        kvm_segment.type(seg, type);
        kvm_segment.present(seg, (byte) 1);
        kvm_segment.dpl(seg, (byte) dpl);
        kvm_segment.s(seg, (byte) 1);
        kvm_segment.g(seg, (byte) 1);
        kvm_segment.l(seg, (byte) (code64 ? 1 : 0));
        kvm_segment.db(seg, (byte) (code64 ? 0 : 1));
    }

    private static void clear(MemorySegment seg) {
        seg.fill((byte) 0);
    }
}
