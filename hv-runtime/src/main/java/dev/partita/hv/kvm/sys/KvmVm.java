package dev.partita.hv.kvm.sys;

import dev.partita.nativebindings.kvm.Kvm_h;
import dev.partita.nativebindings.kvm.kvm_clear_dirty_log;
import dev.partita.nativebindings.kvm.kvm_clock_data;
import dev.partita.nativebindings.kvm.kvm_dirty_log;
import dev.partita.nativebindings.kvm.kvm_ioeventfd;
import dev.partita.nativebindings.kvm.kvm_irq_level;
import dev.partita.nativebindings.kvm.kvm_irq_routing;
import dev.partita.nativebindings.kvm.kvm_irq_routing_entry;
import dev.partita.nativebindings.kvm.kvm_irq_routing_irqchip;
import dev.partita.nativebindings.kvm.kvm_irq_routing_msi;
import dev.partita.nativebindings.kvm.kvm_irqchip;
import dev.partita.nativebindings.kvm.kvm_irqfd;
import dev.partita.nativebindings.kvm.kvm_msi;
import dev.partita.nativebindings.kvm.kvm_msr_filter;
import dev.partita.nativebindings.kvm.kvm_msr_filter_range;
import dev.partita.nativebindings.kvm.kvm_pit_config;
import dev.partita.nativebindings.kvm.kvm_pit_state2;
import dev.partita.nativebindings.kvm.kvm_userspace_memory_region;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Owner of a KVM VM descriptor: memory slots, the in-kernel interrupt controllers and timers,
 * interrupt injection and routing, eventfd wiring, capabilities, MSR filtering and dirty logging.
 *
 * <p>Thread-safe: methods may be called from any thread; the kernel serializes VM ioctls. State
 * arguments named after a kernel struct ({@code kvm_irqchip}, {@code kvm_pit_state2}) are caller-owned
 * native segments of at least that struct's size; they are read or written only during the call.
 * Temporaries live in a confined arena per call. {@link #close()} closes the descriptor exactly once;
 * vCPUs keep the VM alive in the kernel until they are closed too.
 */
public final class KvmVm implements AutoCloseable {
    private final OwnedFd fd;
    private final int vcpuMmapSize;

    KvmVm(int fd, int vcpuMmapSize) {
        this.fd = new OwnedFd("KVM VM", fd);
        this.vcpuMmapSize = vcpuMmapSize;
    }

    /** The raw descriptor (do not close it). */
    public int fd() {
        return fd.get();
    }

    /** {@code KVM_CHECK_EXTENSION} on the VM (answers for this VM's type and settings). */
    public int checkExtension(int cap) {
        return Sys.ioctl(fd.get(), Kvm_h.KVM_CHECK_EXTENSION, cap);
    }

    /** {@code KVM_CREATE_VCPU}; maps the new vCPU's kvm_run area. */
    public KvmVcpu createVcpu(int id) {
        if (id < 0) {
            throw new IllegalArgumentException("KVM_CREATE_VCPU: negative vCPU id " + id);
        }
        int vcpuFd = Sys.ioctl(fd.get(), Kvm_h.KVM_CREATE_VCPU, id);
        return KvmVcpu.map(id, vcpuFd, vcpuMmapSize);
    }

    /**
     * {@code KVM_SET_USER_MEMORY_REGION}: maps {@code size} bytes of host memory at guest physical
     * address {@code gpa} in {@code slot}; {@code size == 0} deletes the slot ({@code hostMem} may then
     * be {@link MemorySegment#NULL}). The memory must stay mapped for as long as the slot exists: its
     * owner (GuestMemory) outlives the slot.
     *
     * @param flags {@code KVM_MEM_LOG_DIRTY_PAGES}, {@code KVM_MEM_READONLY}
     * @throws IllegalArgumentException when addresses or sizes are not page aligned or hostMem is too small
     */
    public void setUserMemoryRegion(int slot, int flags, long gpa, long size, MemorySegment hostMem) {
        String op = "KVM_SET_USER_MEMORY_REGION";
        if ((gpa & 0xFFF) != 0 || (size & 0xFFF) != 0 || size < 0) {
            throw new IllegalArgumentException(op + ": gpa 0x" + Long.toHexString(gpa) + " and size 0x"
                    + Long.toHexString(size) + " must be page aligned");
        }
        if (size != 0) {
            if (!hostMem.isNative() || (hostMem.address() & 0xFFF) != 0 || hostMem.byteSize() < size) {
                throw new IllegalArgumentException(op + ": host memory " + hostMem + " is not a page-aligned native"
                        + " segment of at least 0x" + Long.toHexString(size) + " bytes");
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = kvm_userspace_memory_region.allocate(arena);
            kvm_userspace_memory_region.slot(r, slot);
            kvm_userspace_memory_region.flags(r, flags);
            kvm_userspace_memory_region.guest_phys_addr(r, gpa);
            kvm_userspace_memory_region.memory_size(r, size);
            kvm_userspace_memory_region.userspace_addr(r, size == 0 ? 0 : hostMem.address());
            Sys.ioctl(fd.get(), Kvm_h.KVM_SET_USER_MEMORY_REGION, r);
        }
    }

    /** {@code KVM_SET_TSS_ADDR}: three pages KVM needs below 4 GiB on Intel hosts (not RAM). */
    public void setTssAddr(long gpa) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_SET_TSS_ADDR, gpa);
    }

    /** {@code KVM_SET_IDENTITY_MAP_ADDR}: one page for the real-mode identity map on Intel hosts. */
    public void setIdentityMapAddr(long gpa) {
        try (Arena arena = Arena.ofConfined()) {
            Sys.ioctl(fd.get(), Kvm_h.KVM_SET_IDENTITY_MAP_ADDR, arena.allocateFrom(ValueLayout.JAVA_LONG, gpa));
        }
    }

    /** {@code KVM_CREATE_IRQCHIP}: in-kernel PIC pair, I/O APIC and local APICs. Before creating vCPUs. */
    public void createIrqchip() {
        Sys.ioctl(fd.get(), Kvm_h.KVM_CREATE_IRQCHIP, 0L);
    }

    /** {@code KVM_CREATE_PIT2} with no flags. */
    public void createPit2() {
        createPit2(0);
    }

    /** {@code KVM_CREATE_PIT2}; {@code flags} may hold {@code KVM_PIT_SPEAKER_DUMMY}. */
    public void createPit2(int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = kvm_pit_config.allocate(arena);
            kvm_pit_config.flags(c, flags);
            Sys.ioctl(fd.get(), Kvm_h.KVM_CREATE_PIT2, c);
        }
    }

    /** {@code KVM_GET_PIT2} into a caller-owned {@code kvm_pit_state2}. */
    public void getPit2(MemorySegment pitState2) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_GET_PIT2, Structs.require("KVM_GET_PIT2", pitState2, kvm_pit_state2.sizeof()));
    }

    /** {@code KVM_SET_PIT2} from a caller-owned {@code kvm_pit_state2}. */
    public void setPit2(MemorySegment pitState2) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_SET_PIT2, Structs.require("KVM_SET_PIT2", pitState2, kvm_pit_state2.sizeof()));
    }

    /** {@code KVM_GET_IRQCHIP}: the caller sets {@code chip_id} in the {@code kvm_irqchip} segment first. */
    public void getIrqchip(MemorySegment irqchip) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_GET_IRQCHIP, Structs.require("KVM_GET_IRQCHIP", irqchip, kvm_irqchip.sizeof()));
    }

    /** {@code KVM_SET_IRQCHIP} from a {@code kvm_irqchip} segment (chip_id selects the chip). */
    public void setIrqchip(MemorySegment irqchip) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_SET_IRQCHIP, Structs.require("KVM_SET_IRQCHIP", irqchip, kvm_irqchip.sizeof()));
    }

    /** {@code KVM_IRQ_LINE}: drives GSI {@code gsi} to {@code level} (1 asserted, 0 deasserted). */
    public void irqLine(int gsi, int level) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment l = kvm_irq_level.allocate(arena);
            kvm_irq_level.irq(l, gsi);
            kvm_irq_level.level(l, level);
            Sys.ioctl(fd.get(), Kvm_h.KVM_IRQ_LINE, l);
        }
    }

    /**
     * {@code KVM_IRQ_LINE_STATUS}: like {@link #irqLine} but returns the delivery status
     * (&gt; 0 delivered to that many targets, 0 coalesced, &lt; 0 masked or failed).
     */
    public int irqLineStatus(int gsi, int level) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment l = kvm_irq_level.allocate(arena);
            kvm_irq_level.irq(l, gsi);
            kvm_irq_level.level(l, level);
            Sys.ioctl(fd.get(), Kvm_h.KVM_IRQ_LINE_STATUS, l);
            return kvm_irq_level.status(l);
        }
    }

    /**
     * {@code KVM_SIGNAL_MSI}: injects a message-signalled interrupt. Returns &gt; 0 when delivered,
     * 0 when the guest blocked it.
     */
    public int signalMsi(long address, int data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = kvm_msi.allocate(arena);
            kvm_msi.address_lo(m, (int) address);
            kvm_msi.address_hi(m, (int) (address >>> 32));
            kvm_msi.data(m, data);
            return Sys.ioctl(fd.get(), Kvm_h.KVM_SIGNAL_MSI, m);
        }
    }

    /** {@code KVM_SET_GSI_ROUTING}: replaces the whole GSI routing table with {@code routes}. */
    public void setGsiRouting(List<IrqRoute> routes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table = arena.allocate(kvm_irq_routing.sizeof() + kvm_irq_routing_entry.sizeof() * routes.size(), 8);
            kvm_irq_routing.nr(table, routes.size());
            for (int i = 0; i < routes.size(); i++) {
                MemorySegment e = kvm_irq_routing.entries(table, i);
                IrqRoute route = routes.get(i);
                kvm_irq_routing_entry.gsi(e, route.gsi());
                switch (route) {
                    case IrqRoute.Irqchip chip -> {
                        kvm_irq_routing_entry.type(e, Kvm_h.KVM_IRQ_ROUTING_IRQCHIP);
                        MemorySegment u = kvm_irq_routing_entry.u_irqchip(e);
                        kvm_irq_routing_irqchip.irqchip(u, chip.irqchip());
                        kvm_irq_routing_irqchip.pin(u, chip.pin());
                    }
                    case IrqRoute.Msi msi -> {
                        kvm_irq_routing_entry.type(e, Kvm_h.KVM_IRQ_ROUTING_MSI);
                        MemorySegment u = kvm_irq_routing_entry.u_msi(e);
                        kvm_irq_routing_msi.address_lo(u, (int) msi.address());
                        kvm_irq_routing_msi.address_hi(u, (int) (msi.address() >>> 32));
                        kvm_irq_routing_msi.data(u, msi.data());
                    }
                }
            }
            Sys.ioctl(fd.get(), Kvm_h.KVM_SET_GSI_ROUTING, table);
        }
    }

    /** {@code KVM_IRQFD}: a write to {@code eventFd} raises {@code gsi} (edge). */
    public void irqfd(int eventFd, int gsi) {
        irqfd(eventFd, gsi, 0, 0);
    }

    /** {@code KVM_IRQFD} with {@code KVM_IRQFD_FLAG_DEASSIGN}: detaches {@code eventFd} from {@code gsi}. */
    public void irqfdDeassign(int eventFd, int gsi) {
        irqfd(eventFd, gsi, Kvm_h.KVM_IRQFD_FLAG_DEASSIGN, 0);
    }

    /** {@code KVM_IRQFD} with explicit flags ({@code KVM_IRQFD_FLAG_*}) and resample descriptor. */
    public void irqfd(int eventFd, int gsi, int flags, int resampleFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = kvm_irqfd.allocate(arena);
            kvm_irqfd.fd(s, eventFd);
            kvm_irqfd.gsi(s, gsi);
            kvm_irqfd.flags(s, flags);
            kvm_irqfd.resamplefd(s, resampleFd);
            Sys.ioctl(fd.get(), Kvm_h.KVM_IRQFD, s);
        }
    }

    /**
     * {@code KVM_IOEVENTFD}: a guest write of {@code len} bytes (1, 2, 4, 8; 0 = any) to {@code addr}
     * signals {@code eventFd} instead of exiting.
     *
     * @param flags     {@code KVM_IOEVENTFD_FLAG_PIO} (port I/O, else MMIO), {@code _DATAMATCH}, {@code _DEASSIGN}
     * @param datamatch value to match when {@code _DATAMATCH} is set
     */
    public void ioeventfd(int eventFd, long addr, int len, int flags, long datamatch) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = kvm_ioeventfd.allocate(arena);
            kvm_ioeventfd.datamatch(s, datamatch);
            kvm_ioeventfd.addr(s, addr);
            kvm_ioeventfd.len(s, len);
            kvm_ioeventfd.fd(s, eventFd);
            kvm_ioeventfd.flags(s, flags);
            Sys.ioctl(fd.get(), Kvm_h.KVM_IOEVENTFD, s);
        }
    }

    /** {@code KVM_ENABLE_CAP} on the VM with up to four arguments. Returns the ioctl's result. */
    public int enableCap(int cap, long... args) {
        return EnableCap.call(fd.get(), cap, args);
    }

    /**
     * {@code KVM_X86_SET_MSR_FILTER}: replaces the MSR filter. MSRs outside every range follow
     * {@code flags} ({@code KVM_MSR_FILTER_DEFAULT_ALLOW} or {@code _DEFAULT_DENY}); an empty list with
     * DEFAULT_ALLOW removes filtering. At most {@code KVM_MSR_FILTER_MAX_RANGES} ranges.
     */
    public void setMsrFilter(int flags, List<MsrFilterRange> ranges) {
        if (ranges.size() > Kvm_h.KVM_MSR_FILTER_MAX_RANGES) {
            throw new IllegalArgumentException("KVM_X86_SET_MSR_FILTER: " + ranges.size() + " ranges, at most "
                    + Kvm_h.KVM_MSR_FILTER_MAX_RANGES);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment f = kvm_msr_filter.allocate(arena);
            kvm_msr_filter.flags(f, flags);
            for (int i = 0; i < ranges.size(); i++) {
                MsrFilterRange range = ranges.get(i);
                MemorySegment r = kvm_msr_filter.ranges(f, i);
                kvm_msr_filter_range.flags(r, range.flags());
                kvm_msr_filter_range.nmsrs(r, range.nmsrs());
                kvm_msr_filter_range.base(r, range.base());
                kvm_msr_filter_range.bitmap(r, arena.allocateFrom(ValueLayout.JAVA_BYTE, range.bitmap()));
            }
            Sys.ioctl(fd.get(), Kvm_h.KVM_X86_SET_MSR_FILTER, f);
        }
    }

    /**
     * {@code KVM_GET_DIRTY_LOG}: fills {@code bitmap} (one bit per page of the slot, caller-owned,
     * at least {@code ceil(pages / 64) * 8} bytes) and resets the slot's dirty state.
     */
    public void getDirtyLog(int slot, MemorySegment bitmap) {
        if (!bitmap.isNative()) {
            throw new IllegalArgumentException("KVM_GET_DIRTY_LOG: bitmap must be a native segment");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment d = kvm_dirty_log.allocate(arena);
            kvm_dirty_log.slot(d, slot);
            kvm_dirty_log.dirty_bitmap(d, bitmap);
            Sys.ioctl(fd.get(), Kvm_h.KVM_GET_DIRTY_LOG, d);
        }
    }

    /**
     * {@code KVM_CLEAR_DIRTY_LOG} (with KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 enabled): re-protects the
     * pages whose bits are set in {@code bitmap}, for pages {@code firstPage .. firstPage+numPages-1}
     * (firstPage a multiple of 64).
     */
    public void clearDirtyLog(int slot, long firstPage, int numPages, MemorySegment bitmap) {
        if (!bitmap.isNative() || bitmap.byteSize() < ((long) numPages + 63) / 64 * 8) {
            throw new IllegalArgumentException("KVM_CLEAR_DIRTY_LOG: bitmap too small for " + numPages + " pages");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment d = kvm_clear_dirty_log.allocate(arena);
            kvm_clear_dirty_log.slot(d, slot);
            kvm_clear_dirty_log.first_page(d, firstPage);
            kvm_clear_dirty_log.num_pages(d, numPages);
            kvm_clear_dirty_log.dirty_bitmap(d, bitmap);
            Sys.ioctl(fd.get(), Kvm_h.KVM_CLEAR_DIRTY_LOG, d);
        }
    }

    /** {@code KVM_GET_CLOCK}. */
    public ClockData getClock() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = kvm_clock_data.allocate(arena);
            Sys.ioctl(fd.get(), Kvm_h.KVM_GET_CLOCK, c);
            return new ClockData(kvm_clock_data.clock(c), kvm_clock_data.flags(c),
                    kvm_clock_data.realtime(c), kvm_clock_data.host_tsc(c));
        }
    }

    /** {@code KVM_SET_CLOCK} with flags 0: sets the guest's kvmclock to {@code clockNanos}. */
    public void setClock(long clockNanos) {
        setClock(clockNanos, 0, 0);
    }

    /** {@code KVM_SET_CLOCK} with flags (e.g. {@code KVM_CLOCK_REALTIME} and the realtime sample). */
    public void setClock(long clockNanos, int flags, long realtime) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = kvm_clock_data.allocate(arena);
            kvm_clock_data.clock(c, clockNanos);
            kvm_clock_data.flags(c, flags);
            kvm_clock_data.realtime(c, realtime);
            Sys.ioctl(fd.get(), Kvm_h.KVM_SET_CLOCK, c);
        }
    }

    /** Any other VM ioctl with a pointer argument, checked like the rest. */
    public int ioctl(long request, MemorySegment arg) {
        return Sys.ioctl(fd.get(), request, arg);
    }

    /** Closes the descriptor (once; later calls do nothing). */
    @Override
    public void close() {
        fd.close();
    }
}
