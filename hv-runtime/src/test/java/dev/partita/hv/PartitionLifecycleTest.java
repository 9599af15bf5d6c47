package dev.partita.hv;

import dev.partita.hv.devices.debug.CapturingConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.devices.debug.MmioTestDevice;
import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.msr.MsrFault;
import dev.partita.hv.msr.MsrHandler;
import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.VpState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/** Partition lifecycle and exit dispatch, on a scripted backend (no /dev/kvm needed). */
class PartitionLifecycleTest {

    private static Supplier<VcpuExit> exit(VcpuExit e) {
        return () -> e;
    }

    private static Hypervisor hypervisorWith(ScriptedBackend... backends) {
        Map<String, dev.partita.hv.spi.PartitionBackend> map = new java.util.LinkedHashMap<>();
        for (ScriptedBackend b : backends) {
            map.put(b.name(), b);
        }
        return new Hypervisor(map);
    }

    @Test
    void exitsAreDispatchedToBusesAndMsrChainAndDebugExitEndsThePartition() {
        ScriptedBackend backend = new ScriptedBackend("emulator", true, vp -> List.of(
                exit(new VcpuExit.PortIo(0xE9, 1, true, 'h')),
                exit(new VcpuExit.PortIo(0xE9, 1, true, 'i')),
                exit(new VcpuExit.PortIo(0x80, 1, false, 0)),
                exit(new VcpuExit.Mmio(MmioTestDevice.BASE, 4, false, 0)),
                exit(new VcpuExit.Mmio(MmioTestDevice.BASE + 0x10, 4, true, 0x0F0F0F0F)),
                exit(new VcpuExit.Mmio(MmioTestDevice.BASE + 0x14, 4, false, 0)),
                exit(new VcpuExit.MsrRead(0x40000000)),
                exit(new VcpuExit.MsrRead(0x12345)),
                exit(new VcpuExit.MsrWrite(0x40000001, 5)),
                exit(new VcpuExit.Hypercall(1, 0, 0)),
                exit(new VcpuExit.PortIo(0xF4, 4, true, 0x103))));
        Hypervisor hv = hypervisorWith(backend);
        CapturingConsoleSink console = new CapturingConsoleSink();
        try (Partition p = hv.createPartition(PartitionConfig.defaults("dispatch").withMemory(1 << 20))) {
            DebugDevices.attach(p, console);
            p.msrHandlers().add(new MsrHandler() {
                public boolean claims(int index) {
                    return index == 0x40000000 || index == 0x40000001;
                }

                public long read(int vpIndex, int index) {
                    return 0xABCD;
                }

                public void write(int vpIndex, int index, long value) throws MsrFault {
                    throw new MsrFault("read-only");
                }
            });
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofSeconds(30));
            assertEquals(new PartitionResult.Exited(3), r);
            assertEquals(3, r.exitStatus());
            assertEquals("hi", console.text());
            assertEquals(List.of("read=ff", "read=54524150", "read=f0f0f0f0", "read=abcd", "#GP", "#GP", "read=2"),
                    backend.vcpus.get(0).completions);
            assertTrue(backend.vcpus.get(0).cpuidEntries > 0, "a CPUID table was installed");
        }
        assertTrue(backend.vcpus.get(0).closed);
    }

    @Test
    void timeoutEndsAGuestThatNeverExits() {
        ScriptedBackend backend = new ScriptedBackend("kvm", true, vp -> List.of());
        try (Partition p = hypervisorWith(backend).createPartition(PartitionConfig.defaults("spin").withMemory(1 << 20).withCpus(2))) {
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofMillis(200));
            assertInstanceOf(PartitionResult.TimedOut.class, r);
            assertEquals(124, r.exitStatus());
            for (VirtualProcessor vp : p.processors()) {
                assertEquals(VirtualProcessor.Status.STOPPED, vp.status());
            }
            assertThrows(IllegalStateException.class, p::resume);
        }
    }

    @Test
    void pausedProcessorStateCanBeReadAndReplaced() {
        ScriptedBackend backend = new ScriptedBackend("kvm", true, vp -> List.of());
        try (Partition p = hypervisorWith(backend).createPartition(PartitionConfig.defaults("pause").withMemory(1 << 20))) {
            VirtualProcessor vp = p.processor(0);
            vp.setState(VpState.builder().rip(0x7C00).gpr(Gpr.RSP, 0x7C00).build());
            p.start();
            p.pause();
            assertEquals(VirtualProcessor.Status.PAUSED, vp.status());
            assertEquals(0x7C00, vp.state().rip());
            vp.setState(vp.state().toBuilder().rip(0x1234).build());
            assertEquals(0x1234, backend.vcpus.get(0).state.rip());
            p.resume();
            assertEquals(new PartitionResult.Stopped("stopped by host"), p.stop());
            assertThrows(IllegalStateException.class, vp::state, "a stopped processor answers at once with an error");
        }
    }

    @Test
    void oneGuestTripleFaultingDoesNotDisturbAnother() throws Exception {
        CountDownLatch releaseB = new CountDownLatch(1);
        ScriptedBackend faulting = new ScriptedBackend("kvm", true, vp -> List.of(
                exit(new VcpuExit.PortIo(0xE9, 1, true, 'x')),
                exit(new VcpuExit.Shutdown("KVM_EXIT_SHUTDOWN"))));
        ScriptedBackend healthy = new ScriptedBackend("emulator", true, vp -> List.of(
                () -> {
                    try {
                        releaseB.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return new VcpuExit.PortIo(0xE9, 1, true, 'y');
                },
                exit(new VcpuExit.PortIo(0xF4, 1, true, 0))));
        Hypervisor hv = hypervisorWith(faulting, healthy);
        CapturingConsoleSink ca = new CapturingConsoleSink();
        CapturingConsoleSink cb = new CapturingConsoleSink();
        try (Partition a = hv.createPartition(PartitionConfig.defaults("a").withBackend("kvm").withMemory(1 << 20));
             Partition b = hv.createPartition(PartitionConfig.defaults("b").withBackend("emulator").withMemory(1 << 20))) {
            DebugDevices.attach(a, ca);
            DebugDevices.attach(b, cb);
            a.start();
            b.start();
            PartitionResult ra = a.awaitExit(Duration.ofSeconds(30));
            assertInstanceOf(PartitionResult.TripleFault.class, ra);
            assertEquals(125, ra.exitStatus());
            assertTrue(ra.report().contains("rip="), ra.report());
            assertFalse(b.hasEnded(), "b keeps running after a's triple fault");
            releaseB.countDown();
            assertEquals(new PartitionResult.Exited(0), b.awaitExit(Duration.ofSeconds(30)));
            assertEquals("x", ca.text());
            assertEquals("y", cb.text());
        }
    }

    @Test
    void aThrowingDeviceFailsOnlyItsPartition() {
        ScriptedBackend backend = new ScriptedBackend("kvm", true, vp -> List.of(exit(new VcpuExit.PortIo(0x300, 1, false, 0))));
        try (Partition p = hypervisorWith(backend).createPartition(PartitionConfig.defaults("bad-device").withMemory(1 << 20))) {
            p.ioBus().register(0x300, 1, new dev.partita.hv.bus.PortIoDevice() {
                public int read(int offset, int size) {
                    throw new IllegalStateException("device broke");
                }

                public void write(int offset, int size, int value) {
                }
            }, "broken");
            p.start();
            PartitionResult r = p.awaitExit(Duration.ofSeconds(30));
            PartitionResult.Failed f = assertInstanceOf(PartitionResult.Failed.class, r);
            assertEquals(PartitionResult.FailureKind.HOST_ERROR, f.kind());
            assertTrue(f.description().contains("device broke"), f.description());
            assertEquals(126, r.exitStatus());
        }
    }

    @Test
    void aDeviceMayReadAndWriteItsOwnProcessorsState() {
        ScriptedBackend backend = new ScriptedBackend("kvm", true, vp -> List.of(
                exit(new VcpuExit.PortIo(0x500, 1, true, 1)),
                exit(new VcpuExit.PortIo(0xF4, 1, true, 0))));
        long[] seen = {-1};
        try (Partition p = hypervisorWith(backend).createPartition(PartitionConfig.defaults("own-state").withMemory(1 << 20))) {
            DebugDevices.attach(p, b -> { });
            p.processor(0).setState(VpState.builder().rip(0x4444).build());
            p.ioBus().register(0x500, 1, new dev.partita.hv.bus.PortIoDevice() {
                public int read(int offset, int size) {
                    return 0;
                }

                public void write(int offset, int size, int value) {
                    VirtualProcessor self = p.processor(0);
                    seen[0] = self.state().rip();
                    self.setState(self.state().toBuilder().rip(0x5555).build());
                }
            }, "introspect");
            p.start();
            assertEquals(new PartitionResult.Exited(0), p.awaitExit(Duration.ofSeconds(30)), "no deadlock on the own thread");
            assertEquals(0x4444, seen[0]);
            assertEquals(0x5555, backend.vcpus.get(0).state.rip());
        }
    }

    @Test
    void mmioDevicesMayNotCoverRam() {
        ScriptedBackend backend = new ScriptedBackend("kvm", true, vp -> List.of());
        try (Partition p = hypervisorWith(backend).createPartition(PartitionConfig.defaults("mmio-ram").withMemory(1 << 20))) {
            assertThrows(IllegalArgumentException.class,
                    () -> p.mmioBus().register(0xFF000, 0x2000, new dev.partita.hv.bus.MmioDevice() {
                        public long read(long offset, int size) {
                            return 0;
                        }

                        public void write(long offset, int size, long value) {
                        }
                    }, "over-ram"));
        }
    }

    @Test
    void backendSelection() {
        ScriptedBackend kvm = new ScriptedBackend("kvm", false, vp -> List.of());
        ScriptedBackend emu = new ScriptedBackend("emulator", true, vp -> List.of());
        Hypervisor hv = hypervisorWith(kvm, emu);
        assertSame(emu, hv.backend("auto"), "auto falls back to the emulator when kvm is unusable");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hv.backend("kvm"));
        assertTrue(e.getMessage().contains("switched off for the test"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> hv.backend("bochs"));
        assertEquals(2, hv.backends().size());
        assertFalse(hv.backends().get(0).availability().usable());

        Hypervisor both = hypervisorWith(new ScriptedBackend("kvm", true, vp -> List.of()),
                new ScriptedBackend("emulator", true, vp -> List.of()));
        String advised = dev.partita.hv.host.BackendAdvisor.adviseForThisHost().backend() == dev.partita.hv.host.BackendKind.KVM
                ? "kvm" : "emulator";
        assertEquals(advised, both.backend("auto").name(), "auto follows the host advisor when both are usable: " + both.autoReason());
    }
}
