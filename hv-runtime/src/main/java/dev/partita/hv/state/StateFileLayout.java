package dev.partita.hv.state;

import java.nio.charset.StandardCharsets;

/**
 * The byte layout of a state file (all integers little-endian):
 * <pre>
 * header   magic "PARTSTAT", u32 format version, u32 body length, body, u32 CRC-32C of all before
 *   body   u64 memory bytes, u32 vCPUs, u16+UTF-8 backend, u32 section count, per section u16+ASCII name
 * section  (repeated, in the order the header lists them)
 *          u16+ASCII name, u32 layout version, u64 payload length, u32 CRC-32C of those fields,
 *          payload, u32 CRC-32C of the payload
 * trailer  magic "PARTEND!"
 * </pre>
 * The section named {@value #MEMORY} holds guest RAM ({@link MemoryImage}). Constants only.
 */
final class StateFileLayout {
    static final byte[] MAGIC = "PARTSTAT".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TRAILER = "PARTEND!".getBytes(StandardCharsets.US_ASCII);
    /** The section that holds guest memory. */
    static final String MEMORY = "memory";
    /** The most bytes a header body may have. */
    static final int MAX_HEADER_BODY = 1 << 20;
    /** The most bytes a section other than memory may have. */
    static final long MAX_SECTION = 64L << 20;

    private StateFileLayout() {
    }
}
