/**
 * The Hyper-V guest interface, implemented once in user space for every backend.
 *
 * <ul>
 *   <li>{@link dev.partita.hv.hyperv.HyperV} — per-partition entry point: {@code HyperV.attach(partition)}
 *       before start, then {@code synic()}, {@code registerConnection}/{@code unregisterConnection},
 *       {@code saveState}/{@code restoreState}.</li>
 *   <li>{@link dev.partita.hv.hyperv.HyperVCpuidLeaves} — CPUID 0x40000000-0x400000FF ("Microsoft Hv").</li>
 *   <li>{@code SyntheticMsrs} — GUEST_OS_ID, HYPERCALL, VP_INDEX, TIME_REF_COUNT, VP_ASSIST_PAGE,
 *       TSC_INVARIANT_CONTROL and the SynIC MSRs, in the partition's MSR handler chain (the
 *       enlightenments' MSRs are separate handlers, added only when offered).</li>
 *   <li>{@link dev.partita.hv.hyperv.HypercallPage} — the page code: VMCALL (emulator) or an OUT to
 *       private port 0x4856 that the KVM backend turns into {@code VcpuExit.Hypercall}.</li>
 *   <li>{@code HypercallDispatcher} — HvPostMessage and HvSignalEvent, routed by connection id to
 *       {@link dev.partita.hv.hyperv.SynicConnectionHandler}s, and where offered the TLB flush
 *       ({@code TlbFlushHypercalls}) and IPI ({@code IpiHypercalls}) calls with their processor sets
 *       ({@code ProcessorSet}); every bad input answers an HV status.</li>
 *   <li>{@link dev.partita.hv.hyperv.Enlightenments} — which optional enlightenments a partition offers:
 *       reference time ({@code ReferenceClock} from the backend's guest TSC, {@code ReferenceTscPage}),
 *       synthetic timers ({@code SyntheticTimers}, {@code SyntheticTimer}), crash MSRs
 *       ({@code CrashRegisters}), TLB flush and IPI hypercalls.</li>
 *   <li>{@link dev.partita.hv.hyperv.SynIc} — message slots with pending flag and EOM, event flags set
 *       atomically, SINT interrupts as fixed MSIs ({@link dev.partita.hv.hyperv.SynicDelivery}).</li>
 *   <li>{@link dev.partita.hv.hyperv.HyperVState} / {@link dev.partita.hv.hyperv.HyperVStateCodec} — the
 *       versioned, checksummed saved state.</li>
 * </ul>
 *
 * <p>Not implemented (and not advertised in CPUID): partition id, the frequency MSRs, the
 * enlightened APIC MSRs, XMM fast hypercalls, hypercalls other than those above. The reference TSC
 * page is offered only by backends that expose their guest TSC (the emulator), the flush
 * hypercalls only by backends with a synchronous remote TLB flush (the emulator). Auto-EOI SINTs
 * are delivered as ordinary interrupts (see {@link dev.partita.hv.hyperv.SynIc}).
 */
package dev.partita.hv.hyperv;
