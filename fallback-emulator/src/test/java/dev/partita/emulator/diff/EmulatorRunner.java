package dev.partita.emulator.diff;

import dev.partita.emulator.backend.CpuHarness;
import dev.partita.emulator.cpu.CpuState;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs differential cases in the emulator through {@link CpuHarness} (64-bit mode, CPL 3,
 * identity paging, Linux selectors, exceptions reported instead of delivered). The page tables are
 * narrowed to the native layout: the code page user read+execute, the data region user read+write
 * no-execute, every other page of the test area not present. The code page holds the same bytes as
 * the oracle's (code, {@code jmp [rip+0]} to the host's exit stub, INT3 fill), so a case ends with the
 * emulator fetching from the host exit-stub address, which is unmapped here: that instruction-fetch
 * #PF is the "reached the trampoline" signal. Faults are reported at the instruction and traps
 * (INT3, INT1) after it, as the harness reports them. Not thread-safe; one per test thread.
 */
public final class EmulatorRunner implements CaseRunner, AutoCloseable {

    /** Instructions per case before it counts as a timeout (REP over the whole region fits easily). */
    private static final long BUDGET = 200_000;
    private static final long RAM = 4L << 20;

    private final CpuHarness harness;
    private final long exitStub;
    private final MemorySegment ram;

    /** A runner whose code pages jump to {@code exitStub} (the oracle's, see {@link NativeOracle#exitStub()}). */
    public EmulatorRunner(long exitStub) {
        if (exitStub >= 0 && exitStub < RAM) {
            throw new IllegalArgumentException("exit stub address lies inside emulated RAM: " + Long.toHexString(exitStub));
        }
        this.exitStub = exitStub;
        this.harness = CpuHarness.long64User(RAM);
        this.ram = harness.ram();
        long testArea = RAM - harness.reservedBytes();
        for (long page = 0; page < testArea; page += 4096) {
            boolean code = page == DiffLayout.CODE_BASE;
            boolean data = page >= DiffLayout.DATA_BASE && page < DiffLayout.DATA_BASE + DiffLayout.DATA_SIZE;
            harness.setPage(page, code || data, data, code || data, code);
        }
    }

    @Override
    public String name() {
        return "emulator";
    }

    @Override
    public List<Outcome> run(List<DiffCase> batch) {
        List<Outcome> out = new ArrayList<>(batch.size());
        for (DiffCase c : batch) {
            out.add(runOne(c));
        }
        return out;
    }

    /** Runs one case from its initial state. */
    public Outcome runOne(DiffCase c) {
        CpuState cpu = harness.cpu();
        harness.load(DiffLayout.CODE_BASE, CodePage.image(c.code(), exitStub));
        long[] init = DataImage.words(c.dataSeed());
        for (int i = 0; i < init.length; i++) {
            ram.set(ValueLayout.JAVA_LONG_UNALIGNED, DiffLayout.DATA_BASE + 8L * i, init[i]);
        }
        System.arraycopy(c.gpr(), 0, cpu.gpr, 0, 16);
        System.arraycopy(c.xmm(), 0, cpu.xmm, 0, 32);
        cpu.mxcsr = c.mxcsr();
        cpu.fcw = 0x037F;
        cpu.fsw = 0;
        cpu.ftwAbridged = 0;
        cpu.setRflags((c.rflags() & DiffLayout.INPUT_FLAGS) | 0x202);
        cpu.rip = DiffLayout.CODE_BASE;
        cpu.cr2 = 0;
        CpuHarness.Result r = harness.run(BUDGET);

        Outcome.Kind kind;
        int vector = 0;
        long err = 0;
        long cr2 = 0;
        long rip = cpu.rip;
        if (r.faulted() && r.vector() == 14 && r.faultAddress() == exitStub && cpu.rip == exitStub) {
            kind = Outcome.Kind.DONE;
            rip = c.endAddress();
        } else if (r.faulted()) {
            kind = Outcome.Kind.FAULT;
            vector = r.vector();
            err = Outcome.hasErrorCode(vector) ? r.errorCode() & 0xFFFF_FFFFL : 0;
            cr2 = vector == 14 ? r.faultAddress() : 0;
        } else {
            kind = Outcome.Kind.TIMEOUT;
        }
        long[] diff = memoryDiff(init);
        return new Outcome(kind, vector, err, cr2, rip, cpu.rflags(), cpu.gpr.clone(), cpu.xmm.clone(), cpu.mxcsr, diff);
    }

    private long[] memoryDiff(long[] init) {
        long[] tmp = new long[2 * init.length];
        int n = 0;
        for (int i = 0; i < init.length; i++) {
            long v = ram.get(ValueLayout.JAVA_LONG_UNALIGNED, DiffLayout.DATA_BASE + 8L * i);
            if (v != init[i]) {
                tmp[n++] = 8L * i;
                tmp[n++] = v;
            }
        }
        return Arrays.copyOf(tmp, n);
    }

    @Override
    public void close() {
        harness.close();
    }
}
