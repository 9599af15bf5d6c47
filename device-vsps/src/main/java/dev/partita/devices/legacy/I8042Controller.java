package dev.partita.devices.legacy;

import dev.partita.hv.bus.PortIoDevice;
import dev.partita.hv.state.Saveable;
import dev.partita.hv.state.SectionReader;
import dev.partita.hv.state.SectionWriter;
import dev.partita.hv.state.StateFileException;
import java.util.ArrayDeque;

/**
 * The i8042 keyboard controller, as much as Linux uses: status (0x64 read), commands (0x64 write),
 * data (0x60), the controller configuration byte, self-test (0xAA → 0x55), interface test (0xAB → 0),
 * keyboard enable/disable, the output port (0xD0/0xD1), echoing bytes into the output buffer
 * (0xD2), and a keyboard that answers reset (0xFA 0xAA), identify (0xFA 0xAB 0x83), LEDs, typematic,
 * scan-code set and scanning on/off. Pulsing the reset line (command 0xFE, or 0xD1 with bit 0 clear)
 * calls the reset action. Output-buffer bytes from the keyboard raise IRQ 1 when the configuration
 * byte enables it.
 *
 * <p>Partial: there is no auxiliary (mouse) device: aux commands are accepted and answered as "no
 * device" (the DSDT lists no PS/2 mouse, so Linux does not probe one); no host key presses are injected.
 *
 * <p>Threads: vCPU threads; state guarded by this object's monitor (held while driving the IRQ line).
 * The reset action runs outside it.
 */
public final class I8042Controller implements Saveable {
    public static final int DATA_PORT = 0x60;
    public static final int COMMAND_PORT = 0x64;
    public static final int KEYBOARD_IRQ = 1;

    // Status bits.
    static final int STATUS_OBF = 0x01, STATUS_SYS = 0x04, STATUS_CMD = 0x08, STATUS_UNLOCKED = 0x10;
    // Configuration byte ("command byte") bits.
    static final int CTR_KBD_INT = 0x01, CTR_SYS = 0x04, CTR_KBD_DISABLE = 0x10, CTR_AUX_DISABLE = 0x20, CTR_XLATE = 0x40;
    // Controller commands.
    static final int CMD_READ_CTR = 0x20, CMD_WRITE_CTR = 0x60, CMD_AUX_DISABLE = 0xA7, CMD_AUX_ENABLE = 0xA8,
            CMD_AUX_TEST = 0xA9, CMD_SELF_TEST = 0xAA, CMD_KBD_TEST = 0xAB, CMD_KBD_DISABLE = 0xAD, CMD_KBD_ENABLE = 0xAE,
            CMD_READ_OUTPUT_PORT = 0xD0, CMD_WRITE_OUTPUT_PORT = 0xD1, CMD_WRITE_KBD_OUTBUF = 0xD2,
            CMD_WRITE_AUX_OUTBUF = 0xD3, CMD_WRITE_AUX = 0xD4, CMD_PULSE_RESET = 0xFE;
    // Keyboard commands and replies.
    static final int KBD_SET_LEDS = 0xED, KBD_ECHO = 0xEE, KBD_SCANCODE_SET = 0xF0, KBD_GET_ID = 0xF2, KBD_TYPEMATIC = 0xF3,
            KBD_ENABLE = 0xF4, KBD_RESET_DISABLE = 0xF5, KBD_RESET = 0xFF;
    static final int ACK = 0xFA, SELF_TEST_PASSED = 0xAA, CONTROLLER_OK = 0x55;
    /** AUX test answer "clock line stuck low": no auxiliary device. */
    static final int AUX_ABSENT = 0x01;

    private final IrqLine irq;
    private final Runnable resetAction;
    private final ArrayDeque<Integer> output = new ArrayDeque<>();
    private int ctr = CTR_KBD_INT | CTR_SYS | CTR_XLATE;
    private int pendingCommand = -1;      // controller command waiting for its data byte
    private int pendingKeyboardCommand = -1; // keyboard command waiting for its parameter
    private boolean lastWriteWasCommand;
    private int scancodeSet = 2;
    private boolean irqLevel;

    /**
     * @param irq         the keyboard interrupt (ISA IRQ 1)
     * @param resetAction what pulsing the CPU reset line does (ends or resets the partition)
     */
    public I8042Controller(IrqLine irq, Runnable resetAction) {
        this.irq = irq;
        this.resetAction = resetAction;
    }

    /** The data port (0x60) as a bus device. */
    public PortIoDevice dataPort() {
        return new PortIoDevice() {
            @Override
            public int read(int offset, int size) {
                return readData();
            }

            @Override
            public void write(int offset, int size, int value) {
                writeData(value & 0xFF);
            }
        };
    }

    /** The status/command port (0x64) as a bus device. */
    public PortIoDevice commandPort() {
        return new PortIoDevice() {
            @Override
            public int read(int offset, int size) {
                return readStatus();
            }

            @Override
            public void write(int offset, int size, int value) {
                writeCommand(value & 0xFF);
            }
        };
    }

    synchronized int readStatus() {
        return (output.isEmpty() ? 0 : STATUS_OBF) | ((ctr & CTR_SYS) != 0 ? STATUS_SYS : 0)
                | (lastWriteWasCommand ? STATUS_CMD : 0) | STATUS_UNLOCKED;
    }

    synchronized int readData() {
        Integer b = output.poll();
        setIrq(false);
        updateIrq(); // the next byte, if any, is a new edge
        return b == null ? 0 : b;
    }

    void writeCommand(int cmd) {
        boolean reset = false;
        synchronized (this) {
            lastWriteWasCommand = true;
            pendingCommand = -1;
            switch (cmd) {
                case CMD_READ_CTR -> put(ctr);
                case CMD_WRITE_CTR, CMD_WRITE_OUTPUT_PORT, CMD_WRITE_KBD_OUTBUF, CMD_WRITE_AUX_OUTBUF, CMD_WRITE_AUX ->
                        pendingCommand = cmd;
                case CMD_AUX_DISABLE -> ctr |= CTR_AUX_DISABLE;
                case CMD_AUX_ENABLE -> ctr &= ~CTR_AUX_DISABLE;
                case CMD_AUX_TEST -> put(AUX_ABSENT);
                case CMD_SELF_TEST -> {
                    ctr |= CTR_SYS;
                    put(CONTROLLER_OK);
                }
                case CMD_KBD_TEST -> put(0x00);
                case CMD_KBD_DISABLE -> ctr |= CTR_KBD_DISABLE;
                case CMD_KBD_ENABLE -> ctr &= ~CTR_KBD_DISABLE;
                case CMD_READ_OUTPUT_PORT -> put(0x03); // reset line inactive (1), A20 enabled
                default -> {
                    if ((cmd & 0xF0) == 0xF0 && (cmd & 1) == 0) {
                        reset = true; // 0xF0-0xFE pulse output lines; bit 0 clear pulses CPU reset (0xFE)
                    }
                }
            }
            updateIrq();
        }
        if (reset) {
            resetAction.run();
        }
    }

    void writeData(int v) {
        boolean reset = false;
        synchronized (this) {
            lastWriteWasCommand = false;
            int cmd = pendingCommand;
            pendingCommand = -1;
            switch (cmd) {
                case CMD_WRITE_CTR -> ctr = v;
                case CMD_WRITE_OUTPUT_PORT -> reset = (v & 1) == 0;
                case CMD_WRITE_KBD_OUTBUF -> put(v);
                case CMD_WRITE_AUX_OUTBUF, CMD_WRITE_AUX -> { } // no auxiliary device: nothing answers
                default -> keyboard(v);
            }
            updateIrq();
        }
        if (reset) {
            resetAction.run();
        }
    }

    /** A byte sent to the keyboard itself. */
    private void keyboard(int v) {
        int param = pendingKeyboardCommand;
        pendingKeyboardCommand = -1;
        if (param == KBD_SET_LEDS || param == KBD_TYPEMATIC) {
            put(ACK);
            return;
        }
        if (param == KBD_SCANCODE_SET) {
            put(ACK);
            if (v == 0) {
                put(scancodeSet);
            } else if (v <= 3) {
                scancodeSet = v;
            }
            return;
        }
        switch (v) {
            case KBD_RESET -> {
                put(ACK);
                put(SELF_TEST_PASSED);
            }
            case KBD_GET_ID -> {
                put(ACK);
                put(0xAB);
                put(0x83);
            }
            case KBD_ECHO -> put(KBD_ECHO);
            case KBD_SET_LEDS, KBD_TYPEMATIC, KBD_SCANCODE_SET -> {
                pendingKeyboardCommand = v;
                put(ACK);
            }
            default -> put(ACK); // enable/disable scanning, defaults, and everything else
        }
    }

    private void put(int b) {
        if (output.size() < 16) {
            output.add(b & 0xFF);
        }
    }

    private void updateIrq() {
        setIrq(!output.isEmpty() && (ctr & CTR_KBD_INT) != 0);
    }

    private void setIrq(boolean level) {
        if (level != irqLevel) {
            irqLevel = level;
            irq.set(level);
        }
    }

    // ------------------------------------------------------------------ saved state

    /** The most bytes the output buffer queue may hold in a saved state. */
    private static final int MAX_SAVED_OUTPUT = 256;

    @Override
    public String stateName() {
        return "i8042";
    }

    /** Version 1: configuration byte, pending controller and keyboard commands, last-write flag, scancode set, IRQ level, output queue. */
    @Override
    public int stateVersion() {
        return 1;
    }

    @Override
    public synchronized byte[] saveState() {
        byte[] out = new byte[output.size()];
        int i = 0;
        for (int b : output) {
            out[i++] = (byte) b;
        }
        return new SectionWriter().u8(ctr).u32(pendingCommand).u32(pendingKeyboardCommand).bool(lastWriteWasCommand)
                .u8(scancodeSet).bool(irqLevel).bytes(out).toByteArray();
    }

    @Override
    public synchronized void restoreState(byte[] state, int version) throws StateFileException {
        SectionReader r = new SectionReader(stateName(), state);
        if (version != 1) {
            throw r.fail("layout version " + version + " (this build reads 1)");
        }
        int newCtr = r.u8(), newPending = r.u32(), newKbdPending = r.u32();
        boolean newLast = r.bool();
        int newSet = r.u8();
        boolean newIrq = r.bool();
        byte[] out = r.bytes(MAX_SAVED_OUTPUT);
        r.end();
        if (newPending < -1 || newPending > 0xFF || newKbdPending < -1 || newKbdPending > 0xFF || newSet < 1 || newSet > 3) {
            throw r.fail("pending command or scancode set out of range");
        }
        ctr = newCtr;
        pendingCommand = newPending;
        pendingKeyboardCommand = newKbdPending;
        lastWriteWasCommand = newLast;
        scancodeSet = newSet;
        irqLevel = newIrq;
        output.clear();
        for (byte b : out) {
            output.add(b & 0xFF);
        }
    }
}
