package dev.partita.hv.hyperv;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/** Host-to-guest delivery: message slots, pending flag and EOM, event flags, masking. */
class SynicDeliveryTest {
    private static final long SIMP = 0x10000, SIEFP = 0x11000;
    private static final int SINT = 2, VECTOR = 0xF3;

    private static byte[] payload(int n, int fill) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    @Test
    void messageLandsInItsSlotPayloadFirstThenType() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            f.enable(0, SIMP, SIEFP, SINT, VECTOR);
            assertTrue(f.synic.postMessage(0, SINT, 1, payload(20, 0x11)));
            long slot = SIMP + SINT * 256L;
            assertEquals(1, f.memory.readU32(slot), "type");
            assertEquals(20, f.memory.readU8(slot + 4), "payload size");
            assertEquals(0, f.memory.readU8(slot + 5), "no pending flag with nothing queued");
            assertArrayEquals(payload(20, 0x11), f.memory.read(slot + 16, 20));
            assertArrayEquals(new byte[220], f.memory.read(slot + 36, 220), "rest of the payload zeroed");
            assertEquals(0, f.memory.readU32(SIMP + 3 * 256L), "other slots untouched");
            assertEquals(List.of(new SynicFixture.Raised(0, VECTOR)), f.raised);
        }
    }

    @Test
    void queuedMessagesFollowInOrderThroughPendingFlagAndEom() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            f.enable(0, SIMP, SIEFP, SINT, VECTOR);
            long slot = SIMP + SINT * 256L;
            for (int i = 1; i <= 3; i++) {
                assertTrue(f.synic.postMessage(0, SINT, 1, payload(8, i)));
            }
            assertEquals(1, f.raised.size(), "only the first is in the slot");
            assertEquals(1, f.memory.readU8(slot + 16));
            assertEquals(MessagePage.FLAG_PENDING, f.memory.readU8(slot + 5), "pending: two more queued");
            assertEquals(2, f.synic.processor(0).queued(SINT));

            assertTrue(f.guestConsume(0, slot), "guest sees the pending flag and writes EOM");
            assertEquals(2, f.memory.readU8(slot + 16), "second message delivered on EOM");
            assertEquals(MessagePage.FLAG_PENDING, f.memory.readU8(slot + 5), "one more still queued");
            assertEquals(2, f.raised.size());

            assertTrue(f.guestConsume(0, slot));
            assertEquals(3, f.memory.readU8(slot + 16));
            assertEquals(0, f.memory.readU8(slot + 5), "last one: no pending flag");
            assertEquals(3, f.raised.size());

            assertFalse(f.guestConsume(0, slot), "no EOM needed");
            f.msrs.write(0, HvMsr.EOM, 0);
            assertEquals(0, f.memory.readU32(slot), "a spurious EOM delivers nothing");
            assertEquals(3, f.raised.size());
        }
    }

    @Test
    void messagePostedWhileSlotIsFullMarksItPending() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            f.enable(0, SIMP, SIEFP, SINT, VECTOR);
            long slot = SIMP + SINT * 256L;
            assertTrue(f.synic.postMessage(0, SINT, 1, payload(4, 1)));
            assertEquals(0, f.memory.readU8(slot + 5));
            assertTrue(f.synic.postMessage(0, SINT, 1, payload(4, 2)));
            assertEquals(MessagePage.FLAG_PENDING, f.memory.readU8(slot + 5), "the full slot is marked pending");
            assertEquals(1, f.synic.processor(0).queued(SINT));
        }
    }

    @Test
    void slotEmptiedWithoutEomIsRefilledByTheNextPost() throws Exception {
        // The guest emptied the slot but saw no pending flag (nothing was queued): the next post goes straight in.
        try (SynicFixture f = new SynicFixture(1)) {
            f.enable(0, SIMP, SIEFP, SINT, VECTOR);
            long slot = SIMP + SINT * 256L;
            f.synic.postMessage(0, SINT, 1, payload(4, 1));
            assertFalse(f.guestConsume(0, slot));
            f.synic.postMessage(0, SINT, 7, payload(4, 2));
            assertEquals(7, f.memory.readU32(slot));
            assertEquals(2, f.memory.readU8(slot + 16));
            assertEquals(2, f.raised.size());
        }
    }

    @Test
    void nothingIsDeliveredToDisabledOrMaskedSints() throws Exception {
        try (SynicFixture f = new SynicFixture(2)) {
            assertFalse(f.synic.postMessage(0, SINT, 1, payload(1, 1)), "SynIC off");
            assertFalse(f.synic.signalEvent(0, SINT, 3), "SynIC off");
            f.msrs.write(0, HvMsr.SCONTROL, 1);
            f.msrs.write(0, HvMsr.SINT0 + SINT, VECTOR);
            assertFalse(f.synic.postMessage(0, SINT, 1, payload(1, 1)), "SIMP off");
            assertFalse(f.synic.signalEvent(0, SINT, 3), "SIEFP off");
            f.msrs.write(0, HvMsr.SIMP, SIMP | 1);
            f.msrs.write(0, HvMsr.SIEFP, SIEFP | 1);
            f.msrs.write(0, HvMsr.SINT0 + SINT, HvMsr.SINT_MASKED | VECTOR);
            assertFalse(f.synic.postMessage(0, SINT, 1, payload(1, 1)), "masked");
            assertFalse(f.synic.signalEvent(0, SINT, 3), "masked");
            assertFalse(f.synic.postMessage(1, SINT, 1, payload(1, 1)), "other processor not enabled");
            assertEquals(0, f.memory.readU32(SIMP + SINT * 256L));
            assertEquals(0, f.memory.readU64(SIEFP + SINT * 256L));
            assertTrue(f.raised.isEmpty());
        }
    }

    @Test
    void unmaskingDeliversWhatWaits() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            f.enable(0, SIMP, SIEFP, SINT, VECTOR);
            long slot = SIMP + SINT * 256L;
            f.synic.postMessage(0, SINT, 1, payload(4, 1));
            f.synic.postMessage(0, SINT, 1, payload(4, 2));
            f.msrs.write(0, HvMsr.SINT0 + SINT, HvMsr.SINT_MASKED | VECTOR);
            f.memory.writeU32(slot, 0);
            f.msrs.write(0, HvMsr.EOM, 0);
            assertEquals(0, f.memory.readU32(slot), "masked: stays queued");
            f.msrs.write(0, HvMsr.SINT0 + SINT, VECTOR);
            assertEquals(2, f.memory.readU8(slot + 16), "delivered on unmask");
            assertEquals(2, f.raised.size());
        }
    }

    @Test
    void badDeliveryArgumentsAreRefused() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            f.enable(0, SIMP, SIEFP, SINT, VECTOR);
            assertThrows(IllegalArgumentException.class, () -> f.synic.postMessage(1, SINT, 1, new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> f.synic.postMessage(0, 16, 1, new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> f.synic.postMessage(0, SINT, 0, new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> f.synic.postMessage(0, SINT, 1, new byte[241]));
            assertThrows(IllegalArgumentException.class, () -> f.synic.signalEvent(0, SINT, 2048));
            assertThrows(IllegalArgumentException.class, () -> f.synic.signalEvent(0, -1, 0));
        }
    }

    @Test
    void eventFlagSetsItsBitAndInterruptsOnlyWhenNewlySet() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            f.enable(0, SIMP, SIEFP, SINT, VECTOR);
            assertTrue(f.synic.signalEvent(0, SINT, 70));
            long word = SIEFP + 512 + 8; // SINT2's block at 512; flag 70 is bit 6 of the second u64
            assertEquals(1L << 6, f.memory.readU64(word));
            assertEquals(1 << 6, f.memory.readU8(SIEFP + 512 + 8), "bit 70 = byte 8 bit 6");
            assertEquals(1, f.raised.size());
            assertTrue(f.synic.signalEvent(0, SINT, 70));
            assertEquals(1, f.raised.size(), "already set: no second interrupt");
            f.memory.writeU64(word, 0); // the guest consumed it
            assertTrue(f.synic.signalEvent(0, SINT, 70));
            assertEquals(2, f.raised.size());
            assertTrue(f.synic.signalEvent(0, SINT, 2047));
            assertEquals(1L << 63, f.memory.readU64(SIEFP + 512 + 248));
        }
    }

    @Test
    void concurrentGuestClearsNeverLoseHostFlags() throws Exception {
        // A "guest" thread atomically clears even flags in the same words while host threads set odd ones.
        try (SynicFixture f = new SynicFixture(1)) {
            f.enable(0, SIMP, SIEFP, SINT, VECTOR);
            MemorySegment block = f.memory.segment(SIEFP + 512, 256);
            VarHandle word = ValueLayout.JAVA_LONG.varHandle();
            AtomicBoolean stop = new AtomicBoolean();
            Thread guest = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    for (int w = 0; w < 32; w++) {
                        word.getAndBitwiseAnd(block, w * 8L, 0xAAAA_AAAA_AAAA_AAAAL);
                    }
                }
            });
            int hosts = 4;
            CountDownLatch done = new CountDownLatch(hosts);
            for (int h = 0; h < hosts; h++) {
                int first = h;
                Thread.ofPlatform().start(() -> {
                    for (int flag = 2 * first + 1; flag < 2048; flag += 2 * hosts) {
                        f.synic.signalEvent(0, SINT, flag);
                        f.synic.signalEvent(0, SINT, flag - 1); // an even flag the guest keeps clearing
                    }
                    done.countDown();
                });
            }
            done.await();
            stop.set(true);
            guest.join();
            for (int flag = 1; flag < 2048; flag += 2) {
                assertTrue(EventFlagsPage.isSet(f.memory, SIEFP, SINT, flag), "odd flag " + flag + " lost");
            }
        }
    }

    @Test
    void eachProcessorHasItsOwnPages() throws Exception {
        try (SynicFixture f = new SynicFixture(2)) {
            f.enable(0, SIMP, SIEFP, SINT, VECTOR);
            f.enable(1, 0x20000, 0x21000, SINT, 0xF4);
            f.synic.postMessage(1, SINT, 5, payload(3, 9));
            f.synic.signalEvent(1, SINT, 1);
            assertEquals(0, f.memory.readU32(SIMP + SINT * 256L));
            assertEquals(5, f.memory.readU32(0x20000 + SINT * 256L));
            assertEquals(2, f.memory.readU64(0x21000 + 512));
            assertEquals(List.of(new SynicFixture.Raised(1, 0xF4), new SynicFixture.Raised(1, 0xF4)), f.raised);
        }
    }

    @Test
    void eventFlagWritesAreDirtyTracked() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            f.enable(0, SIMP, SIEFP, SINT, VECTOR);
            f.memory.setDirtyTracking(true);
            f.memory.collectDirtyPages();
            f.synic.signalEvent(0, SINT, 5);
            var dirty = f.memory.collectDirtyPages();
            assertTrue(dirty.isDirty(SIEFP), "SIEF page written through an atomic view must be marked dirty");
            assertEquals(1, dirty.count());
        }
    }

    @Test
    void concurrentProducersAndAConsumingGuestLoseNothing() throws Exception {
        // Host threads post while a "guest" thread consumes the slot the way Linux does (type = 0, full
        // barrier, EOM if the pending flag is set). Every message must arrive once, each producer's in order.
        int producers = 4, perProducer = 2000;
        try (SynicFixture f = new SynicFixture(1)) {
            f.enable(0, SIMP, SIEFP, SINT, VECTOR);
            long slot = SIMP + SINT * 256L;
            int[] next = new int[producers];
            AtomicBoolean failed = new AtomicBoolean();
            Thread guest = Thread.ofPlatform().start(() -> {
                int received = 0;
                long deadline = System.nanoTime() + 60_000_000_000L;
                try {
                    while (received < producers * perProducer && System.nanoTime() < deadline) {
                        if (f.memory.readU32(slot) == 0) {
                            Thread.onSpinWait();
                            continue;
                        }
                        VarHandle.acquireFence();
                        int producer = f.memory.readU8(slot + 16);
                        int seq = (int) f.memory.readU32(slot + 20);
                        if (seq != next[producer]++) {
                            failed.set(true);
                        }
                        received++;
                        f.memory.writeU32(slot, 0);
                        VarHandle.fullFence();
                        if ((f.memory.readU8(slot + 5) & MessagePage.FLAG_PENDING) != 0) {
                            f.msrs.write(0, HvMsr.EOM, 0);
                        }
                    }
                } catch (Exception e) {
                    failed.set(true);
                }
            });
            CountDownLatch done = new CountDownLatch(producers);
            for (int p = 0; p < producers; p++) {
                int id = p;
                Thread.ofPlatform().start(() -> {
                    for (int seq = 0; seq < perProducer; seq++) {
                        byte[] msg = new byte[8];
                        msg[0] = (byte) id;
                        java.nio.ByteBuffer.wrap(msg).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, seq);
                        while (!f.synic.postMessage(0, SINT, 1, msg)) {
                            Thread.onSpinWait(); // queue full: the guest catches up
                        }
                    }
                    done.countDown();
                });
            }
            done.await();
            guest.join(70_000);
            assertFalse(failed.get(), "a producer's messages arrived out of order");
            for (int p = 0; p < producers; p++) {
                assertEquals(perProducer, next[p], "messages of producer " + p + " (stranded or lost ones never arrive)");
            }
            assertEquals(0, f.synic.processor(0).queued(SINT));
        }
    }
}
