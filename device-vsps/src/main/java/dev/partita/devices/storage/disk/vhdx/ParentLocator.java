package dev.partita.devices.storage.disk.vhdx;

import dev.partita.vmbus.protocol.LittleEndian;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The parent locator of a differencing disk: UTF-16LE key/value pairs naming the parent file and the
 * parent's DataWriteGuid at the time the child was made ({@code parent_linkage}). Known keys:
 * {@code parent_linkage}, {@code parent_linkage2}, {@code relative_path}, {@code volume_path},
 * {@code absolute_win32_path}.
 *
 * @param entries the pairs in file order
 */
record ParentLocator(Map<String, String> entries) {
    static final String LINKAGE = "parent_linkage";
    static final String LINKAGE2 = "parent_linkage2";
    static final String RELATIVE_PATH = "relative_path";
    static final String ABSOLUTE_PATH = "absolute_win32_path";

    private static final int HEADER_SIZE = 20;
    private static final int ENTRY_SIZE = 12;

    ParentLocator {
        entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** Parses the locator item {@code item[0, length)}. */
    static ParentLocator parse(byte[] item, int from, int length) throws VhdxFormatException {
        if (length < HEADER_SIZE) {
            throw new VhdxFormatException("parent locator of " + length + " bytes is shorter than its header");
        }
        UUID type = MsGuid.read(item, from);
        if (!type.equals(VhdxLayout.VHDX_PARENT_LOCATOR_TYPE)) {
            throw new VhdxFormatException("parent locator type " + type + " is not the VHDX parent type");
        }
        int count = LittleEndian.u16(item, from + 18);
        if ((long) HEADER_SIZE + (long) count * ENTRY_SIZE > length) {
            throw new VhdxFormatException("parent locator's " + count + " entries do not fit in its " + length + " bytes");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int at = from + HEADER_SIZE + i * ENTRY_SIZE;
            String key = string(item, from, length, LittleEndian.u32(item, at), LittleEndian.u16(item, at + 8), "key");
            String value = string(item, from, length, LittleEndian.u32(item, at + 4), LittleEndian.u16(item, at + 10), "value");
            if (map.put(key, value) != null) {
                throw new VhdxFormatException("parent locator names key '" + key + "' twice");
            }
        }
        if (!map.containsKey(LINKAGE)) {
            throw new VhdxFormatException("parent locator has no parent_linkage");
        }
        return new ParentLocator(map);
    }

    private static String string(byte[] item, int from, int length, int offset, int bytes, String what) throws VhdxFormatException {
        long off = Integer.toUnsignedLong(offset);
        if (bytes == 0 || bytes % 2 != 0 || off < HEADER_SIZE || off + bytes > length) {
            throw new VhdxFormatException("parent locator " + what + " at " + off + " of " + bytes
                    + " bytes lies outside the locator or is not UTF-16");
        }
        return new String(item, from + (int) off, bytes, StandardCharsets.UTF_16LE);
    }

    byte[] encode() {
        int size = HEADER_SIZE + entries.size() * ENTRY_SIZE;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            size += 2 * (e.getKey().length() + e.getValue().length());
        }
        byte[] b = new byte[size];
        MsGuid.write(b, 0, VhdxLayout.VHDX_PARENT_LOCATOR_TYPE);
        LittleEndian.put16(b, 18, entries.size());
        int at = HEADER_SIZE;
        int data = HEADER_SIZE + entries.size() * ENTRY_SIZE;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_16LE);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_16LE);
            LittleEndian.put32(b, at, data);
            System.arraycopy(k, 0, b, data, k.length);
            data += k.length;
            LittleEndian.put32(b, at + 4, data);
            System.arraycopy(v, 0, b, data, v.length);
            data += v.length;
            LittleEndian.put16(b, at + 8, k.length);
            LittleEndian.put16(b, at + 10, v.length);
            at += ENTRY_SIZE;
        }
        return b;
    }

    /** The parent DataWriteGuid values this child accepts ({@code parent_linkage}, {@code parent_linkage2}). */
    java.util.List<String> linkages() {
        java.util.List<String> l = new java.util.ArrayList<>();
        l.add(entries.get(LINKAGE));
        if (entries.containsKey(LINKAGE2)) {
            l.add(entries.get(LINKAGE2));
        }
        return l;
    }

    /** The linkage text for a GUID: braces, as the format writes it. */
    static String linkageText(UUID guid) {
        return "{" + guid.toString().toUpperCase(java.util.Locale.ROOT) + "}";
    }
}
