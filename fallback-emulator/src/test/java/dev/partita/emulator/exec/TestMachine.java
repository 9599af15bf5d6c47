package dev.partita.emulator.exec;

import dev.partita.emulator.cpu.ControlBits.Cr0;
import dev.partita.emulator.cpu.ControlBits.Cr4;
import dev.partita.emulator.cpu.ControlBits.Efer;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.cpu.Segment;
import dev.partita.emulator.decoder.Decoder;
import dev.partita.emulator.mmu.Mmu;
import dev.partita.emulator.mmu.PhysicalMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Assumptions;

/**
 * A CPU with 1 MiB of flat RAM at physical 0 and paging off, in 16-bit real mode, 32-bit protected
 * mode or 64-bit mode (flat segments), for interpreter tests. Code is placed at {@link #CODE}; the
 * stack grows down from {@link #STACK}; {@link #DATA} is free scratch memory.
 */
final class TestMachine implements AutoCloseable {
    static final long CODE = 0x1000;
    static final long DATA = 0x8000;
    static final long STACK = 0xF000;

    final Arena arena = Arena.ofConfined();
    final MemorySegment ram = arena.allocate(1 << 20, 4096);
    final CpuState cpu = new CpuState();
    final PhysicalMemory memory = new PhysicalMemory();
    final Mmu mmu;
    final Interpreter interp;
    final int bits;
    long codeEnd;

    private TestMachine(int bits, SystemInterface sys) {
        this.bits = bits;
        memory.addRam(0, ram, false);
        mmu = new Mmu(cpu, memory);
        if (bits != 16) {
            cpu.cr0 |= Cr0.PE;
            int data = Segment.flatAttributes(false, 0, true, false);
            for (int s = 0; s < 6; s++) {
                cpu.seg[s].load(0x10, 0, 0xFFFF_FFFFL, data);
            }
            cpu.seg[SegReg.CS].load(0x08, 0, 0xFFFF_FFFFL, Segment.flatAttributes(true, 0, bits == 32, bits == 64));
            if (bits == 64) {
                cpu.efer |= Efer.LME | Efer.LMA;
            }
        } else {
            for (int s = 0; s < 6; s++) {
                cpu.seg[s].loadReal(0);
            }
        }
        cpu.cr4 |= Cr4.OSFXSR | Cr4.OSXMMEXCPT;
        cpu.updateMode();
        interp = new Interpreter(cpu, mmu, sys);
        cpu.gpr[4] = STACK;
        cpu.rip = CODE;
    }

    static TestMachine of(int bits) {
        return new TestMachine(bits, SystemInterface.UNIMPLEMENTED);
    }

    static TestMachine of(int bits, SystemInterface sys) {
        return new TestMachine(bits, sys);
    }

    static void assumeAssembler() {
        if (!Asm.available()) {
            System.out.println("SKIP interpreter test: GNU as/objcopy not installed");
        }
        Assumptions.assumeTrue(Asm.available(), "GNU as/objcopy not installed");
    }

    /** Loads assembled code at CODE and resets RIP. */
    TestMachine code(String asm) {
        byte[] b = Asm.assemble(bits, asm);
        MemorySegment.copy(b, 0, ram, ValueLayout.JAVA_BYTE, CODE, b.length);
        codeEnd = CODE + b.length;
        cpu.rip = CODE;
        return this;
    }

    /** Runs until RIP reaches the end of the loaded code (or {@code max} instructions). */
    TestMachine run() {
        int n = 0;
        while (cpu.rip != codeEnd) {
            interp.step();
            if (++n > 1_000_000) {
                throw new AssertionError("did not reach end of code; rip=" + Long.toHexString(cpu.rip));
            }
        }
        return this;
    }

    /**
     * Loads {@code asm} followed by UD2 and runs it with {@link Interpreter#run} (the same-page fast
     * path) until the UD2 raises #UD.
     */
    TestMachine runSlices(String asm) {
        code(asm + "; ud2");
        long stop = codeEnd - 2;
        for (int i = 0; i < 1_000_000; i++) {
            try {
                interp.run(1000);
            } catch (dev.partita.emulator.cpu.CpuException e) {
                if (cpu.rip == stop && e.vector() == dev.partita.emulator.cpu.Vectors.UD) {
                    return this;
                }
                throw e;
            }
        }
        throw new AssertionError("did not reach the end; rip=" + Long.toHexString(cpu.rip));
    }

    long reg(int r) {
        return cpu.gpr[r];
    }

    TestMachine set(int r, long v) {
        cpu.gpr[r] = v;
        return this;
    }

    long u64(long addr) {
        return ram.get(ValueLayout.JAVA_LONG_UNALIGNED, addr);
    }

    int u32(long addr) {
        return ram.get(ValueLayout.JAVA_INT_UNALIGNED, addr);
    }

    int u8(long addr) {
        return ram.get(ValueLayout.JAVA_BYTE, addr) & 0xFF;
    }

    void put64(long addr, long v) {
        ram.set(ValueLayout.JAVA_LONG_UNALIGNED, addr, v);
    }

    void put8(long addr, int v) {
        ram.set(ValueLayout.JAVA_BYTE, addr, (byte) v);
    }

    double f64(long addr) {
        return Double.longBitsToDouble(u64(addr));
    }

    void putF64(long addr, double v) {
        put64(addr, Double.doubleToRawLongBits(v));
    }

    void put32(long addr, int v) {
        ram.set(ValueLayout.JAVA_INT_UNALIGNED, addr, v);
    }

    int u16(long addr) {
        return ram.get(ValueLayout.JAVA_SHORT_UNALIGNED, addr) & 0xFFFF;
    }

    int flags() {
        return cpu.flags.get();
    }

    int mode() {
        return bits == 64 ? Decoder.MODE64 : bits == 32 ? Decoder.MODE32 : Decoder.MODE16;
    }

    @Override
    public void close() {
        arena.close();
    }
}
