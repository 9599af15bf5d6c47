package dev.partita.hv.bus;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class BusTest {

    /** Records what it sees; reads return offset * 0x10 + size. */
    static final class RecordingPorts implements PortIoDevice {
        final List<String> log = new ArrayList<>();

        @Override
        public synchronized int read(int offset, int size) {
            log.add("r" + offset + "/" + size);
            return offset * 0x10 + size;
        }

        @Override
        public synchronized void write(int offset, int size, int value) {
            log.add("w" + offset + "/" + size + "=" + Integer.toHexString(value));
        }
    }

    @Test
    void devicesSeeOffsetsWithinTheirRange() {
        IoBus bus = new IoBus();
        RecordingPorts dev = new RecordingPorts();
        bus.register(0x3F8, 8, dev, "uart");
        assertEquals(5 * 0x10 + 1, bus.read(0x3FD, 1));
        bus.write(0x3F8, 1, 0x41);
        bus.write(0x3FC, 4, 0x12345678);
        assertEquals(List.of("r5/1", "w0/1=41", "w4/4=12345678"), dev.log);
    }

    @Test
    void overlappingRegistrationIsRefusedWithBothNames() {
        IoBus bus = new IoBus();
        bus.register(0x60, 1, new RecordingPorts(), "kbd-data");
        bus.register(0x64, 1, new RecordingPorts(), "kbd-status");
        BusConflictException e = assertThrows(BusConflictException.class,
                () -> bus.register(0x62, 4, new RecordingPorts(), "intruder"));
        assertTrue(e.getMessage().contains("intruder") && e.getMessage().contains("kbd-status"), e.getMessage());
        assertDoesNotThrow(() -> bus.register(0x61, 3, new RecordingPorts(), "fits-between"));
        assertThrows(IllegalArgumentException.class, () -> bus.register(0xFFFF, 2, new RecordingPorts(), "past-end"));

        MmioBus mmio = new MmioBus();
        mmio.register(0xFEC00000L, 0x1000, new NullMmio(), "ioapic");
        assertThrows(BusConflictException.class, () -> mmio.register(0xFEBFF000L, 0x1001, new NullMmio(), "x"));
        assertDoesNotThrow(() -> mmio.register(0xFEBFF000L, 0x1000, new NullMmio(), "adjacent"));
    }

    @Test
    void unclaimedAccessReadsAllOnesAndWritesAreDropped() {
        IoBus bus = new IoBus();
        assertEquals(0xFF, bus.read(0x80, 1));
        assertEquals(0xFFFF, bus.read(0x80, 2));
        assertEquals(-1, bus.read(0x80, 4));
        bus.write(0x80, 1, 0);
        assertEquals(1, bus.unclaimedPorts(), "one address, counted once");

        MmioBus mmio = new MmioBus();
        assertEquals(0xFFL, mmio.read(0x1000, 1));
        assertEquals(0xFFFFFFFFL, mmio.read(0x1000, 4));
        assertEquals(-1L, mmio.read(0x1000, 8));
        mmio.write(0x2000, 8, 1);
        assertEquals(2, mmio.unclaimedAddresses());
    }

    @Test
    void accessCrossingTheEndOfARangeIsUnclaimed() {
        IoBus bus = new IoBus();
        RecordingPorts dev = new RecordingPorts();
        bus.register(0x70, 2, dev, "rtc");
        assertEquals(-1, bus.read(0x71, 4));
        assertTrue(dev.log.isEmpty());
    }

    @Test
    void unregisterFreesTheRange() {
        IoBus bus = new IoBus();
        RecordingPorts dev = new RecordingPorts();
        bus.register(0x40, 4, dev, "pit");
        assertTrue(bus.unregister(dev));
        assertEquals(0xFF, bus.read(0x40, 1));
        bus.register(0x40, 4, new RecordingPorts(), "pit2");
    }

    @Test
    void unclaimedLoggingIsBoundedUnderAFlood() {
        MmioBus mmio = new MmioBus();
        for (long a = 0; a < 100_000; a++) {
            mmio.read(a * 8, 8);
        }
        assertTrue(mmio.unclaimedAddresses() <= 256, "tracked addresses stay bounded: " + mmio.unclaimedAddresses());
    }

    @Test
    void concurrentAccessAndRegistration() throws Exception {
        IoBus bus = new IoBus();
        AtomicInteger writes = new AtomicInteger();
        bus.register(0x10, 1, new PortIoDevice() {
            public int read(int offset, int size) {
                return 0x42;
            }

            public void write(int offset, int size, int value) {
                writes.incrementAndGet();
            }
        }, "counter");
        AtomicInteger badReads = new AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    bus.write(0x10, 1, i);
                    if (bus.read(0x10, 1) != 0x42) {
                        badReads.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (int p = 0x100; p < 0x200; p++) {
            bus.register(p, 1, new RecordingPorts(), "dyn" + p);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(80_000, writes.get());
        assertEquals(0, badReads.get());
    }

    static final class NullMmio implements MmioDevice {
        public long read(long offset, int size) {
            return 0;
        }

        public void write(long offset, int size, long value) {
        }
    }
}
