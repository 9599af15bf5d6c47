package dev.partita.hv.acpi;

/**
 * The fixed-hardware ACPI register block Partita's FADT describes (a PIIX4/ICH-style PM block at
 * port 0x600; the legacy-device package emulates it). Constants only.
 */
public final class AcpiPmRegisters {
    /** PM1a_EVT_BLK: PM1_STS (16 bits, write 1 to clear) then PM1_EN (16 bits). */
    public static final int PM1A_EVT_BLK = 0x600;
    public static final int PM1_EVT_LEN = 4;
    /** PM1a_CNT_BLK: PM1_CNT (16 bits). */
    public static final int PM1A_CNT_BLK = 0x604;
    public static final int PM1_CNT_LEN = 2;
    /** PM_TMR_BLK: the 3.579545 MHz power-management timer (32-bit, TMR_VAL_EXT). */
    public static final int PM_TMR_BLK = 0x608;
    public static final int PM_TMR_LEN = 4;
    /** First port and length of the whole block. */
    public static final int BLOCK_BASE = PM1A_EVT_BLK;
    public static final int BLOCK_LENGTH = 12;
    /** PM timer frequency in Hz. */
    public static final long PM_TIMER_HZ = 3_579_545;
    /** The SCI: ISA IRQ 9, level-triggered, active high (MADT override). */
    public static final int SCI_IRQ = 9;
    /** PM1_CNT bits: SCI_EN (0), SLP_TYP (12:10), SLP_EN (13). */
    public static final int SCI_EN = 1;
    public static final int SLP_TYP_SHIFT = 10;
    public static final int SLP_TYP_MASK = 7 << SLP_TYP_SHIFT;
    public static final int SLP_EN = 1 << 13;
    /** The SLP_TYP value the DSDT's \_S5 package names for soft-off. */
    public static final int S5_SLP_TYP = 5;
    /** PM1_STS bits: TMR_STS (0), PWRBTN_STS (8), WAK_STS (15). */
    public static final int TMR_STS = 1, PWRBTN_STS = 1 << 8, WAK_STS = 1 << 15;

    private AcpiPmRegisters() {}
}
