package dev.partita.hv.devices.debug;

import dev.partita.hv.bus.MmioDevice;
import dev.partita.hv.state.Saveable;
import dev.partita.hv.state.SectionReader;
import dev.partita.hv.state.SectionWriter;
import dev.partita.hv.state.StateFileException;

/**
 * The MMIO test device at guest-physical 0xD000_0000, 4 KiB (guests/README.md):
 * <ul>
 * <li>+0x00 u32 read: 0x54524150 ("PART"); writes ignored.</li>
 * <li>+0x08 u64 scratch: reads return the last value stored (initially 0).</li>
 * <li>+0x10 u32 write v; then +0x14 u32 read returns ~v.</li>
 * <li>anything else reads all ones, writes are ignored.</li>
 * </ul>
 * Accesses must match a register's offset and size exactly. Its saved state (section
 * {@code mmio-test}, version 1) is the scratch register (u64) and the ~v register (u32).
 * Thread-safe (synchronized).
 */
public final class MmioTestDevice implements MmioDevice, Saveable {
    public static final long BASE = 0xD000_0000L;
    public static final long SIZE = 0x1000;
    public static final int MAGIC = 0x54524150;

    static final long MAGIC_OFFSET = 0x00;
    static final long SCRATCH_OFFSET = 0x08;
    static final long INVERT_IN_OFFSET = 0x10;
    static final long INVERT_OUT_OFFSET = 0x14;

    private long scratch;
    private int inverted = -1;

    @Override
    public synchronized long read(long offset, int size) {
        if (offset == MAGIC_OFFSET && size == 4) {
            return Integer.toUnsignedLong(MAGIC);
        }
        if (offset == SCRATCH_OFFSET && size == 8) {
            return scratch;
        }
        if (offset == INVERT_OUT_OFFSET && size == 4) {
            return Integer.toUnsignedLong(inverted);
        }
        return size >= 8 ? -1L : (1L << (size * 8)) - 1;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (offset == SCRATCH_OFFSET && size == 8) {
            scratch = value;
        } else if (offset == INVERT_IN_OFFSET && size == 4) {
            inverted = ~(int) value;
        }
    }

    @Override
    public String stateName() {
        return "mmio-test";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    @Override
    public synchronized byte[] saveState() {
        return new SectionWriter().u64(scratch).u32(inverted).toByteArray();
    }

    @Override
    public synchronized void restoreState(byte[] state, int version) throws StateFileException {
        SectionReader r = new SectionReader(stateName(), state);
        if (version != 1) {
            throw r.fail("layout version " + version + " (this build reads 1)");
        }
        long s = r.u64();
        int i = r.u32();
        r.end();
        scratch = s;
        inverted = i;
    }
}
