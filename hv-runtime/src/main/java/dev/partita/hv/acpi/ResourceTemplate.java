package dev.partita.hv.acpi;

import java.io.ByteArrayOutputStream;

/**
 * Builds the resource descriptors of a _CRS buffer (ACPI §6.4): fixed 16-bit I/O ranges, ISA IRQs,
 * bus number ranges a bridge decodes, and the End Tag with its checksum. Not thread-safe; one per template.
 */
public final class ResourceTemplate {
    // Small resource tags (type << 3 | length) and large item tags.
    static final int IRQ_NO_FLAGS = 0x22;
    static final int IO_PORT = 0x47;
    static final int END_TAG = 0x79;
    static final int WORD_ADDRESS_SPACE = 0x88;
    /** Word address space resource type: bus number range. */
    static final int BUS_NUMBER_RANGE = 2;
    /** General flags: producer, positive decode, minimum and maximum fixed (_MIF, _MAF). */
    static final int PRODUCER_MIN_MAX_FIXED = 0x0C;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** IO(Decode16, base, base, 1, length): a fixed range of {@code length} ports (1-255). */
    public ResourceTemplate io(int base, int length) {
        if (base < 0 || base > 0xFFFF || length < 1 || length > 0xFF || base + length > 0x10000) {
            throw new IllegalArgumentException("bad I/O range 0x" + Integer.toHexString(base) + "+" + length);
        }
        out.write(IO_PORT);
        out.write(1); // 16-bit decode
        out.write(base);
        out.write(base >>> 8);
        out.write(base);
        out.write(base >>> 8);
        out.write(1); // alignment
        out.write(length);
        return this;
    }

    /** IRQNoFlags() {irq}: an ISA IRQ 0-15, edge-triggered, active high. */
    public ResourceTemplate irq(int irq) {
        if (irq < 0 || irq > 15) {
            throw new IllegalArgumentException("ISA IRQ " + irq + " outside 0-15");
        }
        int mask = 1 << irq;
        out.write(IRQ_NO_FLAGS);
        out.write(mask);
        out.write(mask >>> 8);
        return this;
    }

    /**
     * WordBusNumber(ResourceProducer, MinFixed, MaxFixed, PosDecode, 0, first, last, 0, count): the bus
     * numbers {@code first}..{@code last} (0-255) a host bridge decodes.
     */
    public ResourceTemplate busNumbers(int first, int last) {
        if (first < 0 || last > 0xFF || first > last) {
            throw new IllegalArgumentException("bad bus range " + first + "-" + last);
        }
        out.write(WORD_ADDRESS_SPACE);
        out.write(13); // length of the rest of the descriptor
        out.write(0);
        out.write(BUS_NUMBER_RANGE);
        out.write(PRODUCER_MIN_MAX_FIXED);
        out.write(0); // type-specific flags
        word(0); // granularity
        word(first);
        word(last);
        word(0); // translation offset
        word(last - first + 1);
        return this;
    }

    private void word(int v) {
        out.write(v);
        out.write(v >>> 8);
    }

    /** The descriptors followed by the End Tag; its checksum byte makes the whole template sum to 0. */
    public byte[] toBytes() {
        byte[] body = out.toByteArray();
        byte[] all = new byte[body.length + 2];
        System.arraycopy(body, 0, all, 0, body.length);
        all[body.length] = END_TAG;
        int sum = 0;
        for (int i = 0; i < body.length + 1; i++) {
            sum += all[i];
        }
        all[body.length + 1] = (byte) -sum;
        return all;
    }

    /** The template as an AML Buffer (the value of a _CRS Name). */
    public byte[] toAmlBuffer() {
        return AmlEncoder.buffer(toBytes());
    }
}
