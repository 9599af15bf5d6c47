package dev.partita.hv.kvm;

import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.MpState;
import dev.partita.hv.vp.PendingEvents;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.TableRegister;
import dev.partita.hv.vp.VpState;
import dev.partita.nativebindings.kvm.Kvm_h;
import dev.partita.nativebindings.kvm.kvm_dtable;
import dev.partita.nativebindings.kvm.kvm_regs;
import dev.partita.nativebindings.kvm.kvm_segment;
import dev.partita.nativebindings.kvm.kvm_sregs;
import dev.partita.nativebindings.kvm.kvm_vcpu_events;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Converts between the neutral {@link VpState} pieces and KVM's structures ({@code kvm_regs},
 * {@code kvm_sregs}, {@code kvm_segment}, {@code kvm_vcpu_events}, {@code kvm_mp_state}). Pure
 * functions over caller-owned segments; no ioctls here.
 */
final class KvmStateCodec {
    /** {@code kvm_regs} field order for RAX..R15 in {@link Gpr} (encoding) order. */
    private static final long[] GPR_OFFSETS = {
            kvm_regs.OFFSET_rax, kvm_regs.OFFSET_rcx, kvm_regs.OFFSET_rdx, kvm_regs.OFFSET_rbx,
            kvm_regs.OFFSET_rsp, kvm_regs.OFFSET_rbp, kvm_regs.OFFSET_rsi, kvm_regs.OFFSET_rdi,
            kvm_regs.OFFSET_r8, kvm_regs.OFFSET_r9, kvm_regs.OFFSET_r10, kvm_regs.OFFSET_r11,
            kvm_regs.OFFSET_r12, kvm_regs.OFFSET_r13, kvm_regs.OFFSET_r14, kvm_regs.OFFSET_r15};

    private KvmStateCodec() {
    }

    // ---- kvm_regs ----

    static void readRegs(MemorySegment regs, VpState.Builder b) {
        for (Gpr r : Gpr.values()) {
            b.gpr(r, regs.get(ValueLayout.JAVA_LONG, GPR_OFFSETS[r.ordinal()]));
        }
        b.rip(regs.get(ValueLayout.JAVA_LONG, kvm_regs.OFFSET_rip));
        b.rflags(regs.get(ValueLayout.JAVA_LONG, kvm_regs.OFFSET_rflags));
    }

    static void writeRegs(VpState s, MemorySegment regs) {
        for (Gpr r : Gpr.values()) {
            regs.set(ValueLayout.JAVA_LONG, GPR_OFFSETS[r.ordinal()], s.gpr(r));
        }
        regs.set(ValueLayout.JAVA_LONG, kvm_regs.OFFSET_rip, s.rip());
        regs.set(ValueLayout.JAVA_LONG, kvm_regs.OFFSET_rflags, s.rflags() | 2);
    }

    // ---- kvm_sregs ----

    static void readSregs(MemorySegment sregs, VpState.Builder b) {
        b.cs(readSegment(sregs.asSlice(kvm_sregs.OFFSET_cs, kvm_segment.sizeof())));
        b.ds(readSegment(sregs.asSlice(kvm_sregs.OFFSET_ds, kvm_segment.sizeof())));
        b.es(readSegment(sregs.asSlice(kvm_sregs.OFFSET_es, kvm_segment.sizeof())));
        b.fs(readSegment(sregs.asSlice(kvm_sregs.OFFSET_fs, kvm_segment.sizeof())));
        b.gs(readSegment(sregs.asSlice(kvm_sregs.OFFSET_gs, kvm_segment.sizeof())));
        b.ss(readSegment(sregs.asSlice(kvm_sregs.OFFSET_ss, kvm_segment.sizeof())));
        b.tr(readSegment(sregs.asSlice(kvm_sregs.OFFSET_tr, kvm_segment.sizeof())));
        b.ldtr(readSegment(sregs.asSlice(kvm_sregs.OFFSET_ldt, kvm_segment.sizeof())));
        b.gdtr(readTable(sregs.asSlice(kvm_sregs.OFFSET_gdt, kvm_dtable.sizeof())));
        b.idtr(readTable(sregs.asSlice(kvm_sregs.OFFSET_idt, kvm_dtable.sizeof())));
        b.cr0(sregs.get(ValueLayout.JAVA_LONG, kvm_sregs.OFFSET_cr0));
        b.cr2(sregs.get(ValueLayout.JAVA_LONG, kvm_sregs.OFFSET_cr2));
        b.cr3(sregs.get(ValueLayout.JAVA_LONG, kvm_sregs.OFFSET_cr3));
        b.cr4(sregs.get(ValueLayout.JAVA_LONG, kvm_sregs.OFFSET_cr4));
        b.cr8(sregs.get(ValueLayout.JAVA_LONG, kvm_sregs.OFFSET_cr8));
        b.efer(sregs.get(ValueLayout.JAVA_LONG, kvm_sregs.OFFSET_efer));
        b.apicBase(sregs.get(ValueLayout.JAVA_LONG, kvm_sregs.OFFSET_apic_base));
    }

    /** Fills {@code sregs} from {@code s}; the interrupt bitmap is cleared (events carry injections). */
    static void writeSregs(VpState s, MemorySegment sregs) {
        writeSegment(s.cs(), sregs.asSlice(kvm_sregs.OFFSET_cs, kvm_segment.sizeof()));
        writeSegment(s.ds(), sregs.asSlice(kvm_sregs.OFFSET_ds, kvm_segment.sizeof()));
        writeSegment(s.es(), sregs.asSlice(kvm_sregs.OFFSET_es, kvm_segment.sizeof()));
        writeSegment(s.fs(), sregs.asSlice(kvm_sregs.OFFSET_fs, kvm_segment.sizeof()));
        writeSegment(s.gs(), sregs.asSlice(kvm_sregs.OFFSET_gs, kvm_segment.sizeof()));
        writeSegment(s.ss(), sregs.asSlice(kvm_sregs.OFFSET_ss, kvm_segment.sizeof()));
        writeSegment(s.tr(), sregs.asSlice(kvm_sregs.OFFSET_tr, kvm_segment.sizeof()));
        writeSegment(s.ldtr(), sregs.asSlice(kvm_sregs.OFFSET_ldt, kvm_segment.sizeof()));
        writeTable(s.gdtr(), sregs.asSlice(kvm_sregs.OFFSET_gdt, kvm_dtable.sizeof()));
        writeTable(s.idtr(), sregs.asSlice(kvm_sregs.OFFSET_idt, kvm_dtable.sizeof()));
        sregs.set(ValueLayout.JAVA_LONG, kvm_sregs.OFFSET_cr0, s.cr0());
        sregs.set(ValueLayout.JAVA_LONG, kvm_sregs.OFFSET_cr2, s.cr2());
        sregs.set(ValueLayout.JAVA_LONG, kvm_sregs.OFFSET_cr3, s.cr3());
        sregs.set(ValueLayout.JAVA_LONG, kvm_sregs.OFFSET_cr4, s.cr4());
        sregs.set(ValueLayout.JAVA_LONG, kvm_sregs.OFFSET_cr8, s.cr8());
        sregs.set(ValueLayout.JAVA_LONG, kvm_sregs.OFFSET_efer, s.efer());
        sregs.set(ValueLayout.JAVA_LONG, kvm_sregs.OFFSET_apic_base, s.apicBase());
        sregs.asSlice(kvm_sregs.OFFSET_interrupt_bitmap, 32).fill((byte) 0);
    }

    static SegmentRegister readSegment(MemorySegment seg) {
        int attributes = (kvm_segment.type(seg) & 0xF)
                | (kvm_segment.s(seg) != 0 ? SegmentRegister.S : 0)
                | ((kvm_segment.dpl(seg) & 3) << SegmentRegister.DPL_SHIFT)
                | (kvm_segment.present(seg) != 0 ? SegmentRegister.P : 0)
                | (kvm_segment.avl(seg) != 0 ? SegmentRegister.AVL : 0)
                | (kvm_segment.l(seg) != 0 ? SegmentRegister.L : 0)
                | (kvm_segment.db(seg) != 0 ? SegmentRegister.DB : 0)
                | (kvm_segment.g(seg) != 0 ? SegmentRegister.G : 0)
                | (kvm_segment.unusable(seg) != 0 ? SegmentRegister.UNUSABLE : 0);
        return new SegmentRegister(Short.toUnsignedInt(kvm_segment.selector(seg)), kvm_segment.base(seg),
                kvm_segment.limit(seg), attributes);
    }

    static void writeSegment(SegmentRegister r, MemorySegment seg) {
        int a = r.attributes();
        kvm_segment.base(seg, r.base());
        kvm_segment.limit(seg, r.limit());
        kvm_segment.selector(seg, (short) r.selector());
        kvm_segment.type(seg, (byte) (a & SegmentRegister.TYPE_MASK));
        kvm_segment.s(seg, flag(a, SegmentRegister.S));
        kvm_segment.dpl(seg, (byte) ((a >>> SegmentRegister.DPL_SHIFT) & 3));
        kvm_segment.present(seg, flag(a, SegmentRegister.P));
        kvm_segment.avl(seg, flag(a, SegmentRegister.AVL));
        kvm_segment.l(seg, flag(a, SegmentRegister.L));
        kvm_segment.db(seg, flag(a, SegmentRegister.DB));
        kvm_segment.g(seg, flag(a, SegmentRegister.G));
        kvm_segment.unusable(seg, flag(a, SegmentRegister.UNUSABLE));
        kvm_segment.padding(seg, (byte) 0);
    }

    private static byte flag(int attributes, int bit) {
        return (attributes & bit) != 0 ? (byte) 1 : (byte) 0;
    }

    static TableRegister readTable(MemorySegment t) {
        return new TableRegister(kvm_dtable.base(t), Short.toUnsignedInt(kvm_dtable.limit(t)));
    }

    static void writeTable(TableRegister r, MemorySegment t) {
        kvm_dtable.base(t, r.base());
        kvm_dtable.limit(t, (short) r.limit());
        t.asSlice(kvm_dtable.OFFSET_padding, 6).fill((byte) 0);
    }

    // ---- kvm_vcpu_events ----

    static PendingEvents readEvents(MemorySegment e) {
        return new PendingEvents(
                kvm_vcpu_events.exception_injected(e) != 0,
                kvm_vcpu_events.exception_pending(e) != 0,
                Byte.toUnsignedInt(kvm_vcpu_events.exception_nr(e)),
                kvm_vcpu_events.exception_has_error_code(e) != 0,
                kvm_vcpu_events.exception_error_code(e),
                kvm_vcpu_events.interrupt_injected(e) != 0,
                Byte.toUnsignedInt(kvm_vcpu_events.interrupt_nr(e)),
                kvm_vcpu_events.interrupt_soft(e) != 0,
                kvm_vcpu_events.nmi_injected(e) != 0,
                kvm_vcpu_events.nmi_pending(e) != 0,
                kvm_vcpu_events.nmi_masked(e) != 0,
                kvm_vcpu_events.interrupt_shadow(e) & 3,
                kvm_vcpu_events.sipi_vector(e) & 0xFF);
    }

    /**
     * Fills {@code e} (zeroed by the caller) from {@code p}. Without
     * {@code KVM_CAP_EXCEPTION_PAYLOAD} KVM has no separate "pending" exception, so a pending one
     * is handed over as injected (KVM then delivers it on entry).
     */
    static void writeEvents(PendingEvents p, MemorySegment e) {
        kvm_vcpu_events.exception_injected(e, (byte) (p.exceptionInjected() || p.exceptionPending() ? 1 : 0));
        kvm_vcpu_events.exception_nr(e, (byte) p.exceptionVector());
        kvm_vcpu_events.exception_has_error_code(e, (byte) (p.exceptionHasErrorCode() ? 1 : 0));
        kvm_vcpu_events.exception_error_code(e, p.exceptionErrorCode());
        kvm_vcpu_events.interrupt_injected(e, (byte) (p.interruptInjected() ? 1 : 0));
        kvm_vcpu_events.interrupt_nr(e, (byte) p.interruptVector());
        kvm_vcpu_events.interrupt_soft(e, (byte) (p.interruptSoft() ? 1 : 0));
        kvm_vcpu_events.interrupt_shadow(e, (byte) p.interruptShadow());
        kvm_vcpu_events.nmi_injected(e, (byte) (p.nmiInjected() ? 1 : 0));
        kvm_vcpu_events.nmi_pending(e, (byte) (p.nmiPending() ? 1 : 0));
        kvm_vcpu_events.nmi_masked(e, (byte) (p.nmiMasked() ? 1 : 0));
        kvm_vcpu_events.sipi_vector(e, p.sipiVector());
        kvm_vcpu_events.flags(e, Kvm_h.KVM_VCPUEVENT_VALID_NMI_PENDING | Kvm_h.KVM_VCPUEVENT_VALID_SIPI_VECTOR
                | Kvm_h.KVM_VCPUEVENT_VALID_SHADOW);
    }

    // ---- kvm_mp_state ----

    static MpState fromKvmMpState(int kvm) {
        return switch (kvm) {
            case Kvm_h.KVM_MP_STATE_HALTED -> MpState.HALTED;
            case Kvm_h.KVM_MP_STATE_INIT_RECEIVED -> MpState.INIT_RECEIVED;
            case Kvm_h.KVM_MP_STATE_SIPI_RECEIVED -> MpState.SIPI_RECEIVED;
            // UNINITIALIZED, STOPPED and the rest have no neutral counterpart; RUNNABLE is the closest
            default -> MpState.RUNNABLE;
        };
    }

    static int toKvmMpState(MpState s) {
        return switch (s) {
            case RUNNABLE -> Kvm_h.KVM_MP_STATE_RUNNABLE;
            case HALTED -> Kvm_h.KVM_MP_STATE_HALTED;
            case INIT_RECEIVED -> Kvm_h.KVM_MP_STATE_INIT_RECEIVED;
            case SIPI_RECEIVED -> Kvm_h.KVM_MP_STATE_SIPI_RECEIVED;
        };
    }
}
