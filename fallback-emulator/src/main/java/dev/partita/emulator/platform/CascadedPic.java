package dev.partita.emulator.platform;

/**
 * The PC's two 8259A controllers: the master at ports 0x20/0x21 (ISA IRQ 0-7), the slave at
 * 0xA0/0xA1 (IRQ 8-15) cascaded into the master's IRQ2, and the edge/level control registers
 * (ELCR) at 0x4D0/0x4D1. The master's INT output goes to the boot processor (its local APIC's
 * LINT0 when that is programmed ExtINT, or straight to the CPU when the APIC is disabled); the
 * processor's INTA cycle is {@link #acknowledge()}. An INTA with nothing left to deliver returns
 * the spurious vector of IRQ7 (or IRQ15 when the slave had nothing), as the hardware does.
 *
 * <p>Threading: not thread-safe; the platform serializes every call under its device lock. Only
 * {@link #hasOutput()} may be read from any thread (a volatile copy of the INT line).
 */
public final class CascadedPic {

    /** Saved state for checkpoints. */
    public record State(I8259Chip.State master, I8259Chip.State slave) {
    }

    public static final int MASTER_COMMAND = 0x20;
    public static final int MASTER_DATA = 0x21;
    public static final int SLAVE_COMMAND = 0xA0;
    public static final int SLAVE_DATA = 0xA1;
    public static final int ELCR_MASTER = 0x4D0;
    public static final int ELCR_SLAVE = 0x4D1;

    private static final int CASCADE_LINE = 2;
    private static final int CASCADE_MASK = 1 << CASCADE_LINE;

    /** Master: IRQ 0-2 are always edge-triggered; slave: IRQ 8 and 13 are. */
    private final I8259Chip master = new I8259Chip(0xF8);
    private final I8259Chip slave = new I8259Chip(0xDE);
    private final Runnable outputRaised;
    private volatile boolean output;

    /** @param outputRaised run (under the device lock) whenever the INT output goes from low to high */
    public CascadedPic(Runnable outputRaised) {
        this.outputRaised = outputRaised;
    }

    /** Drives ISA IRQ {@code irq} (0-15; IRQ2 is the cascade and ignored). */
    public void setIrq(int irq, boolean level) {
        if (irq < 0 || irq > 15) {
            throw new IllegalArgumentException("8259: IRQ " + irq + " outside 0..15");
        }
        if (irq == CASCADE_LINE) {
            return;
        }
        if (irq < 8) {
            master.setLine(irq, level);
        } else {
            slave.setLine(irq - 8, level);
        }
        update();
    }

    /** Whether the master's INT output is high (an interrupt awaits its INTA). Any thread. */
    public boolean hasOutput() {
        return output;
    }

    /** The INTA cycle: the vector to deliver (a spurious IRQ7/IRQ15 vector when the request went away). */
    public int acknowledge() {
        int vector;
        int line = master.pendingLine(CASCADE_MASK);
        if (line < 0) {
            vector = master.vector(7);
        } else {
            master.acknowledge(line);
            if (line == CASCADE_LINE) {
                int slaveLine = slave.pendingLine(0);
                if (slaveLine < 0) {
                    vector = slave.vector(7);
                } else {
                    slave.acknowledge(slaveLine);
                    vector = slave.vector(slaveLine);
                }
            } else {
                vector = master.vector(line);
            }
        }
        update();
        return vector;
    }

    /** Whether this object decodes {@code port}. */
    public static boolean claims(int port) {
        return port == MASTER_COMMAND || port == MASTER_DATA || port == SLAVE_COMMAND || port == SLAVE_DATA
                || port == ELCR_MASTER || port == ELCR_SLAVE;
    }

    /** Byte read from a claimed port. */
    public int read(int port) {
        int v = switch (port) {
            case MASTER_COMMAND -> master.readCommand(CASCADE_MASK);
            case MASTER_DATA -> master.readData();
            case SLAVE_COMMAND -> readSlavePoll();
            case SLAVE_DATA -> slave.readData();
            case ELCR_MASTER -> master.elcr();
            case ELCR_SLAVE -> slave.elcr();
            default -> 0xFF;
        };
        update();
        return v & 0xFF;
    }

    private int readSlavePoll() {
        return slave.readCommand(0);
    }

    /** Byte write to a claimed port. */
    public void write(int port, int value) {
        value &= 0xFF;
        switch (port) {
            case MASTER_COMMAND -> master.writeCommand(value, CASCADE_MASK);
            case MASTER_DATA -> master.writeData(value);
            case SLAVE_COMMAND -> slave.writeCommand(value, 0);
            case SLAVE_DATA -> slave.writeData(value);
            case ELCR_MASTER -> master.setElcr(value);
            case ELCR_SLAVE -> slave.setElcr(value);
            default -> {
                // not ours
            }
        }
        update();
    }

    /** Propagates the slave's INT to the master's IRQ2 and recomputes the output. */
    private void update() {
        master.setCascadeRequest(CASCADE_LINE, slave.pendingLine(0) >= 0);
        boolean now = master.pendingLine(CASCADE_MASK) >= 0;
        boolean was = output;
        output = now;
        if (now && !was) {
            outputRaised.run();
        }
    }

    /** Master IRR, ISR, IMR and slave IRR, ISR, IMR as bytes of one int each (tests, diagnostics). */
    public int masterIrr() {
        return master.irr();
    }

    public int masterIsr() {
        return master.isr();
    }

    public int slaveIsr() {
        return slave.isr();
    }

    public State save() {
        return new State(master.save(), slave.save());
    }

    public void restore(State s) {
        master.restore(s.master());
        slave.restore(s.slave());
        output = false;
        update();
    }
}
