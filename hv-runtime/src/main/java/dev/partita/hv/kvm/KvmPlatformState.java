package dev.partita.hv.kvm;

import dev.partita.hv.kvm.sys.KvmVm;
import dev.partita.nativebindings.kvm.kvm_irqchip;
import dev.partita.nativebindings.kvm.kvm_pit_state2;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The state KVM keeps in the kernel for a partition, as bytes: the three in-kernel irqchips
 * ({@code KVM_GET_IRQCHIP} for chip 0 = master 8259, 1 = slave 8259, 2 = I/O APIC, each the whole
 * {@code struct kvm_irqchip}), the PIT ({@code KVM_GET_PIT2}) and the kvmclock value
 * ({@code KVM_GET_CLOCK}, u64 little-endian). The local APICs travel with each vCPU's
 * {@link dev.partita.hv.vp.VpState}. The structs are the host kernel's ABI, checked against its
 * headers by the binding tests, so the bytes load on any x86-64 KVM host. Stateless.
 */
final class KvmPlatformState {
    private static final int CHIPS = 3;

    private KvmPlatformState() {
    }

    static long size() {
        return CHIPS * kvm_irqchip.sizeof() + kvm_pit_state2.sizeof() + 8;
    }

    static byte[] save(KvmVm vm) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment all = arena.allocate(size(), 8);
            long chipSize = kvm_irqchip.sizeof();
            for (int chip = 0; chip < CHIPS; chip++) {
                MemorySegment c = all.asSlice(chip * chipSize, chipSize);
                kvm_irqchip.chip_id(c, chip);
                vm.getIrqchip(c);
            }
            vm.getPit2(all.asSlice(CHIPS * chipSize, kvm_pit_state2.sizeof()));
            all.set(ValueLayout.JAVA_LONG_UNALIGNED, CHIPS * chipSize + kvm_pit_state2.sizeof(), vm.getClock().clock());
            return all.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    static void restore(KvmVm vm, byte[] state) {
        if (state.length != size()) {
            throw new IllegalArgumentException("KVM platform state is " + state.length + " bytes, this host's layout has "
                    + size());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment all = arena.allocate(size(), 8);
            MemorySegment.copy(state, 0, all, ValueLayout.JAVA_BYTE, 0, state.length);
            long chipSize = kvm_irqchip.sizeof();
            for (int chip = 0; chip < CHIPS; chip++) {
                MemorySegment c = all.asSlice(chip * chipSize, chipSize);
                if (kvm_irqchip.chip_id(c) != chip) {
                    throw new IllegalArgumentException("KVM platform state: irqchip " + chip + " has chip id "
                            + kvm_irqchip.chip_id(c));
                }
                vm.setIrqchip(c);
            }
            vm.setPit2(all.asSlice(CHIPS * chipSize, kvm_pit_state2.sizeof()));
            vm.setClock(all.get(ValueLayout.JAVA_LONG_UNALIGNED, CHIPS * chipSize + kvm_pit_state2.sizeof()));
        }
    }
}
