package dev.partita.vmbus.ring;

/**
 * The data area of one ring (after its 4 KiB header page), addressed by byte offset
 * {@code 0 <= at < size()}. Callers never cross {@link #size()} (wrap-around is the ring's job);
 * implementations still stay inside the guest pages they were built from, because each page is
 * a bounds-limited view obtained from {@code GuestMemory.segment}.
 *
 * <p>Accesses are plain; ordering against the indices is done by {@link RingBuffer}.
 */
public sealed interface RingData permits ContiguousRingData, PagedRingData {
    int size();

    void read(int at, byte[] dst, int off, int len);

    void write(int at, byte[] src, int off, int len);

    /** The u64 at 8-byte aligned {@code at}. */
    long getLong(int at);

    /** Stores a u64 at 8-byte aligned {@code at}. */
    void putLong(int at, long value);
}
