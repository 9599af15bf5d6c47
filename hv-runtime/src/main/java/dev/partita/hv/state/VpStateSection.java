package dev.partita.hv.state;

import dev.partita.hv.vp.GeneralRegisters;
import dev.partita.hv.vp.LapicState;
import dev.partita.hv.vp.MpState;
import dev.partita.hv.vp.PendingEvents;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.TableRegister;
import dev.partita.hv.vp.VpState;
import dev.partita.hv.vp.XsaveArea;
import java.util.Map;
import java.util.TreeMap;

/**
 * The section form of a {@link VpState} (one per virtual processor, named {@code vp/N}): the
 * backend-neutral register model, so a processor saved on one backend loads on the other. Layout
 * version 1: 16 GPRs, RIP, RFLAGS, eight segments (selector u16, base u64, limit u32, attributes
 * u32), GDTR and IDTR (base u64, limit u16), CR0/2/3/4/8, EFER, APIC base, the MSR count and
 * (index u32, value u64) pairs, XSAVE (present flag, XCR0, bytes), LAPIC page (present flag,
 * bytes), the pending events and the MP state ordinal. Stateless.
 */
public final class VpStateSection {
    public static final int VERSION = 1;
    private static final int MAX_MSRS = 4096;
    private static final int MAX_XSAVE = 1 << 16;

    private VpStateSection() {
    }

    /** The section name of processor {@code index}. */
    public static String name(int index) {
        return "vp/" + index;
    }

    public static byte[] encode(VpState s) {
        SectionWriter w = new SectionWriter();
        for (long r : s.gprs().toArray()) {
            w.u64(r);
        }
        w.u64(s.rip()).u64(s.rflags());
        for (SegmentRegister seg : new SegmentRegister[] {s.cs(), s.ds(), s.es(), s.fs(), s.gs(), s.ss(), s.tr(), s.ldtr()}) {
            w.u16(seg.selector()).u64(seg.base()).u32(seg.limit()).u32(seg.attributes());
        }
        w.u64(s.gdtr().base()).u16(s.gdtr().limit()).u64(s.idtr().base()).u16(s.idtr().limit());
        w.u64(s.cr0()).u64(s.cr2()).u64(s.cr3()).u64(s.cr4()).u64(s.cr8()).u64(s.efer()).u64(s.apicBase());
        w.u32(s.msrs().size());
        for (Map.Entry<Integer, Long> e : s.msrs().entrySet()) {
            w.u32(e.getKey()).u64(e.getValue());
        }
        w.bool(s.xsave() != null);
        if (s.xsave() != null) {
            w.u64(s.xsave().xcr0()).bytes(s.xsave().bytes());
        }
        w.bool(s.lapic() != null);
        if (s.lapic() != null) {
            w.bytes(s.lapic().page());
        }
        PendingEvents e = s.events();
        w.bool(e.exceptionInjected()).bool(e.exceptionPending()).u8(e.exceptionVector()).bool(e.exceptionHasErrorCode())
                .u32(e.exceptionErrorCode()).bool(e.interruptInjected()).u8(e.interruptVector()).bool(e.interruptSoft())
                .bool(e.nmiInjected()).bool(e.nmiPending()).bool(e.nmiMasked()).u8(e.interruptShadow()).u8(e.sipiVector());
        w.u8(s.mpState().ordinal());
        return w.toByteArray();
    }

    public static VpState decode(String section, byte[] data, int version) throws StateFileException {
        SectionReader r = new SectionReader(section, data);
        if (version != VERSION) {
            throw r.fail("layout version " + version + " (this build reads " + VERSION + ")");
        }
        try {
            long[] gprs = new long[16];
            for (int i = 0; i < gprs.length; i++) {
                gprs[i] = r.u64();
            }
            VpState.Builder b = VpState.builder().gprs(GeneralRegisters.of(gprs)).rip(r.u64()).rflags(r.u64());
            SegmentRegister[] segs = new SegmentRegister[8];
            for (int i = 0; i < segs.length; i++) {
                segs[i] = new SegmentRegister(r.u16(), r.u64(), r.u32(), r.u32());
            }
            b.cs(segs[0]).ds(segs[1]).es(segs[2]).fs(segs[3]).gs(segs[4]).ss(segs[5]).tr(segs[6]).ldtr(segs[7]);
            b.gdtr(new TableRegister(r.u64(), r.u16())).idtr(new TableRegister(r.u64(), r.u16()));
            b.cr0(r.u64()).cr2(r.u64()).cr3(r.u64()).cr4(r.u64()).cr8(r.u64()).efer(r.u64()).apicBase(r.u64());
            int msrCount = r.count(MAX_MSRS, "MSR");
            Map<Integer, Long> msrs = new TreeMap<>(Integer::compareUnsigned);
            for (int i = 0; i < msrCount; i++) {
                msrs.put(r.u32(), r.u64());
            }
            b.msrs(msrs);
            if (r.bool()) {
                long xcr0 = r.u64();
                b.xsave(new XsaveArea(r.bytes(MAX_XSAVE), xcr0));
            }
            if (r.bool()) {
                b.lapic(new LapicState(r.bytes(LapicState.SIZE)));
            }
            b.events(new PendingEvents(r.bool(), r.bool(), r.u8(), r.bool(), r.u32(), r.bool(), r.u8(), r.bool(),
                    r.bool(), r.bool(), r.bool(), r.u8(), r.u8()));
            int mp = r.u8();
            if (mp >= MpState.values().length) {
                throw r.fail("MP state " + mp + " unknown");
            }
            b.mpState(MpState.values()[mp]);
            r.end();
            return b.build();
        } catch (IllegalArgumentException e) {
            throw r.fail(e.getMessage());
        }
    }
}
