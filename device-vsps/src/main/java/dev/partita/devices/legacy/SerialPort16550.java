package dev.partita.devices.legacy;

import dev.partita.hv.bus.PortIoDevice;
import dev.partita.hv.devices.debug.ConsoleSink;
import dev.partita.hv.state.Saveable;
import dev.partita.hv.state.SectionReader;
import dev.partita.hv.state.SectionWriter;
import dev.partita.hv.state.StateFileException;
import java.util.ArrayDeque;

/**
 * A 16550A UART (8 registers at COM1 0x3F8): RBR/THR, IER, IIR/FCR, LCR, MCR, LSR, MSR, SCR and the
 * divisor latch (LCR.DLAB), 16-byte receive FIFO with trigger levels, loopback, and the interrupts the
 * Linux 8250 driver uses: received data (trigger level or, below it, character timeout), transmitter
 * holding register empty, receiver line status (overrun). Transmitted bytes go to a {@link ConsoleSink}
 * at once (the transmitter is never busy); bytes typed on the host wait in an input queue until the
 * receive FIFO has room, so none are lost.
 *
 * <p>Partial: modem-status interrupts are not generated (the modem lines never change outside loopback);
 * the character-timeout indication is given as soon as data sits below the trigger level, without
 * waiting four character times; the baud rate has no effect.
 *
 * <p>Threads: guest accesses come from vCPU threads, {@link #receive} from any host thread; all state
 * is guarded by this object's monitor, which is held while the IRQ line is driven.
 */
public final class SerialPort16550 implements PortIoDevice, Saveable {
    public static final int COM1_BASE = 0x3F8;
    public static final int COM1_IRQ = 4;
    public static final int REGISTER_COUNT = 8;
    /** Host input waiting beyond this many bytes is dropped (the guest is not reading). */
    public static final int MAX_HOST_QUEUE = 1 << 16;

    // Register offsets.
    static final int RBR_THR_DLL = 0, IER_DLM = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;
    // IER bits.
    static final int IER_RDA = 1, IER_THRE = 2, IER_RLS = 4, IER_MS = 8;
    // IIR values (bit 0 clear = interrupt pending).
    static final int IIR_NONE = 0x01, IIR_RLS = 0x06, IIR_RDA = 0x04, IIR_TIMEOUT = 0x0C, IIR_THRE = 0x02, IIR_FIFO_ON = 0xC0;
    // FCR bits.
    static final int FCR_ENABLE = 1, FCR_CLEAR_RX = 2, FCR_CLEAR_TX = 4;
    // LCR / MCR / LSR / MSR bits.
    static final int LCR_DLAB = 0x80;
    static final int MCR_DTR = 1, MCR_RTS = 2, MCR_OUT1 = 4, MCR_OUT2 = 8, MCR_LOOP = 0x10;
    static final int LSR_DR = 1, LSR_OE = 2, LSR_THRE = 0x20, LSR_TEMT = 0x40;
    static final int MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80;
    static final int FIFO_SIZE = 16;
    private static final int[] TRIGGER_LEVELS = {1, 4, 8, 14};

    private final ConsoleSink output;
    private final IrqLine irq;
    private final ArrayDeque<Integer> rxFifo = new ArrayDeque<>();
    private final ArrayDeque<Integer> hostInput = new ArrayDeque<>();
    private int ier, lcr, mcr, scr, fcr;
    private int divisor = 12; // 9600 baud
    private boolean overrun;
    private boolean threPending;
    private boolean irqLevel;
    private long droppedInput;

    /** Host bytes dropped because the input queue was full. */
    public synchronized long droppedInput() {
        return droppedInput;
    }

    /**
     * @param output where transmitted bytes go (called on the vCPU thread, outside this device's monitor)
     * @param irq    the interrupt line (COM1: ISA IRQ 4)
     */
    public SerialPort16550(ConsoleSink output, IrqLine irq) {
        this.output = output;
        this.irq = irq;
    }

    @Override
    public int read(int offset, int size) {
        synchronized (this) {
            int value = readRegister(offset);
            updateIrq();
            return value;
        }
    }

    @Override
    public void write(int offset, int size, int value) {
        int transmit;
        synchronized (this) {
            transmit = writeRegister(offset, value & 0xFF);
            updateIrq();
        }
        if (transmit >= 0) {
            output.write(transmit);
        }
    }

    /** Queues bytes typed on the host for the guest; returns how many were accepted (the rest is dropped). Any thread. */
    public int receive(byte[] data, int off, int len) {
        int accepted = 0;
        synchronized (this) {
            for (int i = 0; i < len; i++) {
                if (hostInput.size() >= MAX_HOST_QUEUE) {
                    droppedInput += len - i;
                    break;
                }
                hostInput.add(data[off + i] & 0xFF);
                accepted++;
            }
            refillFromHost();
            updateIrq();
        }
        return accepted;
    }

    /** Bytes of host input not yet in the receive FIFO. */
    public synchronized int pendingHostInput() {
        return hostInput.size();
    }

    private int readRegister(int offset) {
        switch (offset) {
            case RBR_THR_DLL:
                if ((lcr & LCR_DLAB) != 0) {
                    return divisor & 0xFF;
                }
                Integer b = rxFifo.poll();
                refillFromHost();
                return b == null ? 0 : b;
            case IER_DLM:
                return (lcr & LCR_DLAB) != 0 ? (divisor >>> 8) & 0xFF : ier;
            case IIR_FCR: {
                int iir = currentIir();
                if (iir == IIR_THRE) {
                    threPending = false; // reading IIR with THRE as the source clears it
                }
                return iir | ((fcr & FCR_ENABLE) != 0 ? IIR_FIFO_ON : 0);
            }
            case LCR:
                return lcr;
            case MCR:
                return mcr;
            case LSR: {
                int lsr = LSR_THRE | LSR_TEMT | (rxFifo.isEmpty() ? 0 : LSR_DR) | (overrun ? LSR_OE : 0);
                overrun = false;
                return lsr;
            }
            case MSR:
                if ((mcr & MCR_LOOP) != 0) {
                    return ((mcr & MCR_RTS) != 0 ? MSR_CTS : 0) | ((mcr & MCR_DTR) != 0 ? MSR_DSR : 0)
                            | ((mcr & MCR_OUT1) != 0 ? MSR_RI : 0) | ((mcr & MCR_OUT2) != 0 ? MSR_DCD : 0);
                }
                return MSR_CTS | MSR_DSR | MSR_DCD;
            case SCR:
                return scr;
            default:
                return 0xFF;
        }
    }

    /** Returns the byte to transmit, or -1. */
    private int writeRegister(int offset, int v) {
        switch (offset) {
            case RBR_THR_DLL:
                if ((lcr & LCR_DLAB) != 0) {
                    divisor = (divisor & 0xFF00) | v;
                    return -1;
                }
                threPending = true; // the byte leaves at once: the holding register is empty again
                if ((mcr & MCR_LOOP) != 0) {
                    pushRx(v);
                    return -1;
                }
                return v;
            case IER_DLM:
                if ((lcr & LCR_DLAB) != 0) {
                    divisor = (divisor & 0xFF) | v << 8;
                } else {
                    if ((v & IER_THRE) != 0 && (ier & IER_THRE) == 0) {
                        threPending = true; // enabling the THRE interrupt with an empty THR raises it
                    }
                    ier = v & 0x0F;
                }
                return -1;
            case IIR_FCR:
                if ((v & FCR_CLEAR_RX) != 0) {
                    rxFifo.clear();
                    refillFromHost();
                }
                fcr = v & 0xC9;
                return -1;
            case LCR:
                lcr = v;
                return -1;
            case MCR:
                mcr = v & 0x1F;
                return -1;
            case SCR:
                scr = v;
                return -1;
            default:
                return -1; // LSR and MSR are read-only
        }
    }

    private int capacity() {
        return (fcr & FCR_ENABLE) != 0 ? FIFO_SIZE : 1;
    }

    private void pushRx(int b) {
        if (rxFifo.size() >= capacity()) {
            overrun = true;
            return;
        }
        rxFifo.add(b);
    }

    private void refillFromHost() {
        if ((mcr & MCR_LOOP) != 0) {
            return; // in loopback the receiver is disconnected from the line
        }
        while (!hostInput.isEmpty() && rxFifo.size() < capacity()) {
            rxFifo.add(hostInput.poll());
        }
    }

    private int currentIir() {
        if ((ier & IER_RLS) != 0 && overrun) {
            return IIR_RLS;
        }
        if ((ier & IER_RDA) != 0 && !rxFifo.isEmpty()) {
            boolean fifo = (fcr & FCR_ENABLE) != 0;
            int trigger = fifo ? TRIGGER_LEVELS[(fcr >>> 6) & 3] : 1;
            return rxFifo.size() >= trigger ? IIR_RDA : IIR_TIMEOUT;
        }
        if ((ier & IER_THRE) != 0 && threPending) {
            return IIR_THRE;
        }
        return IIR_NONE;
    }

    /**
     * Drives the IRQ line when the pending state changed. Called with the monitor held so that level
     * changes reach the line in order (the line never calls back into this device).
     */
    private void updateIrq() {
        boolean level = currentIir() != IIR_NONE;
        if (level != irqLevel) {
            irqLevel = level;
            irq.set(level);
        }
    }

    // ------------------------------------------------------------------ saved state

    @Override
    public String stateName() {
        return "com1";
    }

    /** Version 1: IER, LCR, MCR, SCR, FCR, divisor, overrun, THRE pending, IRQ level, receive FIFO, host input queue. */
    @Override
    public int stateVersion() {
        return 1;
    }

    @Override
    public synchronized byte[] saveState() {
        SectionWriter w = new SectionWriter().u8(ier).u8(lcr).u8(mcr).u8(scr).u8(fcr).u16(divisor)
                .bool(overrun).bool(threPending).bool(irqLevel);
        w.bytes(toBytes(rxFifo)).bytes(toBytes(hostInput));
        return w.toByteArray();
    }

    /** Restores the registers and queues; the IRQ level is taken as saved (the interrupt controllers hold the line's state). */
    @Override
    public synchronized void restoreState(byte[] state, int version) throws StateFileException {
        SectionReader r = new SectionReader(stateName(), state);
        if (version != 1) {
            throw r.fail("layout version " + version + " (this build reads 1)");
        }
        int newIer = r.u8(), newLcr = r.u8(), newMcr = r.u8(), newScr = r.u8(), newFcr = r.u8(), newDivisor = r.u16();
        boolean newOverrun = r.bool(), newThre = r.bool(), newIrq = r.bool();
        byte[] rx = r.bytes(FIFO_SIZE);
        byte[] host = r.bytes(MAX_HOST_QUEUE);
        r.end();
        ier = newIer & 0x0F;
        lcr = newLcr;
        mcr = newMcr & 0x1F;
        scr = newScr;
        fcr = newFcr & 0xC9;
        divisor = newDivisor;
        overrun = newOverrun;
        threPending = newThre;
        irqLevel = newIrq;
        rxFifo.clear();
        for (byte b : rx) {
            rxFifo.add(b & 0xFF);
        }
        hostInput.clear();
        for (byte b : host) {
            hostInput.add(b & 0xFF);
        }
    }

    private static byte[] toBytes(ArrayDeque<Integer> queue) {
        byte[] out = new byte[queue.size()];
        int i = 0;
        for (int b : queue) {
            out[i++] = (byte) b;
        }
        return out;
    }
}
