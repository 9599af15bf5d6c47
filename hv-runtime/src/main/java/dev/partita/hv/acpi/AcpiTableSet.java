package dev.partita.hv.acpi;

/**
 * Builds Partita's ACPI tables for a PC-like guest: RSDP (revision 2), RSDT, XSDT, a full FADT
 * (revision 6, not hardware-reduced: PM1a event/control blocks and the PM timer at port 0x600, SCI on
 * IRQ 9, no SMI command port so ACPI mode is always on), FACS, MADT, MCFG and DSDT.
 *
 * <p>The MCFG describes one ECAM window, {@link PciConfigWindow}: segment 0, buses 0 to
 * {@link PciConfigWindow#LAST_BUS}; the DSDT's PCI0 is the root bridge of those buses.
 *
 * <p>The MADT matches the interrupt routing of both backends (the emulator's PcPlatform and KVM's
 * in-kernel irqchip): one enabled local APIC per vCPU (APIC id = processor UID = vCPU index), the I/O
 * APIC id 0 at 0xFEC00000 with GSI base 0, interrupt source overrides ISA IRQ0 → GSI 2 (flags 0,
 * conforming) and IRQ9 → GSI 9 (level, active high: the SCI), LINT1 as NMI on every processor, and
 * PCAT_COMPAT (8259s present). Stateless.
 */
public final class AcpiTableSet {
    static final int RSDP_SIZE = 36;
    static final int FACS_SIZE = 64;
    static final long LAPIC_ADDRESS = 0xFEE0_0000L;
    static final long IOAPIC_ADDRESS = 0xFEC0_0000L;
    /** FADT flags: WBINVD, PROC_C1, PWR_BUTTON (no fixed power button), SLP_BUTTON (none), TMR_VAL_EXT. */
    static final int FADT_FLAGS = 1 | 1 << 2 | 1 << 4 | 1 << 5 | 1 << 8;
    /** IAPC_BOOT_ARCH: LEGACY_DEVICES | 8042. */
    static final int IAPC_BOOT_ARCH = 0x3;
    /** MPS INTI flags for the SCI: active high (01), level-triggered (11 << 2). */
    static final int MPS_LEVEL_HIGH = 0x0D;

    private AcpiTableSet() {}

    /** The tables laid out at {@code base} (16-byte aligned, below 4 GiB), RSDP first. */
    public static AcpiTables build(AcpiPlatform platform, long base) {
        if ((base & 0xF) != 0 || base < 0 || base > 0xFFFF_0000L) {
            throw new IllegalArgumentException("ACPI base 0x" + Long.toHexString(base) + " must be 16-byte aligned below 4 GiB");
        }
        DsdtBuilder dsdtBuilder = new DsdtBuilder().add(DsdtBuilder.com1()).add(DsdtBuilder.keyboardController())
                .add(DsdtBuilder.rtc()).add(DsdtBuilder.pciRoot());
        if (platform.vmbus()) {
            dsdtBuilder.add(DsdtBuilder.vmbus());
        }
        byte[] dsdt = dsdtBuilder.toTable();
        byte[] madt = madt(platform.cpus());

        // Offsets: RSDP 0, FACS 0x40 (64-byte aligned), then 16-byte aligned tables.
        long facsAt = base + 0x40;
        long dsdtAt = align16(facsAt + FACS_SIZE);
        long madtAt = align16(dsdtAt + dsdt.length);
        long fadtAt = align16(madtAt + madt.length);
        byte[] fadt = fadt(facsAt, dsdtAt);
        byte[] mcfg = mcfg();
        long mcfgAt = align16(fadtAt + fadt.length);
        long rsdtAt = align16(mcfgAt + mcfg.length);
        byte[] rsdt = new AcpiTableWriter("RSDT", 1).u32(fadtAt).u32(madtAt).u32(mcfgAt).finish();
        long xsdtAt = align16(rsdtAt + rsdt.length);
        byte[] xsdt = new AcpiTableWriter("XSDT", 1).u64(fadtAt).u64(madtAt).u64(mcfgAt).finish();
        long end = xsdtAt + xsdt.length;

        byte[] all = new byte[(int) (end - base)];
        put(all, 0, rsdp(rsdtAt, xsdtAt));
        put(all, (int) (facsAt - base), facs());
        put(all, (int) (dsdtAt - base), dsdt);
        put(all, (int) (madtAt - base), madt);
        put(all, (int) (fadtAt - base), fadt);
        put(all, (int) (mcfgAt - base), mcfg);
        put(all, (int) (rsdtAt - base), rsdt);
        put(all, (int) (xsdtAt - base), xsdt);
        return new AcpiTables(base, all, base);
    }

    static byte[] rsdp(long rsdt, long xsdt) {
        byte[] r = new byte[RSDP_SIZE];
        byte[] sig = "RSD PTR ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(sig, 0, r, 0, 8);
        byte[] oem = AcpiTableWriter.OEM_ID.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(oem, 0, r, 9, 6);
        r[15] = 2; // revision: ACPI 2.0+
        le(r, 16, rsdt, 4);
        le(r, 20, RSDP_SIZE, 4);
        le(r, 24, xsdt, 8);
        r[8] = AcpiTableWriter.checksumByte(r, 0, 20);
        r[32] = AcpiTableWriter.checksumByte(r, 0, RSDP_SIZE);
        return r;
    }

    static byte[] facs() {
        byte[] f = new byte[FACS_SIZE];
        f[0] = 'F';
        f[1] = 'A';
        f[2] = 'C';
        f[3] = 'S';
        le(f, 4, FACS_SIZE, 4);
        f[32] = 2; // version (ACPI 2.0+ layout); hardware signature, waking vectors, global lock, flags all 0
        return f;
    }

    static byte[] fadt(long facs, long dsdt) {
        AcpiTableWriter w = new AcpiTableWriter("FACP", 6);
        w.u32(0).u32(dsdt); // FIRMWARE_CTRL must be 0 when X_FIRMWARE_CTRL is set (ACPI 6, FADT)
        w.u8(0); // reserved (ACPI 1.0 INT_MODEL)
        w.u8(0); // Preferred_PM_Profile: unspecified
        w.u16(AcpiPmRegisters.SCI_IRQ);
        w.u32(0); // SMI_CMD: none, ACPI mode is always on
        w.u8(0).u8(0).u8(0).u8(0); // ACPI_ENABLE, ACPI_DISABLE, S4BIOS_REQ, PSTATE_CNT
        w.u32(AcpiPmRegisters.PM1A_EVT_BLK).u32(0); // PM1a/PM1b_EVT_BLK
        w.u32(AcpiPmRegisters.PM1A_CNT_BLK).u32(0); // PM1a/PM1b_CNT_BLK
        w.u32(0); // PM2_CNT_BLK
        w.u32(AcpiPmRegisters.PM_TMR_BLK);
        w.u32(0).u32(0); // GPE0/GPE1_BLK
        w.u8(AcpiPmRegisters.PM1_EVT_LEN).u8(AcpiPmRegisters.PM1_CNT_LEN).u8(0).u8(AcpiPmRegisters.PM_TMR_LEN);
        w.u8(0).u8(0).u8(0).u8(0); // GPE0_BLK_LEN, GPE1_BLK_LEN, GPE1_BASE, CST_CNT
        w.u16(0x0FFF).u16(0x0FFF); // P_LVL2_LAT, P_LVL3_LAT: C2/C3 not supported
        w.u16(0).u16(0); // FLUSH_SIZE, FLUSH_STRIDE
        w.u8(0).u8(0); // DUTY_OFFSET, DUTY_WIDTH
        w.u8(0).u8(0).u8(0x32); // DAY_ALRM, MON_ALRM, CENTURY (CMOS register 0x32)
        w.u16(IAPC_BOOT_ARCH);
        w.u8(0); // reserved
        w.u32(FADT_FLAGS);
        w.zeros(12).u8(0); // RESET_REG, RESET_VALUE: none
        w.u16(0); // ARM_BOOT_ARCH
        w.u8(0); // FADT minor version
        w.u64(facs).u64(dsdt); // X_FIRMWARE_CTRL, X_DSDT
        w.ioGas(AcpiPmRegisters.PM1A_EVT_BLK, 32, 2).ioGas(0, 0, 0); // X_PM1a/b_EVT_BLK
        w.ioGas(AcpiPmRegisters.PM1A_CNT_BLK, 16, 2).ioGas(0, 0, 0); // X_PM1a/b_CNT_BLK
        w.ioGas(0, 0, 0); // X_PM2_CNT_BLK
        w.ioGas(AcpiPmRegisters.PM_TMR_BLK, 32, 3); // X_PM_TMR_BLK
        w.ioGas(0, 0, 0).ioGas(0, 0, 0); // X_GPE0/1_BLK
        w.ioGas(0, 0, 0).ioGas(0, 0, 0); // SLEEP_CONTROL_REG, SLEEP_STATUS_REG (hardware-reduced only)
        w.bytes("PARTITA\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // hypervisor vendor identity
        return w.finish();
    }

    static byte[] madt(int cpus) {
        AcpiTableWriter w = new AcpiTableWriter("APIC", 5);
        w.u32(LAPIC_ADDRESS).u32(1); // local APIC address, PCAT_COMPAT
        for (int i = 0; i < cpus; i++) {
            w.u8(0).u8(8).u8(i).u8(i).u32(1); // Processor Local APIC: UID, APIC id, enabled
        }
        w.u8(1).u8(12).u8(0).u8(0).u32(IOAPIC_ADDRESS).u32(0); // I/O APIC id 0, GSI base 0
        w.u8(2).u8(10).u8(0).u8(0).u32(2).u16(0); // ISO: bus 0, IRQ0 -> GSI 2, conforming
        w.u8(2).u8(10).u8(0).u8(AcpiPmRegisters.SCI_IRQ).u32(AcpiPmRegisters.SCI_IRQ).u16(MPS_LEVEL_HIGH); // SCI
        w.u8(4).u8(6).u8(0xFF).u16(0).u8(1); // Local APIC NMI: all processors, LINT1
        return w.finish();
    }

    /** MCFG: 8 reserved bytes, then one allocation: ECAM base, segment 0, start bus 0, end bus, 4 reserved bytes. */
    static byte[] mcfg() {
        AcpiTableWriter w = new AcpiTableWriter("MCFG", 1);
        w.zeros(8);
        w.u64(PciConfigWindow.BASE).u16(0).u8(0).u8(PciConfigWindow.LAST_BUS).u32(0);
        return w.finish();
    }

    private static long align16(long v) {
        return (v + 15) & ~15L;
    }

    private static void put(byte[] all, int off, byte[] table) {
        System.arraycopy(table, 0, all, off, table.length);
    }

    private static void le(byte[] b, int off, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
