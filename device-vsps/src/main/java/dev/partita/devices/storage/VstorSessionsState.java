package dev.partita.devices.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The storage VSP's saved state, version 1, little-endian: u32 version, u32 channel count, then per
 * channel u32 relid, u32 session code (0 opened, 1 initializing, 2 versioned, 3 ready) and u32
 * agreed protocol version (major << 8 | minor, 0 when none). Reading checks every field: a
 * versioned or ready session must name a supported version, an opened or initializing one none.
 *
 * <p><b>Threads.</b> Stateless.
 */
final class VstorSessionsState {
    static final int FORMAT = 1;
    private static final int HEADER = 8;
    private static final int PER_CHANNEL = 12;

    private VstorSessionsState() {
    }

    static byte[] write(Map<Integer, VstorSession> byRelid) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + byRelid.size() * PER_CHANNEL).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(FORMAT).putInt(byRelid.size());
        byRelid.forEach((relid, s) -> {
            int[] codeAndVersion = switch (s) {
                case VstorSession.Opened o -> new int[]{0, 0};
                case VstorSession.Initializing i -> new int[]{1, 0};
                case VstorSession.Versioned v -> new int[]{2, v.version().wire()};
                case VstorSession.Ready r -> new int[]{3, r.version().wire()};
            };
            b.putInt(relid).putInt(codeAndVersion[0]).putInt(codeAndVersion[1]);
        });
        return b.array();
    }

    /** The sessions by relid, in saved order. */
    static Map<Integer, VstorSession> read(byte[] state) throws StorageProtocolException {
        if (state.length < HEADER) {
            throw bad("saved state of " + state.length + " bytes has no header");
        }
        ByteBuffer b = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
        int format = b.getInt();
        if (format != FORMAT) {
            throw bad("saved state format " + format + " (" + FORMAT + " known)");
        }
        int n = b.getInt();
        if (n < 0 || n > (state.length - HEADER) / PER_CHANNEL) {
            throw bad("saved state with a channel count of " + n + " in " + state.length + " bytes");
        }
        Map<Integer, VstorSession> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int relid = b.getInt();
            int code = b.getInt();
            int wire = b.getInt();
            VstorSession s = switch (code) {
                case 0 -> none(relid, wire, VstorSession.OPENED);
                case 1 -> none(relid, wire, VstorSession.INITIALIZING);
                case 2 -> new VstorSession.Versioned(version(relid, wire));
                case 3 -> new VstorSession.Ready(version(relid, wire));
                default -> throw bad("channel " + relid + ": session code " + code);
            };
            out.put(relid, s);
        }
        return out;
    }

    /** A session that has agreed no version yet; its saved version field must be 0. */
    private static VstorSession none(int relid, int wire, VstorSession session) throws StorageProtocolException {
        if (wire != 0) {
            throw bad("channel " + relid + ": protocol version 0x" + Integer.toHexString(wire) + " before one was agreed");
        }
        return session;
    }

    private static VstorProtocolVersion version(int relid, int wire) throws StorageProtocolException {
        VstorProtocolVersion v = VstorProtocolVersion.of(wire);
        if (v == null) {
            throw bad("channel " + relid + ": protocol version 0x" + Integer.toHexString(wire) + " is not supported");
        }
        return v;
    }

    private static StorageProtocolException bad(String message) {
        return new StorageProtocolException(StorageProtocolException.Reason.BAD_SAVED_STATE, message);
    }
}
