package dev.partita.hv;

import dev.partita.hv.cpuid.CpuidEntry;
import dev.partita.hv.cpuid.CpuidProfile;
import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.memory.RamRegion;
import dev.partita.hv.spi.BackendAvailability;
import dev.partita.hv.spi.BackendPartition;
import dev.partita.hv.spi.BackendPartitionConfig;
import dev.partita.hv.spi.BackendVcpu;
import dev.partita.hv.spi.PartitionBackend;
import dev.partita.hv.vp.VpState;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A test backend whose vCPUs return a scripted list of exits and then "spin" (block until kicked),
 * recording what the runtime completes. Lets the runtime's dispatch and lifecycle be tested
 * without /dev/kvm.
 */
final class ScriptedBackend implements PartitionBackend {
    private final String name;
    private final boolean usable;
    private final IntFunction<List<Supplier<VcpuExit>>> script;
    final List<ScriptedVcpu> vcpus = new CopyOnWriteArrayList<>();

    ScriptedBackend(String name, boolean usable, IntFunction<List<Supplier<VcpuExit>>> script) {
        this.name = name;
        this.usable = usable;
        this.script = script;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public BackendAvailability availability() {
        return usable ? BackendAvailability.usable("scripted") : BackendAvailability.unusable("switched off for the test");
    }

    @Override
    public BackendPartition createPartition(BackendPartitionConfig config) {
        return new BackendPartition() {
            @Override
            public CpuidProfile cpuidProfile() {
                return CpuidProfile.baseline();
            }

            @Override
            public BackendVcpu createVcpu(int index) {
                ScriptedVcpu v = new ScriptedVcpu(index, script.apply(index));
                vcpus.add(v);
                return v;
            }

            @Override
            public void setGsiLevel(int gsi, boolean level) {
            }

            @Override
            public void signalMsi(long address, int data) {
            }

            @Override
            public void setDirtyLogging(boolean on) {
            }

            @Override
            public void harvestDirtyPages(RamRegion region, long[] bitmap) {
            }

            @Override
            public void close() {
            }
        };
    }

    static final class ScriptedVcpu implements BackendVcpu {
        private final int index;
        private final List<Supplier<VcpuExit>> steps;
        private int pc;
        private final Semaphore kicks = new Semaphore(0);
        final List<String> completions = new CopyOnWriteArrayList<>();
        volatile VpState state = VpState.builder().build();
        volatile boolean closed;
        volatile int cpuidEntries;

        ScriptedVcpu(int index, List<Supplier<VcpuExit>> steps) {
            this.index = index;
            this.steps = new ArrayList<>(steps);
        }

        @Override
        public int index() {
            return index;
        }

        @Override
        public VcpuExit run() {
            if (kicks.tryAcquire()) {
                kicks.drainPermits();
                return VcpuExit.Interrupted.INSTANCE;
            }
            if (pc < steps.size()) {
                return steps.get(pc++).get();
            }
            kicks.acquireUninterruptibly();
            kicks.drainPermits();
            return VcpuExit.Interrupted.INSTANCE;
        }

        @Override
        public void completeRead(long value) {
            completions.add("read=" + Long.toHexString(value));
        }

        @Override
        public void failMsrAccess() {
            completions.add("#GP");
        }

        @Override
        public void installCpuid(List<CpuidEntry> entries) {
            cpuidEntries = entries.size();
        }

        @Override
        public VpState getState() {
            return state;
        }

        @Override
        public void setState(VpState s) {
            state = s;
        }

        @Override
        public void kick() {
            kicks.release();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
