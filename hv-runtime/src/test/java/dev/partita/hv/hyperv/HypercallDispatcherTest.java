package dev.partita.hv.hyperv;

import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.memory.GuestMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.*;

/** HvPostMessage / HvSignalEvent decoding and every rejection path. */
class HypercallDispatcherTest {
    private static final long INPUT = 0x4000;
    private static final int CONN = 4;

    private final GuestMemory memory = GuestMemory.allocate(64 * 1024);
    private final Map<Integer, SynicConnectionHandler> connections = new ConcurrentHashMap<>();
    private final HypercallDispatcher dispatcher = new HypercallDispatcher(memory, connections);
    private final List<String> calls = new ArrayList<>();
    private int answer = HvStatus.SUCCESS;

    HypercallDispatcherTest() {
        connections.put(CONN, new SynicConnectionHandler() {
            @Override
            public int onPostMessage(int vpIndex, int connectionId, int messageType, byte[] payload) {
                calls.add("post vp=" + vpIndex + " conn=" + connectionId + " type=" + messageType + " " + java.util.HexFormat.of().formatHex(payload));
                return answer;
            }

            @Override
            public int onSignalEvent(int vpIndex, int connectionId, int flagNumber) {
                calls.add("signal vp=" + vpIndex + " conn=" + connectionId + " flag=" + flagNumber);
                return answer;
            }
        });
    }

    @AfterEach
    void close() {
        memory.close();
    }

    private void input(long gpa, long conn, long reserved, long type, long size, byte[] payload) {
        memory.writeU32(gpa, conn);
        memory.writeU32(gpa + 4, reserved);
        memory.writeU32(gpa + 8, type);
        memory.writeU32(gpa + 12, size);
        memory.write(gpa + 16, payload);
    }

    private long call(int vp, long control, long in, long out) {
        return dispatcher.call(vp, new VcpuExit.Hypercall(control, in, out));
    }

    @Test
    void postMessageReachesTheConnectionWithACopyOfThePayload() {
        input(INPUT, CONN, 0, 1, 3, new byte[] {1, 2, 3, 4});
        answer = HvStatus.INSUFFICIENT_BUFFERS;
        assertEquals(HvStatus.INSUFFICIENT_BUFFERS, call(1, 0x5C, INPUT, 0), "handler status in RAX");
        assertEquals(List.of("post vp=1 conn=4 type=1 010203"), calls);
    }

    @Test
    void postMessageOfTheFullSize() {
        byte[] p = new byte[240];
        p[239] = 0x7F;
        input(INPUT, CONN, 0, 0x7FFF_FFFF, 240, p);
        assertEquals(HvStatus.SUCCESS, call(0, 0x5C, INPUT, 0));
        assertTrue(calls.getFirst().endsWith("7f") && calls.getFirst().contains("type=2147483647"), calls.toString());
    }

    @Test
    void badPostMessageInputGetsTheTlfsStatus() {
        input(INPUT, CONN, 0, 1, 241, new byte[0]);
        assertEquals(HvStatus.INVALID_PARAMETER, call(0, 0x5C, INPUT, 0), "payload size > 240");
        input(INPUT, CONN, 0, 0, 4, new byte[0]);
        assertEquals(HvStatus.INVALID_PARAMETER, call(0, 0x5C, INPUT, 0), "type 0");
        input(INPUT, CONN, 0, 0x8000_0001L, 4, new byte[0]);
        assertEquals(HvStatus.INVALID_PARAMETER, call(0, 0x5C, INPUT, 0), "hypervisor message type");
        input(INPUT, CONN, 9, 1, 4, new byte[0]);
        assertEquals(HvStatus.INVALID_PARAMETER, call(0, 0x5C, INPUT, 0), "reserved field");
        input(INPUT, CONN + 1, 0, 1, 4, new byte[0]);
        assertEquals(HvStatus.INVALID_CONNECTION_ID, call(0, 0x5C, INPUT, 0), "unknown connection");
        input(INPUT, CONN, 0, 1, 4, new byte[0]);
        assertEquals(HvStatus.INVALID_ALIGNMENT, call(0, 0x5C, INPUT + 4, 0), "unaligned GPA");
        assertEquals(HvStatus.INVALID_ALIGNMENT, call(0, 0x5C, INPUT + 4096 - 128, 0), "block spans pages");
        assertEquals(HvStatus.INVALID_ALIGNMENT, call(0, 0x5C, 64 * 1024, 0), "GPA outside RAM");
        assertEquals(HvStatus.INVALID_ALIGNMENT, call(0, 0x5C, -8L, 0), "GPA at the top of the address space");
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, call(0, 0x5C | 1L << 16, INPUT, 0), "PostMessage is not a fast call");
        assertTrue(calls.isEmpty(), calls.toString());
    }

    @Test
    void malformedControlValuesAreRejectedBeforeTheInputIsRead() {
        input(INPUT, CONN, 0, 1, 4, new byte[4]);
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, call(0, 0x5C | 1L << 32, INPUT, 0), "rep count");
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, call(0, 0x5C | 1L << 48, INPUT, 0), "rep start");
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, call(0, 0x5C | 1L << 17, INPUT, 0), "variable header");
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, call(0, 0x5C | 1L << 27, INPUT, 0), "reserved bit 27");
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, call(0, 0x5C | 1L << 63, INPUT, 0), "reserved bit 63");
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, call(0, 0x5C | 1L << 31, INPUT, 0), "nested");
        assertTrue(calls.isEmpty());
    }

    @Test
    void unknownCallCodes() {
        for (long code : new long[] {0, 1, 0x2, 0x5B, 0x5E, 0x8001, 0xFFFF}) {
            assertEquals(HvStatus.INVALID_HYPERCALL_CODE, call(0, code, INPUT, 0), "code 0x" + Long.toHexString(code));
        }
    }

    @Test
    void fastSignalEvent() {
        assertEquals(HvStatus.SUCCESS, call(2, 0x5D | 1L << 16, (17L << 32) | CONN, 0));
        assertEquals(List.of("signal vp=2 conn=4 flag=17"), calls);
    }

    @Test
    void slowSignalEventReadsItsInputBlock() {
        memory.writeU64(INPUT, (5L << 32) | CONN);
        assertEquals(HvStatus.SUCCESS, call(0, 0x5D, INPUT, 0));
        assertEquals(HvStatus.INVALID_ALIGNMENT, call(0, 0x5D, INPUT + 1, 0));
        assertEquals(HvStatus.INVALID_ALIGNMENT, call(0, 0x5D, 1L << 40, 0));
        assertEquals(List.of("signal vp=0 conn=4 flag=5"), calls);
    }

    @Test
    void badSignalEventInput() {
        long fast = 0x5D | 1L << 16;
        assertEquals(HvStatus.INVALID_CONNECTION_ID, call(0, fast, CONN + 1, 0));
        assertEquals(HvStatus.INVALID_PARAMETER, call(0, fast, (1L << 48) | CONN, 0), "reserved bits 48-63");
        assertEquals(HvStatus.INVALID_PARAMETER, call(0, fast, (1L << 24) | CONN, 0), "connection id is 24 bits");
        assertTrue(calls.isEmpty());
    }

    @Test
    void aThrowingHandlerBecomesAStatusNotAnException() {
        connections.put(9, new SynicConnectionHandler() {
            @Override
            public int onPostMessage(int vpIndex, int connectionId, int messageType, byte[] payload) {
                throw new IllegalStateException("boom");
            }

            @Override
            public int onSignalEvent(int vpIndex, int connectionId, int flagNumber) {
                throw new IllegalStateException("boom");
            }
        });
        input(INPUT, 9, 0, 1, 0, new byte[0]);
        assertEquals(HvStatus.INVALID_PARAMETER, call(0, 0x5C, INPUT, 0));
        assertEquals(HvStatus.INVALID_PARAMETER, call(0, 0x5D | 1L << 16, 9, 0));
    }

    @Test
    void resultCarriesOnlyTheStatusBits() {
        answer = 0x1_0013;
        assertEquals(0x13, call(0, 0x5D | 1L << 16, CONN, 0), "rep-complete bits stay zero");
    }
}
