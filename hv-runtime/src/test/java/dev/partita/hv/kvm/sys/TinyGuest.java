package dev.partita.hv.kvm.sys;

import dev.partita.nativebindings.kvm.kvm_regs;
import dev.partita.nativebindings.kvm.kvm_segment;
import dev.partita.nativebindings.kvm.kvm_sregs;
import dev.partita.nativebindings.libc.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A VM with one vCPU and a small RAM block at GPA 0, in real mode with CS:IP = 0:entry, for tests.
 * Owns everything it creates; close() releases it all.
 */
final class TinyGuest implements AutoCloseable {
    final KvmVm vm;
    final KvmVcpu vcpu;
    final MemorySegment ram;
    private final long size;

    private TinyGuest(KvmVm vm, KvmVcpu vcpu, MemorySegment ram, long size) {
        this.vm = vm;
        this.vcpu = vcpu;
        this.ram = ram;
        this.size = size;
    }

    /** Creates the VM (with the in-kernel irqchip when asked), loads {@code code} at {@code entry}. */
    @SuppressWarnings("restricted")
    static TinyGuest realMode(Kvm kvm, long ramSize, long entry, byte[] code, boolean irqchip) {
        KvmVm vm = kvm.createVm();
        MemorySegment ram = Libc.mmap(MemorySegment.NULL, ramSize, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_SHARED | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0);
        if (ram.address() == Libc.MAP_FAILED_ADDRESS) {
            vm.close();
            throw new KvmException("mmap(guest ram)", Libc.errno());
        }
        ram = ram.reinterpret(ramSize);
        MemorySegment.copy(code, 0, ram, ValueLayout.JAVA_BYTE, entry, code.length);
        try {
            vm.setUserMemoryRegion(0, 0, 0, ramSize, ram);
            if (irqchip) {
                vm.createIrqchip();
            }
            KvmVcpu vcpu = vm.createVcpu(0);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment sregs = kvm_sregs.allocate(arena);
                vcpu.getSregs(sregs);
                MemorySegment cs = kvm_sregs.cs(sregs);
                kvm_segment.base(cs, 0);
                kvm_segment.selector(cs, (short) 0);
                vcpu.setSregs(sregs);
                MemorySegment regs = kvm_regs.allocate(arena);
                kvm_regs.rip(regs, entry);
                kvm_regs.rflags(regs, 2);
                vcpu.setRegs(regs);
            }
            return new TinyGuest(vm, vcpu, ram, ramSize);
        } catch (RuntimeException e) {
            vm.close();
            Libc.munmap(ram, ramSize);
            throw e;
        }
    }

    @Override
    public void close() {
        vcpu.close();
        vm.close();
        Libc.munmap(ram, size);
    }
}
