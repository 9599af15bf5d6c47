/**
 * The root side of VMBus for one partition, on LMAX Disruptor rings.
 *
 * <ul>
 * <li>{@link dev.partita.vmbus.VmBus} — attach to a partition's {@link dev.partita.vmbus.SynicPort}
 * ({@link dev.partita.vmbus.HyperVSynicPort} over hv-runtime's {@code HyperV}) and offer VSPs.</li>
 * <li>{@link dev.partita.vmbus.ChannelManager} — the channel-management state machine (2.4-5.3).</li>
 * <li>{@code protocol} — message records and their wire codec; {@code gpadl} — GPADL assembly and
 * checks; {@code ring} — the Hyper-V ring format in guest memory; {@code channel} — the per-channel
 * Disruptor pipeline; {@code vsp} — the VSP SPI.</li>
 * </ul>
 * A Java VSC and a loopback hypervisor ({@code client}) and the echo VSP are test support: they live in
 * this module's test sources and reach other modules' tests and the benchmarks through the
 * vmbus-disruptor test-jar.
 *
 * <p>Threads: management messages run on one control thread per bus; channel signals drain the
 * guest ring on the signalling vCPU thread (never blocking); each open channel has one VSP thread,
 * which is also the only writer of the guest's host-to-guest ring.
 */
package dev.partita.vmbus;
