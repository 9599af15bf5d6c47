/**
 * The backend SPI: how a way of running guests ({@code kvm} here, {@code emulator} in
 * fallback-emulator) plugs into the runtime.
 *
 * <p>One execution model for every backend: {@link dev.partita.hv.spi.BackendVcpu#run()} runs
 * guest code and returns a {@link dev.partita.hv.exit.VcpuExit} for everything it does not handle
 * itself; the runtime's {@code VirtualProcessor} dispatches it (buses, MSR chain, hypercalls) and
 * completes reads with {@link dev.partita.hv.spi.BackendVcpu#completeRead(long)} before the next
 * {@code run()}. Backends never call the buses. Guest RAM is the partition's
 * {@link dev.partita.hv.memory.GuestMemory}; backends use its regions directly. Processor state
 * crosses the SPI only as {@link dev.partita.hv.vp.VpState}.
 */
package dev.partita.hv.spi;
