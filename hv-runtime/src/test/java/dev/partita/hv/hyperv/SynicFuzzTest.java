package dev.partita.hv.hyperv;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.hv.fuzz.FuzzScript;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.msr.MsrFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the synthetic MSRs and the SynIC slot protocol against the real {@link SyntheticMsrs} and
 * {@link SynIc}: a script of guest MSR writes and reads (any synthetic index, page GPAs inside and
 * outside RAM, reserved bits, out-of-range vCPUs), host message posts and event signals, guest
 * consumption of message slots (type 0, then EOM when the pending flag is set), guest scribbles
 * over guest memory, and save / restore through {@link HyperVStateCodec}.
 *
 * <p>Properties: a guest MSR access ends normally or in {@link MsrFault} (#GP), nothing else; a
 * host post or signal with valid arguments never throws; every raised interrupt has a vector of
 * 16-255; messages reach each slot in the order the host posted them, each once, and none is
 * invented (checked per SINT while the guest has not written over that slot or its page been
 * cleared); a live SINT never holds queued messages behind an empty slot (a message cannot be
 * stranded); the saved state decodes to what was encoded and restores to the same state.
 *
 * <p>CI runs the seeds in {@code src/test/resources/dev/partita/hv/hyperv/SynicFuzzTestInputs}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes with coverage feedback.
 */
class SynicFuzzTest {
    static final int PAGES = 16;
    private static final GuestMemory MEMORY = GuestMemory.allocate(PAGES * GuestMemory.PAGE_SIZE);
    private static final int[] MSRS = {HvMsr.GUEST_OS_ID, HvMsr.HYPERCALL, HvMsr.VP_INDEX, HvMsr.TIME_REF_COUNT,
        HvMsr.VP_ASSIST_PAGE, HvMsr.SCONTROL, HvMsr.SVERSION, HvMsr.SIEFP, HvMsr.SIMP, HvMsr.EOM, HvMsr.TSC_INVARIANT_CONTROL};
    static long executions;
    /** Rejected guest input is logged, which would flood a fuzzing run. */
    static {
        dev.partita.hv.log.LogLevels.set("dev.partita.hv", System.Logger.Level.OFF);
    }

    @AfterAll
    static void report() {
        System.out.println("SynicFuzzTest: " + executions + " inputs executed");
    }

    @FuzzTest(maxDuration = "3m")
    void anyMsrAndSlotSequence(byte[] data) {
        new Run(data).go();
    }

    /** Deterministic complement for CI: random scripts biased toward enabled SINTs and slot traffic. */
    @Test
    void randomScriptsKeepTheProperties() {
        SplittableRandom rng = new SplittableRandom(8086);
        for (int n = 0; n < 400; n++) {
            byte[] b = new byte[rng.nextInt(16, 600)];
            rng.nextBytes(b);
            byte[] setup = setupScript(rng.nextInt(2), rng.nextInt(4));
            byte[] all = Arrays.copyOf(setup, setup.length + b.length);
            System.arraycopy(b, 0, all, setup.length, b.length);
            new Run(all).go();
        }
    }

    /** A script prefix that enables SynIC, SIMP at page 2, SIEFP at page 3 and SINT {@code sint} (vector 0x30) on vCPU 0. */
    static byte[] setupScript(int extraVps, int sint) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(extraVps);
        msrWrite(b, 0, 5, 1);                 // SCONTROL
        msrWrite(b, 0, 8, 2L << 12 | 1);      // SIMP
        msrWrite(b, 0, 7, 3L << 12 | 1);      // SIEFP
        msrWrite(b, 0, MSRS.length + sint, 0x30);
        return b.toByteArray();
    }

    private static void msrWrite(java.io.ByteArrayOutputStream b, int vp, int which, long value) {
        b.write(0);                           // op: MSR write
        b.write(vp);
        b.write(which);
        b.write(1);                           // raw value follows
        for (int i = 0; i < 8; i++) {
            b.write((int) (value >>> (8 * i)));
        }
    }

    /** One input against a fresh SynIC over cleared memory. */
    private static final class Run {
        final FuzzScript s;
        final int vps;
        final List<int[]> raised = new ArrayList<>();
        final SynIc synic;
        final SyntheticMsrs msrs;
        /** Per vCPU and SINT, the messages accepted and not yet seen by the guest; null while unknown. */
        final ArrayDeque<SynicMessage>[][] expected;

        @SuppressWarnings("unchecked")
        Run(byte[] data) {
            executions++;
            MEMORY.fill(0, PAGES * GuestMemory.PAGE_SIZE, (byte) 0);
            s = new FuzzScript(data);
            vps = 1 + s.u8() % 2;
            synic = new SynIc(MEMORY, vps, (vp, vector) -> raised.add(new int[]{vp, vector}));
            msrs = new SyntheticMsrs(MEMORY, synic, HypercallPage.VMCALL, ReferenceClock.hostClock());
            expected = new ArrayDeque[vps][HvMsr.SINT_COUNT];
            for (ArrayDeque<SynicMessage>[] row : expected) {
                for (int n = 0; n < HvMsr.SINT_COUNT; n++) {
                    row[n] = new ArrayDeque<>();
                }
            }
        }

        void go() {
            for (int step = 0; step < 200 && s.more(); step++) {
                step();
                for (int[] r : raised) {
                    assertTrue(r[1] >= HvMsr.SINT_FIRST_VALID_VECTOR && r[1] <= 0xFF, "raised vector " + r[1]);
                    assertTrue(r[0] >= 0 && r[0] < vps, "raised on vCPU " + r[0]);
                }
                raised.clear();
                checkNothingStranded();
            }
        }

        private void step() {
            int op = s.u8() % 8;
            switch (op) {
                case 0 -> msrWrite();
                case 1 -> msrRead();
                case 2 -> post();
                case 3 -> signal();
                case 4 -> consume();
                case 5 -> scribble();
                case 6 -> saveAndRestore();
                case 7 -> consume();
                default -> throw new AssertionError(op);
            }
        }

        private int vp() {
            int v = s.u8();
            return v >= 0xF0 ? v - 0xF0 : v % vps; // now and then a vCPU the partition does not have
        }

        private int index() {
            int w = s.u8();
            if (w < MSRS.length) {
                return MSRS[w];
            }
            if (w < MSRS.length + HvMsr.SINT_COUNT) {
                return HvMsr.SINT0 + (w - MSRS.length);
            }
            return HvMsr.RANGE_FIRST + s.u16() % 0x200;
        }

        private long value() {
            return switch (s.u8() % 4) {
                case 0 -> (long) (s.u8() % (PAGES + 4)) << 12 | s.u8() & 3; // a page, maybe outside RAM
                case 1 -> s.u64();
                case 2 -> s.u8() | (s.bit() ? HvMsr.SINT_MASKED : 0) | (s.bit() ? HvMsr.SINT_AUTO_EOI : 0);
                default -> s.u8() & 1;
            };
        }

        private void msrWrite() {
            int vp = vp();
            int index = index();
            long value = value();
            if (!msrs.claims(index)) {
                return;
            }
            long simpBefore = vp < vps ? synic.processor(vp).simp() : 0;
            try {
                msrs.write(vp, index, value);
            } catch (MsrFault expectedFault) {
                return;
            }
            switch (index) {
                case HvMsr.SIMP -> {
                    if (synic.processor(vp).simp() != simpBefore) {
                        forgetVp(vp);          // a moved or re-enabled page is cleared: what was in the slots is gone
                    }
                    forgetPage(synic.processor(vp).simp());
                }
                case HvMsr.SIEFP -> forgetPage(synic.processor(vp).siefp());
                case HvMsr.HYPERCALL -> forgetPage(msrs.hypercall());
                default -> {
                }
            }
        }

        private void msrRead() {
            int vp = vp();
            int index = index();
            if (!msrs.claims(index)) {
                return;
            }
            try {
                long v = msrs.read(vp, index);
                if (index == HvMsr.VP_INDEX) {
                    assertEquals(vp, v);
                }
            } catch (MsrFault expectedFault) {
                // #GP
            }
        }

        private void post() {
            int vp = s.u8() % vps;
            int sint = s.u8() % HvMsr.SINT_COUNT;
            int type = 1 + s.u8();
            byte[] payload = s.bytes(s.u8() % (MessagePage.MAX_PAYLOAD + 1));
            SynicMessage m = new SynicMessage(type, 0, payload);
            if (synic.postMessage(vp, sint, type, payload) && expected[vp][sint] != null) {
                expected[vp][sint].add(m);
            }
        }

        private void signal() {
            int vp = s.u8() % vps;
            int sint = s.u8() % HvMsr.SINT_COUNT;
            int flag = s.u16() % EventFlagsPage.FLAGS_PER_SINT;
            SynicProcessor p = synic.processor(vp);
            boolean set = synic.signalEvent(vp, sint, flag);
            if (set || (p.siefp() & HvMsr.ENABLE) != 0 && (p.scontrol() & HvMsr.ENABLE) != 0
                    && (p.sint(sint) & HvMsr.SINT_MASKED) == 0) {
                assertTrue(EventFlagsPage.isSet(MEMORY, p.siefp() & HvMsr.PAGE_MASK, sint, flag), "flag set in the page");
                forgetPage(p.siefp());
            }
        }

        /** What the guest's VMBus driver does with a slot: read it, write type 0, EOM if pending. */
        private void consume() {
            int vp = s.u8() % vps;
            int sint = s.u8() % HvMsr.SINT_COUNT;
            SynicProcessor p = synic.processor(vp);
            if ((p.simp() & HvMsr.ENABLE) == 0) {
                return;
            }
            long slot = MessagePage.slot(p.simp() & HvMsr.PAGE_MASK, sint);
            int type = (int) MEMORY.readU32(slot);
            if (type != 0 && expected[vp][sint] != null) {
                SynicMessage head = expected[vp][sint].poll();
                assertNotNull(head, "vCPU " + vp + " SINT" + sint + ": a message the host never posted (type " + type + ")");
                int size = MEMORY.readU8(slot + MessagePage.OFFSET_PAYLOAD_SIZE);
                assertEquals(head.type(), type, "message order");
                assertArrayEquals(head.payload(), MEMORY.read(slot + MessagePage.OFFSET_PAYLOAD, size), "payload");
            }
            MEMORY.writeU32(slot, 0);
            if ((MEMORY.readU8(slot + MessagePage.OFFSET_FLAGS) & MessagePage.FLAG_PENDING) != 0) {
                try {
                    msrs.write(vp, HvMsr.EOM, 0);
                } catch (MsrFault e) {
                    fail("EOM faulted: " + e.getMessage());
                }
            }
        }

        private void scribble() {
            long gpa = (s.u32() & 0x7FFF_FFFFL) % (PAGES * GuestMemory.PAGE_SIZE);
            byte[] b = s.bytes(1 + s.u8() % 32);
            int n = (int) Math.min(b.length, PAGES * GuestMemory.PAGE_SIZE - gpa);
            MEMORY.write(gpa, b, 0, n);
            forgetRange(gpa, n);
        }

        private void saveAndRestore() {
            List<HyperVState.Processor> ps = new ArrayList<>();
            for (int vp = 0; vp < vps; vp++) {
                ps.add(new HyperVState.Processor(msrs.vpAssistPage(vp), synic.processor(vp).save()));
            }
            HyperVState state = new HyperVState(msrs.guestOsId(), msrs.hypercall(), msrs.tscInvariantControl(), s.u64(), ps);
            byte[] record = HyperVStateCodec.encode(state);
            HyperVState back = HyperVStateCodec.decode(record);
            assertArrayEquals(record, HyperVStateCodec.encode(back), "decode(encode(state)) encodes the same");
            for (int vp = 0; vp < vps; vp++) {
                SynicSnapshot before = synic.processor(vp).save();
                synic.processor(vp).restore(back.processors().get(vp).synic());
                SynicSnapshot after = synic.processor(vp).save();
                assertEquals(before.scontrol(), after.scontrol());
                assertEquals(before.simp(), after.simp());
                assertEquals(before.siefp(), after.siefp());
                assertArrayEquals(before.sint(), after.sint());
                for (int n = 0; n < HvMsr.SINT_COUNT; n++) {
                    assertEquals(before.queues().get(n).size(), after.queues().get(n).size());
                }
            }
        }

        /** A live SINT with messages waiting must have its slot occupied (else the queue is stranded). */
        private void checkNothingStranded() {
            for (int vp = 0; vp < vps; vp++) {
                SynicProcessor p = synic.processor(vp);
                if ((p.scontrol() & HvMsr.ENABLE) == 0 || (p.simp() & HvMsr.ENABLE) == 0) {
                    continue;
                }
                for (int n = 0; n < HvMsr.SINT_COUNT; n++) {
                    long slot = MessagePage.slot(p.simp() & HvMsr.PAGE_MASK, n);
                    boolean empty = MEMORY.readU32(slot) == 0;
                    if ((p.sint(n) & HvMsr.SINT_MASKED) == 0 && expected[vp][n] != null && p.queued(n) > 0) {
                        assertFalse(empty, "vCPU " + vp + " SINT" + n + ": " + p.queued(n) + " messages behind an empty slot");
                    }
                    if (expected[vp][n] == null && empty && p.queued(n) == 0 && !shared(vp)) {
                        expected[vp][n] = new ArrayDeque<>(); // nothing in flight: the model knows the SINT again
                    }
                }
            }
        }

        /** Whether vCPU {@code vp}'s message page is also another vCPU's message page, an event-flags page or the hypercall page. */
        private boolean shared(int vp) {
            long page = synic.processor(vp).simp() & HvMsr.PAGE_MASK;
            if ((msrs.hypercall() & HvMsr.PAGE_MASK) == page) {
                return true;
            }
            for (int other = 0; other < vps; other++) {
                if ((synic.processor(other).siefp() & HvMsr.PAGE_MASK) == page
                        || other != vp && (synic.processor(other).simp() & HvMsr.PAGE_MASK) == page) {
                    return true;
                }
            }
            return false;
        }

        private void forgetVp(int vp) {
            Arrays.fill(expected[vp], null);
        }

        private void forgetPage(long msrValue) {
            forgetRange(msrValue & HvMsr.PAGE_MASK, GuestMemory.PAGE_SIZE);
        }

        /** Slots overlapping [gpa, gpa+length) may hold anything now: stop checking their contents. */
        private void forgetRange(long gpa, long length) {
            for (int vp = 0; vp < vps; vp++) {
                long page = synic.processor(vp).simp() & HvMsr.PAGE_MASK;
                for (int n = 0; n < HvMsr.SINT_COUNT; n++) {
                    long slot = MessagePage.slot(page, n);
                    if (gpa < slot + MessagePage.SLOT_SIZE && slot < gpa + length) {
                        expected[vp][n] = null;
                    }
                }
            }
        }
    }
}
