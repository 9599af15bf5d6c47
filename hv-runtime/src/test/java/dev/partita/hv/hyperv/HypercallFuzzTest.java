package dev.partita.hv.hyperv;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.fuzz.FuzzScript;
import dev.partita.hv.memory.GuestMemory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the hypercall interface through the real {@link HypercallDispatcher}: any control word
 * (call code, fast bit, rep count and start, variable header size, nested and reserved bits), any
 * input GPA (unaligned, spanning a page, outside RAM) and any input block contents for
 * HvPostMessage and HvSignalEvent (fast and memory forms), routed to connection handlers that
 * answer a guest-chosen status or throw.
 *
 * <p>Properties: {@code call} never throws; the result is one 16-bit status with zero reps
 * completed; it is the status the TLFS rules give for the input (computed here independently from
 * the same guest memory: 0x0002 for other call codes, 0x0003 for a malformed control or a fast
 * post, 0x0004 for an unaligned / page-spanning / non-RAM input, 0x0005 for reserved bits, type 0
 * or bit 31, or a payload over 240 bytes, 0x0012 for an unknown connection, else the handler's
 * answer, 0x0005 when the handler throws); a handler is called exactly when the input is valid, with
 * the connection id, type, payload bytes and flag number the guest wrote.
 *
 * <p>CI runs the seeds in {@code src/test/resources/dev/partita/hv/hyperv/HypercallFuzzTestInputs}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes with coverage feedback.
 */
class HypercallFuzzTest {
    static final long MEMORY_BYTES = 64 * 1024;
    /** Connection ids with a handler; any other id is unknown. */
    static final int[] CONNECTIONS = {1, 4, 0x10001};
    private static final GuestMemory MEMORY = GuestMemory.allocate(MEMORY_BYTES);
    static long executions;
    /** Rejected guest input is logged, which would flood a fuzzing run. */
    static {
        dev.partita.hv.log.LogLevels.set("dev.partita.hv", System.Logger.Level.OFF);
    }

    @AfterAll
    static void report() {
        System.out.println("HypercallFuzzTest: " + executions + " inputs executed");
    }

    @FuzzTest(maxDuration = "3m")
    void anyHypercall(byte[] data) {
        run(data);
    }

    /** Deterministic complement for CI: random calls biased toward the two implemented codes and valid blocks. */
    @Test
    void randomCallsGetTheTlfsStatus() {
        SplittableRandom rng = new SplittableRandom(0x5C5D);
        for (int n = 0; n < 2_000; n++) {
            byte[] b = new byte[rng.nextInt(8, 300)];
            rng.nextBytes(b);
            for (int i = 0; i < b.length; i += 1 + rng.nextInt(12)) {
                b[i] = (byte) rng.nextInt(4);
            }
            run(b);
        }
    }

    /** One handler call as seen by the connection. */
    record Call(String what) {
    }

    static void run(byte[] data) {
        executions++;
        MEMORY.fill(0, MEMORY_BYTES, (byte) 0);
        FuzzScript s = new FuzzScript(data);
        List<Call> calls = new ArrayList<>();
        int[] answer = {HvStatus.SUCCESS};
        boolean[] throwing = {false};
        Map<Integer, SynicConnectionHandler> connections = new ConcurrentHashMap<>();
        for (int id : CONNECTIONS) {
            connections.put(id, new SynicConnectionHandler() {
                @Override
                public int onPostMessage(int vpIndex, int connectionId, int messageType, byte[] payload) {
                    calls.add(new Call("post " + vpIndex + " " + connectionId + " " + messageType + " " + HexFormat.of().formatHex(payload)));
                    if (throwing[0]) {
                        throw new IllegalStateException("handler failure chosen by the input");
                    }
                    return answer[0];
                }

                @Override
                public int onSignalEvent(int vpIndex, int connectionId, int flagNumber) {
                    calls.add(new Call("signal " + vpIndex + " " + connectionId + " " + flagNumber));
                    if (throwing[0]) {
                        throw new IllegalStateException("handler failure chosen by the input");
                    }
                    return answer[0];
                }
            });
        }
        HypercallDispatcher dispatcher = new HypercallDispatcher(MEMORY, connections);
        for (int step = 0; step < 48 && s.more(); step++) {
            switch (s.u8() % 4) {
                case 0 -> writeBlock(s);
                case 1 -> {
                    long gpa = (s.u32() & 0x7FFF_FFFFL) % MEMORY_BYTES;
                    byte[] b = s.bytes(s.u8() % 32);
                    MEMORY.write(gpa, b, 0, (int) Math.min(b.length, MEMORY_BYTES - gpa));
                }
                case 2 -> {
                    answer[0] = s.u32();
                    throwing[0] = s.u8() == 0xEE;
                }
                default -> {
                    int vp = s.u8() % 4;
                    long control = control(s);
                    long input = gpa(s);
                    calls.clear();
                    Expected e = expected(control, input, vp, answer[0], throwing[0]);
                    long result = dispatcher.call(vp, new VcpuExit.Hypercall(control, input, gpa(s)));
                    assertEquals(0, result & ~0xFFFFL, "only a status, zero reps completed: 0x" + Long.toHexString(result));
                    assertEquals(e.status(), (int) result, "status for control 0x" + Long.toHexString(control)
                            + " input 0x" + Long.toHexString(input));
                    assertEquals(e.call() == null ? List.of() : List.of(e.call()), calls, "handler calls");
                }
            }
        }
    }

    /** Writes an HvPostMessage block or an HvSignalEvent value with plausible fields at a chosen GPA. */
    private static void writeBlock(FuzzScript s) {
        long gpa = gpa(s);
        if (!MEMORY.isRam(gpa, 16)) {
            return;
        }
        int conn = s.bit() ? CONNECTIONS[s.u8() % CONNECTIONS.length] : s.u32();
        if (s.bit()) { // HvSignalEvent input: connection id, flag number
            MEMORY.writeU64(gpa, Integer.toUnsignedLong(conn) | (long) s.u16() << 32 | (s.u8() == 0xFF ? s.u64() & 0xFFFF_0000_0000_0000L : 0));
            return;
        }
        MEMORY.writeU32(gpa, Integer.toUnsignedLong(conn));
        MEMORY.writeU32(gpa + 4, s.u8() == 0xFF ? s.u32() : 0);
        MEMORY.writeU32(gpa + 8, s.bit() ? 1 + s.u8() : s.u32());
        int size = s.bit() ? s.u8() % 241 : s.u32();
        MEMORY.writeU32(gpa + 12, Integer.toUnsignedLong(size));
        byte[] payload = s.bytes(Math.min(240, s.u8()));
        MEMORY.write(gpa + 16, payload, 0, (int) Math.min(payload.length, MEMORY_BYTES - gpa - 16));
    }

    private static long control(FuzzScript s) {
        return switch (s.u8() % 4) {
            case 0 -> s.u64();
            case 1 -> (s.bit() ? HypercallControl.CALL_SIGNAL_EVENT : HypercallControl.CALL_POST_MESSAGE) | (s.bit() ? 1L << 16 : 0)
                    | 1L << (17 + s.u8() % 47);                   // one stray bit
            default -> (s.bit() ? HypercallControl.CALL_SIGNAL_EVENT : HypercallControl.CALL_POST_MESSAGE) | (s.bit() ? 1L << 16 : 0);
        };
    }

    private static long gpa(FuzzScript s) {
        return switch (s.u8() % 4) {
            case 0 -> s.u64();
            case 1 -> (long) (s.u8() % 20) << 12 | (s.u16() & 0xFFF);    // any offset, pages past RAM too
            default -> (long) (s.u8() % 16) << 12 | (s.u8() % 32) * 8;   // aligned, near the page start
        };
    }

    /** The status and handler call the TLFS rules give for this call against the current memory. */
    record Expected(int status, Call call) {
    }

    private static Expected expected(long control, long input, int vp, int answer, boolean throwing) {
        int code = (int) (control & 0xFFFF);
        if (code != 0x5C && code != 0x5D) {
            return new Expected(HvStatus.INVALID_HYPERCALL_CODE, null);
        }
        long malformed = (0x3FFL << 17) | (0xFL << 27) | (1L << 31) | (0xFFFL << 32) | (0xFL << 44) | (0xFFFL << 48) | (0xFL << 60);
        if ((control & malformed) != 0) {
            return new Expected(HvStatus.INVALID_HYPERCALL_INPUT, null);
        }
        boolean fast = (control & (1L << 16)) != 0;
        Call call;
        int connection;
        if (code == 0x5C) {
            if (fast) {
                return new Expected(HvStatus.INVALID_HYPERCALL_INPUT, null);
            }
            if ((input & 7) != 0 || (input & 0xFFF) + 256 > 4096 || input < 0 || input > MEMORY_BYTES - 256) {
                return new Expected(HvStatus.INVALID_ALIGNMENT, null);
            }
            connection = (int) MEMORY.readU32(input);
            long type = MEMORY.readU32(input + 8);
            long size = MEMORY.readU32(input + 12);
            if (MEMORY.readU32(input + 4) != 0 || type == 0 || type >= 0x8000_0000L || size > 240) {
                return new Expected(HvStatus.INVALID_PARAMETER, null);
            }
            call = new Call("post " + vp + " " + connection + " " + type + " "
                    + HexFormat.of().formatHex(MEMORY.read(input + 16, (int) size)));
        } else {
            long value = input;
            if (!fast) {
                if ((input & 7) != 0 || input < 0 || input > MEMORY_BYTES - 8) {
                    return new Expected(HvStatus.INVALID_ALIGNMENT, null);
                }
                value = MEMORY.readU64(input);
            }
            if ((value & 0xFFFF_0000_FF00_0000L) != 0) {
                return new Expected(HvStatus.INVALID_PARAMETER, null);
            }
            connection = (int) (value & 0xFF_FFFF);
            call = new Call("signal " + vp + " " + connection + " " + ((value >>> 32) & 0xFFFF));
        }
        if (!java.util.Arrays.stream(CONNECTIONS).anyMatch(c -> c == connection)) {
            return new Expected(HvStatus.INVALID_CONNECTION_ID, null);
        }
        return new Expected(throwing ? HvStatus.INVALID_PARAMETER : answer & 0xFFFF, call);
    }
}
