package dev.partita.devices.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How the host divides a guest buffer into equal sections, and the completion message that tells the
 * guest: the receive buffer as one section of {@code count} sub-allocations of {@code sectionSize}
 * bytes (SEND_RECV_BUF_COMPLETE, which Linux refuses unless there is exactly one section at offset
 * 0), the send buffer as sections of {@code sectionSize} bytes (SEND_SEND_BUF_COMPLETE, which Linux
 * refuses when the size is 0). Immutable.
 */
public record BufferLayout(int bufferBytes, int sectionSize, int count) {
    /** Receive sub-allocation size: a 1514-byte frame plus its RNDIS header, rounded up. */
    public static final int RECEIVE_SECTION = 1728;
    /** Send section size Linux expects by default. */
    public static final int SEND_SECTION = 6144;

    /** The sections of a {@code bufferBytes} buffer; throws when not even one section fits. */
    public static BufferLayout of(long bufferBytes, int sectionSize) throws NetProtocolException {
        if (sectionSize <= 0) {
            throw new IllegalArgumentException("section size " + sectionSize);
        }
        if (bufferBytes < sectionSize || bufferBytes > Integer.MAX_VALUE) {
            throw new NetProtocolException("a buffer of " + bufferBytes + " bytes cannot hold sections of "
                    + sectionSize + " bytes (at most " + Integer.MAX_VALUE + " bytes)");
        }
        return new BufferLayout((int) bufferBytes, sectionSize, (int) (bufferBytes / sectionSize));
    }

    /** True when section {@code index} (unsigned) exists and {@code length} bytes fit inside it. */
    public boolean fits(int index, int length) {
        return Integer.toUnsignedLong(index) < count && length >= 0 && length <= sectionSize;
    }

    /** SEND_RECV_BUF_COMPLETE: status, one section {offset 0, sub-alloc size, count, end offset}. */
    public ByteBuffer receiveComplete(int status) {
        ByteBuffer b = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        return b.putInt(0, NvspMessage.TYPE_SEND_RECV_BUF_COMPLETE).putInt(4, status).putInt(8, 1)
                .putInt(12, 0).putInt(16, sectionSize).putInt(20, count).putInt(24, sectionSize * count);
    }

    /** SEND_SEND_BUF_COMPLETE: status, section size. */
    public ByteBuffer sendComplete(int status) {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        return b.putInt(0, NvspMessage.TYPE_SEND_SEND_BUF_COMPLETE).putInt(4, status).putInt(8, sectionSize);
    }
}
