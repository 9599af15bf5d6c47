package dev.partita.devices.legacy;

import dev.partita.hv.acpi.AcpiPmRegisters;
import dev.partita.hv.bus.PortIoDevice;
import dev.partita.hv.state.Saveable;
import dev.partita.hv.state.SectionReader;
import dev.partita.hv.state.SectionWriter;
import dev.partita.hv.state.StateFileException;
import java.util.function.LongSupplier;

/**
 * The ACPI fixed-hardware registers the FADT points at (port 0x600, {@link AcpiPmRegisters}):
 * PM1_STS (write 1 to clear) and PM1_EN, PM1_CNT, and the 32-bit 3.579545 MHz PM timer. Writing
 * PM1_CNT with SLP_EN and SLP_TYP = 5 (the DSDT's \_S5) is soft-off: the power-off action runs — this
 * is how Linux's {@code poweroff} ends the machine (acpi_power_off → PM1a control register). Other
 * sleep types are not supported and are ignored.
 *
 * <p>Partial: no event sets a status bit (no fixed power button, TMR_STS not raised on timer carry), so
 * the SCI line stays low; it is driven from (PM1_STS &amp; PM1_EN) all the same.
 *
 * <p>Threads: vCPU threads; state guarded by this object's monitor. The power-off action runs outside it.
 */
public final class AcpiPmBlock implements PortIoDevice, Saveable {
    private final IrqLine sci;
    private final Runnable powerOff;
    private final LongSupplier nanoTime;
    private long start;
    private int status, enable, control = AcpiPmRegisters.SCI_EN;
    private boolean sciLevel;

    /**
     * @param sci      the SCI (ISA IRQ 9, level)
     * @param powerOff what soft-off does (ends the partition with status 0)
     * @param nanoTime the clock the PM timer counts (System::nanoTime in a partition)
     */
    public AcpiPmBlock(IrqLine sci, Runnable powerOff, LongSupplier nanoTime) {
        this.sci = sci;
        this.powerOff = powerOff;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
    }

    /** The PM timer's count (wraps at 2^32). */
    public synchronized long timerValue() {
        long ns = nanoTime.getAsLong() - start;
        long sec = ns / 1_000_000_000L;
        long rem = ns % 1_000_000_000L;
        return (sec * AcpiPmRegisters.PM_TIMER_HZ + rem * AcpiPmRegisters.PM_TIMER_HZ / 1_000_000_000L) & 0xFFFF_FFFFL;
    }

    @Override
    public synchronized int read(int offset, int size) {
        long timer = offset + size > 8 ? timerValue() : 0;
        int v = 0;
        for (int i = 0; i < size; i++) {
            v |= readByte(offset + i, timer) << (8 * i);
        }
        return v;
    }

    @Override
    public void write(int offset, int size, int value) {
        boolean off;
        synchronized (this) {
            for (int i = 0; i < size; i++) {
                writeByte(offset + i, (value >>> (8 * i)) & 0xFF);
            }
            off = (control & AcpiPmRegisters.SLP_EN) != 0
                    && (control & AcpiPmRegisters.SLP_TYP_MASK) >>> AcpiPmRegisters.SLP_TYP_SHIFT == AcpiPmRegisters.S5_SLP_TYP;
            control &= ~AcpiPmRegisters.SLP_EN; // SLP_EN is write-only: reads return 0
            updateSci();
        }
        if (off) {
            powerOff.run();
        }
    }

    private int readByte(int off, long timer) {
        return switch (off) {
            case 0 -> status & 0xFF;
            case 1 -> status >>> 8;
            case 2 -> enable & 0xFF;
            case 3 -> enable >>> 8;
            case 4 -> control & 0xFF;
            case 5 -> (control >>> 8) & 0xFF;
            case 8, 9, 10, 11 -> (int) (timer >>> (8 * (off - 8))) & 0xFF;
            default -> 0;
        };
    }

    private void writeByte(int off, int b) {
        switch (off) {
            case 0 -> status &= ~b;
            case 1 -> status &= ~(b << 8);
            case 2 -> enable = (enable & 0xFF00) | b;
            case 3 -> enable = (enable & 0xFF) | b << 8;
            case 4 -> control = (control & 0xFF00) | b;
            case 5 -> control = (control & 0xFF) | b << 8;
            default -> { } // the timer and the gap are read-only
        }
    }

    private void updateSci() {
        boolean level = (status & enable) != 0;
        if (level != sciLevel) {
            sciLevel = level;
            sci.set(level);
        }
    }

    // ------------------------------------------------------------------ saved state

    @Override
    public String stateName() {
        return "acpi-pm";
    }

    /** Version 1: PM1 status, enable and control, the SCI level, and the PM timer's elapsed nanoseconds (it continues from there). */
    @Override
    public int stateVersion() {
        return 1;
    }

    @Override
    public synchronized byte[] saveState() {
        return new SectionWriter().u16(status).u16(enable).u16(control).bool(sciLevel)
                .u64(nanoTime.getAsLong() - start).toByteArray();
    }

    @Override
    public synchronized void restoreState(byte[] state, int version) throws StateFileException {
        SectionReader r = new SectionReader(stateName(), state);
        if (version != 1) {
            throw r.fail("layout version " + version + " (this build reads 1)");
        }
        int newStatus = r.u16(), newEnable = r.u16(), newControl = r.u16();
        boolean newSci = r.bool();
        long elapsed = r.u64();
        r.end();
        if (elapsed < 0) {
            throw r.fail("PM timer elapsed time is negative");
        }
        status = newStatus;
        enable = newEnable;
        control = newControl;
        sciLevel = newSci;
        start = nanoTime.getAsLong() - elapsed;
    }
}
