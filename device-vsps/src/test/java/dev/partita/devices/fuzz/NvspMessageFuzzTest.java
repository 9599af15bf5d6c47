package dev.partita.devices.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.devices.net.NetProtocolException;
import dev.partita.devices.net.NvspMessage;
import dev.partita.devices.net.SwitchPort;
import dev.partita.devices.net.VirtualSwitch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Fuzzes the NVSP message parser and the private switch with a sequence of guest messages: the input
 * is cut into records (one length byte, then that many bytes), each parsed as an NVSP message and
 * also sent as a frame from one of two switch ports.
 *
 * <p>Properties: parsing either yields a message or throws {@link NetProtocolException}, never any
 * other exception; a parsed message's fields are the bytes at their documented offsets (INIT,
 * SEND_RNDIS_PKT); no port ever holds more frames than its queue capacity, and every frame the switch
 * takes in is delivered or dropped at each other port, never lost silently.
 *
 * <p>CI runs the seeds in {@code src/test/resources/dev/partita/devices/fuzz/NvspMessageFuzzTestInputs}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes with coverage feedback. This target covers the
 * parser and switch only; there is no NVSP channel state machine to drive yet.
 */
class NvspMessageFuzzTest {
    private static final int CAPACITY = 3;

    @FuzzTest(maxDuration = "3m")
    void anyMessageSequence(byte[] data) {
        VirtualSwitch sw = new VirtualSwitch("fuzz", CAPACITY);
        SwitchPort[] ports = {sw.connect(0), sw.connect(0)};
        int pos = 0;
        int taken = 0;
        while (pos < data.length) {
            int len = Math.min(data[pos] & 0xFF, data.length - pos - 1);
            byte[] rec = Arrays.copyOfRange(data, pos + 1, pos + 1 + len);
            pos += 1 + len;
            check(rec);
            SwitchPort from = ports[rec.length & 1];
            from.send(rec);
            if (rec.length >= 14 && rec.length <= VirtualSwitch.MAX_FRAME) {
                taken++;
            }
        }
        long in = ports[0].counters().framesIn() + ports[1].counters().framesIn();
        assertEquals(taken, in);
        for (SwitchPort p : ports) {
            SwitchPort.Counters c = p.counters();
            assertTrue(c.framesOut() <= CAPACITY, "port queued " + c.framesOut() + " frames");
        }
        // Two ports: every frame taken in from one port is offered to the other exactly once.
        assertEquals(ports[0].counters().framesIn(), ports[1].counters().framesOut() + ports[1].counters().dropped());
        assertEquals(ports[1].counters().framesIn(), ports[0].counters().framesOut() + ports[0].counters().dropped());
    }

    private static void check(byte[] rec) {
        ByteBuffer b = ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN);
        NvspMessage m;
        try {
            m = NvspMessage.parse(b);
        } catch (NetProtocolException e) {
            return;
        }
        switch (m) {
            case NvspMessage.Init i -> {
                assertEquals(b.getInt(4), i.minVersion());
                assertEquals(b.getInt(8), i.maxVersion());
            }
            case NvspMessage.SendRndisPacket p -> {
                assertTrue(p.channelType() == 0 || p.channelType() == 1);
                assertEquals(b.getInt(8), p.sectionIndex());
            }
            default -> assertEquals(b.getInt(0), typeOf(m));
        }
    }

    private static int typeOf(NvspMessage m) {
        return switch (m) {
            case NvspMessage.Init i -> NvspMessage.TYPE_INIT;
            case NvspMessage.SendNdisVersion v -> NvspMessage.TYPE_SEND_NDIS_VERSION;
            case NvspMessage.SendNdisConfig c -> NvspMessage.TYPE_SEND_NDIS_CONFIG;
            case NvspMessage.SendReceiveBuffer r -> NvspMessage.TYPE_SEND_RECV_BUF;
            case NvspMessage.RevokeReceiveBuffer r -> NvspMessage.TYPE_REVOKE_RECV_BUF;
            case NvspMessage.SendSendBuffer s -> NvspMessage.TYPE_SEND_SEND_BUF;
            case NvspMessage.RevokeSendBuffer s -> NvspMessage.TYPE_REVOKE_SEND_BUF;
            case NvspMessage.SendRndisPacket p -> NvspMessage.TYPE_SEND_RNDIS_PKT;
            case NvspMessage.RndisPacketComplete c -> NvspMessage.TYPE_SEND_RNDIS_PKT_COMPLETE;
        };
    }
}
