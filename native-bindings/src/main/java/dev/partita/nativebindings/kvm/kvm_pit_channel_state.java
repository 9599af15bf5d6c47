package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_pit_channel_state}.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_pit_channel_state {
    private kvm_pit_channel_state() {}

    public static final long OFFSET_count = 0;
    public static final long OFFSET_latched_count = 4;
    public static final long OFFSET_count_latched = 6;
    public static final long OFFSET_status_latched = 7;
    public static final long OFFSET_status = 8;
    public static final long OFFSET_read_state = 9;
    public static final long OFFSET_write_state = 10;
    public static final long OFFSET_write_latch = 11;
    public static final long OFFSET_rw_mode = 12;
    public static final long OFFSET_mode = 13;
    public static final long OFFSET_bcd = 14;
    public static final long OFFSET_gate = 15;
    public static final long OFFSET_count_load_time = 16;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("count"),
            ValueLayout.JAVA_SHORT.withName("latched_count"),
            ValueLayout.JAVA_BYTE.withName("count_latched"),
            ValueLayout.JAVA_BYTE.withName("status_latched"),
            ValueLayout.JAVA_BYTE.withName("status"),
            ValueLayout.JAVA_BYTE.withName("read_state"),
            ValueLayout.JAVA_BYTE.withName("write_state"),
            ValueLayout.JAVA_BYTE.withName("write_latch"),
            ValueLayout.JAVA_BYTE.withName("rw_mode"),
            ValueLayout.JAVA_BYTE.withName("mode"),
            ValueLayout.JAVA_BYTE.withName("bcd"),
            ValueLayout.JAVA_BYTE.withName("gate"),
            ValueLayout.JAVA_LONG.withName("count_load_time")).withName("kvm_pit_channel_state");

    /** The memory layout of {@code struct kvm_pit_channel_state}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_pit_channel_state)}. */
    public static long sizeof() {
        return LAYOUT.byteSize();
    }

    /** Allocates one zeroed struct. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(LAYOUT);
    }

    /** Allocates a zeroed array of {@code count} structs. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(LAYOUT, count);
    }

    /** Element {@code index} of an array of these structs. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * LAYOUT.byteSize(), LAYOUT.byteSize());
    }

    public static int count(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_count);
    }

    public static void count(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_count, v);
    }

    public static short latched_count(MemorySegment s) {
        return s.get(ValueLayout.JAVA_SHORT, OFFSET_latched_count);
    }

    public static void latched_count(MemorySegment s, short v) {
        s.set(ValueLayout.JAVA_SHORT, OFFSET_latched_count, v);
    }

    public static byte count_latched(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_count_latched);
    }

    public static void count_latched(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_count_latched, v);
    }

    public static byte status_latched(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_status_latched);
    }

    public static void status_latched(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_status_latched, v);
    }

    public static byte status(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_status);
    }

    public static void status(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_status, v);
    }

    public static byte read_state(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_read_state);
    }

    public static void read_state(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_read_state, v);
    }

    public static byte write_state(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_write_state);
    }

    public static void write_state(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_write_state, v);
    }

    public static byte write_latch(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_write_latch);
    }

    public static void write_latch(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_write_latch, v);
    }

    public static byte rw_mode(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_rw_mode);
    }

    public static void rw_mode(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_rw_mode, v);
    }

    public static byte mode(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_mode);
    }

    public static void mode(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_mode, v);
    }

    public static byte bcd(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_bcd);
    }

    public static void bcd(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_bcd, v);
    }

    public static byte gate(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_gate);
    }

    public static void gate(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_gate, v);
    }

    public static long count_load_time(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_count_load_time);
    }

    public static void count_load_time(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_count_load_time, v);
    }

}
