package dev.partita.hv.vp;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The complete architectural state of one virtual processor in a backend-neutral form, so a
 * checkpoint taken on one backend restores on another. Immutable; build or modify with
 * {@link #builder()} / {@link #toBuilder()}.
 *
 * <p>Segments use the encoding documented on {@link SegmentRegister}. EFER and the APIC base
 * are fields of their own and do not appear in {@link #msrs()}; neither do FS/GS base (they are
 * the segment bases). {@link #msrs()} holds every other MSR the backend saves (index → value,
 * sorted by index).
 *
 * <p>{@link #xsave()}, {@link #lapic()} may be null, meaning "not specified": a backend's
 * setState leaves its current (reset) value in place. A state read back from a backend always
 * has them.
 *
 * @param gprs      general-purpose registers
 * @param rip       instruction pointer
 * @param rflags    flags (bit 1 is always set)
 * @param cs        code segment
 * @param ds        data segment
 * @param es        extra segment
 * @param fs        FS (base = FS base MSR)
 * @param gs        GS (base = GS base MSR)
 * @param ss        stack segment
 * @param tr        task register
 * @param ldtr      LDT register
 * @param gdtr      GDT register
 * @param idtr      IDT register
 * @param cr0       CR0
 * @param cr2       CR2 (page-fault address)
 * @param cr3       CR3
 * @param cr4       CR4
 * @param cr8       CR8 (task priority, 4 bits)
 * @param efer      IA32_EFER
 * @param apicBase  IA32_APIC_BASE
 * @param msrs      other MSRs, index → value (unsigned 32-bit index order)
 * @param xsave     FPU/SSE/AVX state and XCR0, or null
 * @param lapic     local APIC register page, or null
 * @param events    pending and injected events
 * @param mpState   run state
 */
public record VpState(GeneralRegisters gprs, long rip, long rflags,
                      SegmentRegister cs, SegmentRegister ds, SegmentRegister es,
                      SegmentRegister fs, SegmentRegister gs, SegmentRegister ss,
                      SegmentRegister tr, SegmentRegister ldtr,
                      TableRegister gdtr, TableRegister idtr,
                      long cr0, long cr2, long cr3, long cr4, long cr8, long efer, long apicBase,
                      Map<Integer, Long> msrs, XsaveArea xsave, LapicState lapic,
                      PendingEvents events, MpState mpState) {

    /** CR0 after RESET/INIT: CD | NW | ET. */
    public static final long CR0_RESET = 0x60000010L;
    /** IA32_APIC_BASE of the bootstrap processor after reset: 0xFEE00000 | enabled | BSP. */
    public static final long APIC_BASE_BSP_RESET = 0xFEE00900L;
    /** IA32_APIC_BASE of an application processor after reset. */
    public static final long APIC_BASE_AP_RESET = 0xFEE00800L;

    public VpState {
        Objects.requireNonNull(gprs, "gprs");
        Objects.requireNonNull(cs, "cs");
        Objects.requireNonNull(ds, "ds");
        Objects.requireNonNull(es, "es");
        Objects.requireNonNull(fs, "fs");
        Objects.requireNonNull(gs, "gs");
        Objects.requireNonNull(ss, "ss");
        Objects.requireNonNull(tr, "tr");
        Objects.requireNonNull(ldtr, "ldtr");
        Objects.requireNonNull(gdtr, "gdtr");
        Objects.requireNonNull(idtr, "idtr");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(mpState, "mpState");
        TreeMap<Integer, Long> sorted = new TreeMap<>(Integer::compareUnsigned);
        sorted.putAll(Objects.requireNonNull(msrs, "msrs"));
        msrs = Collections.unmodifiableSortedMap(sorted);
    }

    /** A builder starting from the x86 reset state of a bootstrap processor (see {@link Builder}). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this state. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A general-purpose register. */
    public long gpr(Gpr r) {
        return gprs.get(r);
    }

    /** A multi-line register dump for crash and triple-fault reports. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append(gprs).append('\n');
        sb.append(String.format("rip=%016x rflags=%016x mp=%s%n", rip, rflags, mpState));
        sb.append("cs   ").append(cs).append('\n');
        sb.append("ds   ").append(ds).append('\n');
        sb.append("es   ").append(es).append('\n');
        sb.append("fs   ").append(fs).append('\n');
        sb.append("gs   ").append(gs).append('\n');
        sb.append("ss   ").append(ss).append('\n');
        sb.append("tr   ").append(tr).append('\n');
        sb.append("ldtr ").append(ldtr).append('\n');
        sb.append("gdtr ").append(gdtr).append("  idtr ").append(idtr).append('\n');
        sb.append(String.format("cr0=%016x cr2=%016x cr3=%016x cr4=%016x cr8=%x%n", cr0, cr2, cr3, cr4, cr8));
        sb.append(String.format("efer=%016x apic_base=%016x", efer, apicBase));
        if (events.exceptionInjected() || events.exceptionPending()) {
            sb.append(String.format("%nexception vector=%d error=%x", events.exceptionVector(), events.exceptionErrorCode()));
        }
        return sb.toString();
    }

    /**
     * Mutable builder. Defaults are the architectural reset state of a bootstrap processor, except
     * that CS is 0:0 instead of F000:FFF0 (Partita boots from a loader, not a BIOS): real mode,
     * all segments selector 0 base 0 limit 0xFFFF, TR busy-TSS and LDTR with limit 0xFFFF,
     * GDTR/IDTR base 0 limit 0xFFFF, RFLAGS 2, CR0 {@link #CR0_RESET}, APIC base
     * {@link #APIC_BASE_BSP_RESET}, no MSRs, xsave/lapic unspecified, nothing pending, runnable.
     * Not thread-safe.
     */
    public static final class Builder {
        private long[] gprs = new long[16];
        private long rip;
        private long rflags = 2;
        private SegmentRegister cs = SegmentRegister.realModeCode(0);
        private SegmentRegister ds = SegmentRegister.realModeData(0);
        private SegmentRegister es = SegmentRegister.realModeData(0);
        private SegmentRegister fs = SegmentRegister.realModeData(0);
        private SegmentRegister gs = SegmentRegister.realModeData(0);
        private SegmentRegister ss = SegmentRegister.realModeData(0);
        private SegmentRegister tr = new SegmentRegister(0, 0, 0xFFFF, SegmentRegister.P | SegmentRegister.TYPE_TSS_BUSY);
        private SegmentRegister ldtr = new SegmentRegister(0, 0, 0xFFFF, SegmentRegister.P | SegmentRegister.TYPE_LDT);
        private TableRegister gdtr = new TableRegister(0, 0xFFFF);
        private TableRegister idtr = new TableRegister(0, 0xFFFF);
        private long cr0 = CR0_RESET;
        private long cr2;
        private long cr3;
        private long cr4;
        private long cr8;
        private long efer;
        private long apicBase = APIC_BASE_BSP_RESET;
        private final TreeMap<Integer, Long> msrs = new TreeMap<>(Integer::compareUnsigned);
        private XsaveArea xsave;
        private LapicState lapic;
        private PendingEvents events = PendingEvents.NONE;
        private MpState mpState = MpState.RUNNABLE;

        private Builder() {
        }

        private Builder(VpState s) {
            gprs = s.gprs.toArray();
            rip = s.rip;
            rflags = s.rflags;
            cs = s.cs;
            ds = s.ds;
            es = s.es;
            fs = s.fs;
            gs = s.gs;
            ss = s.ss;
            tr = s.tr;
            ldtr = s.ldtr;
            gdtr = s.gdtr;
            idtr = s.idtr;
            cr0 = s.cr0;
            cr2 = s.cr2;
            cr3 = s.cr3;
            cr4 = s.cr4;
            cr8 = s.cr8;
            efer = s.efer;
            apicBase = s.apicBase;
            msrs.putAll(s.msrs);
            xsave = s.xsave;
            lapic = s.lapic;
            events = s.events;
            mpState = s.mpState;
        }

        public Builder gpr(Gpr r, long value) { gprs[r.ordinal()] = value; return this; }
        public Builder gprs(GeneralRegisters value) { gprs = value.toArray(); return this; }
        public Builder rip(long value) { rip = value; return this; }
        public Builder rflags(long value) { rflags = value | 2; return this; }
        public Builder cs(SegmentRegister value) { cs = value; return this; }
        public Builder ds(SegmentRegister value) { ds = value; return this; }
        public Builder es(SegmentRegister value) { es = value; return this; }
        public Builder fs(SegmentRegister value) { fs = value; return this; }
        public Builder gs(SegmentRegister value) { gs = value; return this; }
        public Builder ss(SegmentRegister value) { ss = value; return this; }
        /** Sets DS, ES, FS, GS and SS to the same segment. */
        public Builder dataSegments(SegmentRegister value) { ds = es = fs = gs = ss = value; return this; }
        public Builder tr(SegmentRegister value) { tr = value; return this; }
        public Builder ldtr(SegmentRegister value) { ldtr = value; return this; }
        public Builder gdtr(TableRegister value) { gdtr = value; return this; }
        public Builder idtr(TableRegister value) { idtr = value; return this; }
        public Builder cr0(long value) { cr0 = value; return this; }
        public Builder cr2(long value) { cr2 = value; return this; }
        public Builder cr3(long value) { cr3 = value; return this; }
        public Builder cr4(long value) { cr4 = value; return this; }
        public Builder cr8(long value) { cr8 = value; return this; }
        public Builder efer(long value) { efer = value; return this; }
        public Builder apicBase(long value) { apicBase = value; return this; }
        public Builder msr(int index, long value) { msrs.put(index, value); return this; }
        public Builder msrs(Map<Integer, Long> values) { msrs.clear(); msrs.putAll(values); return this; }
        public Builder xsave(XsaveArea value) { xsave = value; return this; }
        public Builder lapic(LapicState value) { lapic = value; return this; }
        public Builder events(PendingEvents value) { events = value; return this; }
        public Builder mpState(MpState value) { mpState = value; return this; }

        public VpState build() {
            return new VpState(GeneralRegisters.of(gprs), rip, rflags, cs, ds, es, fs, gs, ss, tr, ldtr, gdtr, idtr,
                    cr0, cr2, cr3, cr4, cr8, efer, apicBase, msrs, xsave, lapic, events, mpState);
        }
    }
}
