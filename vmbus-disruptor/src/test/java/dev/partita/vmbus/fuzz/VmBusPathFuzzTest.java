package dev.partita.vmbus.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.hyperv.HvMsr;
import dev.partita.hv.hyperv.HyperV;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.msr.MsrFault;
import dev.partita.vmbus.ChannelManager;
import dev.partita.vmbus.HyperVSynicPort;
import dev.partita.vmbus.VmBus;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.client.VmBusClient;
import dev.partita.vmbus.protocol.ChannelMessage;
import dev.partita.vmbus.protocol.ChannelMessage.*;
import dev.partita.vmbus.protocol.ChannelMessageCodec;
import dev.partita.vmbus.protocol.MalformedMessageException;
import dev.partita.vmbus.protocol.VmbusVersion;
import dev.partita.vmbus.testing.EchoVsp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the whole guest-to-VMBus path as a guest drives it, with nothing stood in: an emulator
 * partition (never started) with the Hyper-V interface attached, its real synthetic-MSR handler,
 * hypercall dispatcher and {@code SynIc}, and a {@link VmBus} on its real control executor with an
 * echo channel offered. The guest's moves are synthetic-MSR writes (SynIC, SIMP, SIEFP, SINTs),
 * HvPostMessage hypercalls carrying channel messages (contact in any version, offers, GPADLs with
 * good and bad PFNs, opens, closes, teardowns, unload, raw bytes) through an input block in guest
 * memory, HvSignalEvent on any connection, consuming the SINT message slots (type 0, EOM when
 * pending), scribbles over guest memory and raw hypercalls.
 *
 * <p>Properties: no guest move throws; every hypercall result is one TLFS status with zero reps
 * completed; a post on a management connection is accepted ({@code SUCCESS}) or refused with
 * {@code INSUFFICIENT_BUFFERS}; every message the root puts in a slot is a well-formed channel
 * message; no fault escapes the management protocol checks (no "handling a ... failed" drop);
 * closing the bus unregisters the management connections.
 *
 * <p>CI runs the seeds in {@code src/test/resources/dev/partita/vmbus/fuzz/VmBusPathFuzzTestInputs}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes with coverage feedback.
 */
class VmBusPathFuzzTest {
    static final long MEMORY_BYTES = 1 << 20;
    static final long SIMP = 0x2000;
    static final long SIEFP = 0x3000;
    static final long INPUT = 0x8000;
    private static final Partition PARTITION = Hypervisor.get().createPartition(
            new PartitionConfig("vmbus-path-fuzz", MEMORY_BYTES, 2, "emulator"));
    private static final HyperV HYPERV = HyperV.attach(PARTITION);
    private static final byte[] PRISTINE = HYPERV.saveState();
    private static final GuestMemory MEMORY = PARTITION.memory();
    private static final int[] VERSIONS = {VmbusVersion.V5_3, VmbusVersion.V5_0, VmbusVersion.V4_1, VmbusVersion.V3_0,
        VmbusVersion.V2_4, 0x00010001};
    private static final int[] MSRS = {HvMsr.GUEST_OS_ID, HvMsr.SCONTROL, HvMsr.SIMP, HvMsr.SIEFP, HvMsr.EOM,
        HvMsr.SINT0 + VmbusVersion.MESSAGE_SINT, HvMsr.SINT0, HvMsr.HYPERCALL};
    static long executions;
    /** Rejected guest input is logged, which would flood a fuzzing run. */
    static {
        dev.partita.hv.log.LogLevels.set("dev.partita", System.Logger.Level.OFF);
    }

    @AfterAll
    static void close() {
        PARTITION.close();
        System.out.println("VmBusPathFuzzTest: " + executions + " inputs executed");
    }

    @FuzzTest(maxDuration = "3m")
    void anyGuestOnTheRealPath(byte[] data) {
        run(data);
    }

    /** Deterministic complement for CI: the SynIC set up, then random management traffic. */
    @Test
    void randomTrafficOnTheRealPathKeepsTheProperties() {
        SplittableRandom rng = new SplittableRandom(0xB05);
        for (int n = 0; n < 150; n++) {
            byte[] b = new byte[rng.nextInt(16, 300)];
            rng.nextBytes(b);
            for (int i = 0; i < b.length; i += 1 + rng.nextInt(8)) {
                b[i] = (byte) rng.nextInt(4);
            }
            byte[] all = new byte[SETUP.length + b.length];
            System.arraycopy(SETUP, 0, all, 0, SETUP.length);
            System.arraycopy(b, 0, all, SETUP.length, b.length);
            run(all);
        }
    }

    /** A script prefix: guest OS id, SynIC on, SIMP and SIEFP enabled, SINT2 unmasked with vector 0x30, on vCPU 0. */
    static final byte[] SETUP = {
        0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, (byte) 0x81,     // GUEST_OS_ID = 0x8100_0000_0000_0001
        0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0,               // SCONTROL = 1
        0, 0, 2, 1, 0x01, 0x20, 0, 0, 0, 0, 0, 0,         // SIMP = 0x2001
        0, 0, 3, 1, 0x01, 0x30, 0, 0, 0, 0, 0, 0,         // SIEFP = 0x3001
        0, 0, 5, 1, 0x30, 0, 0, 0, 0, 0, 0, 0,            // SINT2 = 0x30
    };

    /** Channel messages the root delivered to the guest's VMBus message slot during the last run. */
    static final List<String> delivered = new java.util.ArrayList<>();

    @Test
    void theContactSeedIsAnsweredUpToTheOpenThroughTheRealSynic() throws Exception {
        byte[] seed;
        try (var in = getClass().getResourceAsStream("VmBusPathFuzzTestInputs/anyGuestOnTheRealPath/contact_offers_open")) {
            seed = in.readAllBytes();
        }
        run(seed);
        System.out.println("contact seed delivered: " + delivered);
        assertTrue(delivered.contains("VersionResponse") && delivered.contains("OfferChannel")
                && delivered.contains("AllOffersDelivered") && delivered.contains("GpadlCreated")
                && delivered.contains("OpenChannelResult"), "delivered through the real SynIC: " + delivered);
    }

    static void run(byte[] data) {
        executions++;
        delivered.clear();
        MEMORY.fill(0, MEMORY_BYTES, (byte) 0);
        HYPERV.restoreState(PRISTINE);
        FuzzScript s = new FuzzScript(data);
        VmBus bus = VmBus.attach(MEMORY, new HyperVSynicPort(HYPERV), VmBusTuning.defaults());
        try {
            bus.offer(new EchoVsp(UUID.randomUUID(), 16384));
            for (int step = 0; step < 64 && s.more(); step++) {
                step(s);
                bus.inspect(m -> null); // let the control thread finish what the step queued
                consumeAll();
            }
            for (String d : bus.inspect(ChannelManager::dropped)) {
                assertFalse(d.startsWith("handling a"), "a fault escaped the protocol checks: " + d);
            }
        } finally {
            bus.close();
        }
        assertEquals(0x12, post(VmbusVersion.MESSAGE_CONNECTION_ID_4, new RequestOffers()), "management connection gone after close");
    }

    private static void step(FuzzScript s) {
        switch (s.u8() % 7) {
            case 0 -> msrWrite(s);
            case 1, 2 -> {
                int status = postMessage(s);
                assertTrue(status == 0 || status == 0x13 || status == 0x12 || status == 0x05 || status == 0x04,
                        "post status 0x" + Integer.toHexString(status));
            }
            case 3 -> {
                int conn = s.bit() ? ChannelManager.CHANNEL_CONNECTION_BASE + s.u8() % 4 : s.u8() % 8;
                hypercall(s.u8() % 2, 0x5D | 1L << 16, conn);
            }
            case 4 -> consume(s.u8() % 2, s.u8() % 16);
            case 5 -> {
                long gpa = (s.u32() & 0x7FFF_FFFFL) % MEMORY_BYTES;
                byte[] b = s.bytes(s.u8() % 64);
                MEMORY.write(gpa, b, 0, (int) Math.min(b.length, MEMORY_BYTES - gpa));
            }
            default -> hypercall(s.u8() % 2, s.u64(), s.bit() ? INPUT : s.u64());
        }
    }

    private static void msrWrite(FuzzScript s) {
        int vp = s.u8() % 2;
        int index = MSRS[s.u8() % MSRS.length];
        long value = s.bit() ? s.u64() : (long) (s.u8() % 300) << 12 | 1;
        try {
            PARTITION.msrHandlers().write(vp, index, value);
        } catch (MsrFault gp) {
            // #GP for the guest
        }
    }

    /** One management message through an HvPostMessage input block; returns the hypercall status. */
    private static int postMessage(FuzzScript s) {
        int conn = s.u8() % 4 == 0 ? VmbusVersion.MESSAGE_CONNECTION_ID : VmbusVersion.MESSAGE_CONNECTION_ID_4;
        ChannelMessage m = switch (s.u8() % 10) {
            case 0 -> new InitiateContact(VERSIONS[s.u8() % VERSIONS.length], s.u8() % 3, s.u8() % 3 == 0 ? s.u64() : 2, 0, 0);
            case 1 -> new RequestOffers();
            case 2 -> {
                long first = 16 + s.u8() % 260;       // the guest has 256 pages
                int count = 1 + s.u8() % 40;
                long[] pfns = new long[count];
                for (int i = 0; i < count; i++) {
                    pfns[i] = first + i;
                }
                List<byte[]> msgs = VmBusClient.gpadlMessages(s.u8() % 3, s.u8() % 4, pfns);
                for (byte[] msg : msgs) {
                    postRaw(conn, 1, msg);
                }
                yield null;
            }
            case 3 -> new OpenChannel(s.u8() % 3, s.u8(), s.u8() % 4, s.u8() % 3, s.u8() % 40, new byte[120]);
            case 4 -> new CloseChannel(s.u8() % 3);
            case 5 -> new GpadlTeardown(s.u8() % 3, s.u8() % 4);
            case 6 -> new Unload();
            case 7 -> new RelidReleased(s.u8() % 3);
            default -> {
                postRaw(conn, s.bit() ? 1 : s.u8(), s.bytes(s.u8() % 241));
                yield null;
            }
        };
        return m == null ? 0 : post(conn, m);
    }

    private static int post(int conn, ChannelMessage m) {
        return postRaw(conn, 1, ChannelMessageCodec.encode(m));
    }

    private static int postRaw(int conn, int type, byte[] payload) {
        MEMORY.writeU32(INPUT, conn);
        MEMORY.writeU32(INPUT + 4, 0);
        MEMORY.writeU32(INPUT + 8, type);
        MEMORY.writeU32(INPUT + 12, Math.min(payload.length, 240));
        MEMORY.write(INPUT + 16, payload, 0, Math.min(payload.length, 240));
        return hypercall(0, 0x5C, INPUT);
    }

    private static int hypercall(int vp, long control, long input) {
        long result = PARTITION.hypercallHandler().call(vp, new VcpuExit.Hypercall(control, input, 0));
        assertEquals(0, result & ~0xFFFFL, "a status with zero reps completed");
        return (int) result;
    }

    private static void consumeAll() {
        for (int vp = 0; vp < 2; vp++) {
            for (int n = 0; n < 4 && consume(vp, VmbusVersion.MESSAGE_SINT); n++) {
                // drain what the root posted
            }
        }
    }

    /** Reads and empties slot {@code sint} of {@code vp}'s message page if it holds a VMBus message; true if it did. */
    private static boolean consume(int vp, int sint) {
        long simp;
        try {
            simp = PARTITION.msrHandlers().read(vp, HvMsr.SIMP);
        } catch (MsrFault e) {
            return false;
        }
        if ((simp & 1) == 0 || !MEMORY.isRam(simp & HvMsr.PAGE_MASK, 4096)) {
            return false;
        }
        long slot = (simp & HvMsr.PAGE_MASK) + 256L * sint;
        long type = MEMORY.readU32(slot);
        if (type == 0) {
            return false;
        }
        if (type == 1 && (simp & HvMsr.PAGE_MASK) == SIMP && sint == VmbusVersion.MESSAGE_SINT) {
            int size = MEMORY.readU8(slot + 4);
            assertTrue(size <= 240, "payload size " + size);
            try {
                delivered.add(ChannelMessageCodec.decode(MEMORY.read(slot + 16, size)).getClass().getSimpleName());
            } catch (MalformedMessageException e) {
                fail("the root posted a malformed channel message: " + e.getMessage());
            }
        }
        MEMORY.writeU32(slot, 0);
        if ((MEMORY.readU8(slot + 5) & 1) != 0) {
            try {
                PARTITION.msrHandlers().write(vp, HvMsr.EOM, 0);
            } catch (MsrFault e) {
                fail("EOM faulted: " + e.getMessage());
            }
        }
        return true;
    }
}
