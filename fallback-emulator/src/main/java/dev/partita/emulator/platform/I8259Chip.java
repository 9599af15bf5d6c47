package dev.partita.emulator.platform;

/**
 * One Intel 8259A programmable interrupt controller: initialization words ICW1-ICW4, operation
 * words OCW1 (mask), OCW2 (EOI and rotation) and OCW3 (IRR/ISR read select, poll, special mask
 * mode), edge or level triggering per line (the ELCR), auto-EOI, fully nested priority with
 * rotation. {@link CascadedPic} connects two of them.
 *
 * <p>Threading: not thread-safe; the owner ({@link CascadedPic}) serializes every call.
 */
final class I8259Chip {

    /** Saved state for checkpoints; bit masks have one bit per line. */
    record State(int irr, int isr, int imr, int elcr, int lineLevels, int vectorBase, int lowestPriority,
                 int initStep, boolean icw4Needed, boolean single, boolean autoEoi, boolean rotateOnAutoEoi,
                 boolean readIsr, boolean poll, boolean specialMask, boolean levelTriggeredAll,
                 boolean specialFullyNested) {
    }

    /** Bits of the ELCR that can be set (lines that may be level-triggered). */
    private final int elcrWritable;

    private int irr;
    private int isr;
    /** Power-on: every line masked until the guest initializes the chip (there is no BIOS to do it). */
    private int imr = 0xFF;
    private int elcr;
    /** The current input level of each line (for edge detection). */
    private int lineLevels;
    private int vectorBase;
    /** The line with the lowest priority (priority rotation); line (lowestPriority+1)&7 is highest. */
    private int lowestPriority = 7;
    /** 0 = operating; 1, 2, 3 = expecting ICW2, ICW3, ICW4. */
    private int initStep;
    private boolean icw4Needed;
    private boolean single;
    private boolean autoEoi;
    private boolean rotateOnAutoEoi;
    private boolean readIsr;
    private boolean poll;
    private boolean specialMask;
    /** ICW1.LTIM: every line level-triggered. */
    private boolean levelTriggeredAll;
    private boolean specialFullyNested;

    I8259Chip(int elcrWritable) {
        this.elcrWritable = elcrWritable;
    }

    // ------------------------------------------------------------------ input lines

    /** Drives input line {@code irq} (0-7) to {@code level}. */
    void setLine(int irq, boolean level) {
        int mask = 1 << irq;
        boolean levelMode = levelTriggeredAll || (elcr & mask) != 0;
        if (levelMode) {
            irr = level ? irr | mask : irr & ~mask;
        } else if (level && (lineLevels & mask) == 0) {
            irr |= mask;
        }
        lineLevels = level ? lineLevels | mask : lineLevels & ~mask;
    }

    /** The cascade input of a master follows the slave's INT output as a level (not latched). */
    void setCascadeRequest(int line, boolean requested) {
        int mask = 1 << line;
        irr = requested ? irr | mask : irr & ~mask;
    }

    // ------------------------------------------------------------------ priority resolution

    /** Priority rank of the highest-priority bit in {@code bits} (0 = highest), or 8 when none. */
    private int rank(int bits) {
        if (bits == 0) {
            return 8;
        }
        for (int r = 0; r < 8; r++) {
            if ((bits & (1 << ((r + lowestPriority + 1) & 7))) != 0) {
                return r;
            }
        }
        return 8;
    }

    private int lineOfRank(int r) {
        return (r + lowestPriority + 1) & 7;
    }

    /**
     * The line this chip would signal on INT now, or -1: the highest-priority requested and
     * unmasked line, if it outranks every line in service (in special mask mode, only unmasked
     * lines in service count; with special fully nested mode the cascade line on a master may
     * interrupt itself).
     */
    int pendingLine(int cascadeLines) {
        int requested = irr & ~imr;
        int r = rank(requested);
        if (r == 8) {
            return -1;
        }
        int inService = specialMask ? isr & ~imr : isr;
        if (specialFullyNested) {
            inService &= ~cascadeLines;
        }
        return r < rank(inService) ? lineOfRank(r) : -1;
    }

    /** The INTA cycle for {@code line} (returned by {@link #pendingLine}): IRR to ISR (or auto-EOI). */
    void acknowledge(int line) {
        int mask = 1 << line;
        if (!(levelTriggeredAll || (elcr & mask) != 0)) {
            irr &= ~mask;
        }
        if (autoEoi) {
            if (rotateOnAutoEoi) {
                lowestPriority = line;
            }
        } else {
            isr |= mask;
        }
    }

    /** The vector for {@code line}. */
    int vector(int line) {
        return vectorBase + line;
    }

    // ------------------------------------------------------------------ registers

    /** Write to the command port (A0 = 0): ICW1, OCW2 or OCW3. */
    void writeCommand(int value, int cascadeLines) {
        if ((value & 0x10) != 0) {
            initStep = 1;
            icw4Needed = (value & 0x01) != 0;
            single = (value & 0x02) != 0;
            levelTriggeredAll = (value & 0x08) != 0;
            imr = 0;
            isr = 0;
            irr = 0;
            lineLevels = 0;
            lowestPriority = 7;
            autoEoi = false;
            rotateOnAutoEoi = false;
            specialMask = false;
            specialFullyNested = false;
            readIsr = false;
            poll = false;
            return;
        }
        if ((value & 0x08) != 0) {
            if ((value & 0x04) != 0) {
                poll = true;
            }
            if ((value & 0x02) != 0) {
                readIsr = (value & 0x01) != 0;
            }
            if ((value & 0x40) != 0) {
                specialMask = (value & 0x20) != 0;
            }
            return;
        }
        int command = value >>> 5;
        switch (command) {
            case 0 -> rotateOnAutoEoi = false;
            case 4 -> rotateOnAutoEoi = true;
            case 1, 5 -> {
                int inService = specialMask ? isr & ~imr : isr;
                int r = rank(inService);
                if (r < 8) {
                    int line = lineOfRank(r);
                    isr &= ~(1 << line);
                    if (command == 5) {
                        lowestPriority = line;
                    }
                }
            }
            case 3, 7 -> {
                int line = value & 7;
                isr &= ~(1 << line);
                if (command == 7) {
                    lowestPriority = line;
                }
            }
            case 6 -> lowestPriority = value & 7;
            default -> {
                // 2: no operation.
            }
        }
    }

    /** Write to the data port (A0 = 1): ICW2-ICW4 during initialization, else OCW1 (the mask). */
    void writeData(int value) {
        switch (initStep) {
            case 1 -> {
                vectorBase = value & 0xF8;
                initStep = single ? (icw4Needed ? 3 : 0) : 2;
            }
            case 2 -> initStep = icw4Needed ? 3 : 0; // ICW3: the cascade wiring is fixed (IRQ2)
            case 3 -> {
                autoEoi = (value & 0x02) != 0;
                specialFullyNested = (value & 0x10) != 0;
                initStep = 0;
            }
            default -> imr = value & 0xFF;
        }
    }

    /**
     * Read of the command port: the poll result (0x80 | line, acknowledging it, or 0) after an
     * OCW3 poll command, else IRR or ISR as OCW3 selected.
     */
    int readCommand(int cascadeLines) {
        if (poll) {
            poll = false;
            int line = pendingLine(cascadeLines);
            if (line < 0) {
                return 0;
            }
            acknowledge(line);
            return 0x80 | line;
        }
        return readIsr ? isr : irr;
    }

    /** Read of the data port: the mask (IMR). */
    int readData() {
        return imr;
    }

    int elcr() {
        return elcr;
    }

    void setElcr(int value) {
        elcr = value & elcrWritable;
    }

    int irr() {
        return irr;
    }

    int isr() {
        return isr;
    }

    int imr() {
        return imr;
    }

    State save() {
        return new State(irr, isr, imr, elcr, lineLevels, vectorBase, lowestPriority, initStep, icw4Needed, single,
                autoEoi, rotateOnAutoEoi, readIsr, poll, specialMask, levelTriggeredAll, specialFullyNested);
    }

    void restore(State s) {
        if (s.initStep() < 0 || s.initStep() > 3) {
            throw new IllegalArgumentException("8259 restore: initialization step " + s.initStep() + " outside 0..3");
        }
        irr = s.irr() & 0xFF;
        isr = s.isr() & 0xFF;
        imr = s.imr() & 0xFF;
        elcr = s.elcr() & elcrWritable;
        lineLevels = s.lineLevels() & 0xFF;
        vectorBase = s.vectorBase() & 0xF8;
        lowestPriority = s.lowestPriority() & 7;
        initStep = s.initStep();
        icw4Needed = s.icw4Needed();
        single = s.single();
        autoEoi = s.autoEoi();
        rotateOnAutoEoi = s.rotateOnAutoEoi();
        readIsr = s.readIsr();
        poll = s.poll();
        specialMask = s.specialMask();
        levelTriggeredAll = s.levelTriggeredAll();
        specialFullyNested = s.specialFullyNested();
    }
}
