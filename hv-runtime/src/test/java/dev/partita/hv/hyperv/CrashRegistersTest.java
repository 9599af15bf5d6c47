package dev.partita.hv.hyperv;

import dev.partita.hv.PartitionResult;
import dev.partita.hv.msr.MsrFault;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/** CRASH_P0-P4 and CRASH_CTL: capabilities, the two ways Linux reports, bad message pages, one report only. */
class CrashRegistersTest {
    private final List<PartitionResult.GuestCrashed> reports = new CopyOnWriteArrayList<>();

    @Test
    void ctlReadsTheCapabilitiesAndParametersRoundTrip() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            CrashRegisters c = new CrashRegisters(f.memory, reports::add);
            assertEquals(HvMsr.CRASH_NOTIFY | HvMsr.CRASH_NOTIFY_MSG, c.read(0, HvMsr.CRASH_CTL));
            for (int i = 0; i < 5; i++) {
                c.write(0, HvMsr.CRASH_P0 + i, 0x100L + i);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(0x100L + i, c.read(0, HvMsr.CRASH_P0 + i));
            }
            c.write(0, HvMsr.CRASH_CTL, 0);
            assertTrue(reports.isEmpty(), "a write without CRASH_NOTIFY reports nothing");
            assertThrows(MsrFault.class, () -> c.write(0, HvMsr.CRASH_CTL, HvMsr.CRASH_NOTIFY | 1));
            assertTrue(reports.isEmpty());
        }
    }

    @Test
    void registerReportCarriesTheParameters() throws Exception {
        try (SynicFixture f = new SynicFixture(2)) {
            CrashRegisters c = new CrashRegisters(f.memory, reports::add);
            long[] p = {0xE, 0x8100L << 48, 0xFFFF_FFFF_8100_0000L, 0x1234, 0xFFFF_C900_0000_0000L};
            for (int i = 0; i < 5; i++) {
                c.write(1, HvMsr.CRASH_P0 + i, p[i]);
            }
            c.write(1, HvMsr.CRASH_CTL, HvMsr.CRASH_NOTIFY);
            assertEquals(1, reports.size());
            PartitionResult.GuestCrashed r = reports.get(0);
            assertEquals(1, r.vpIndex());
            assertEquals(List.of(p[0], p[1], p[2], p[3], p[4]), r.parameters());
            assertEquals("", r.message());
            assertTrue(r.report().contains("guest crash") && r.report().contains("0xffffffff81000000"), r.report());
            assertEquals(125, r.exitStatus());
        }
    }

    @Test
    void messageReportReadsThePage() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            CrashRegisters c = new CrashRegisters(f.memory, reports::add);
            byte[] text = "Kernel panic - not syncing: sysrq triggered crash\n".getBytes(StandardCharsets.US_ASCII);
            f.memory.write(0x8000, text);
            c.write(0, HvMsr.CRASH_P0 + 3, 0x8000);
            c.write(0, HvMsr.CRASH_P4, text.length);
            c.write(0, HvMsr.CRASH_CTL, HvMsr.CRASH_NOTIFY | HvMsr.CRASH_NOTIFY_MSG);
            assertEquals("Kernel panic - not syncing: sysrq triggered crash\n", reports.get(0).message());
            assertTrue(reports.get(0).report().contains("sysrq triggered crash"));
            c.write(0, HvMsr.CRASH_CTL, HvMsr.CRASH_NOTIFY);
            assertEquals(1, reports.size(), "only the first report counts");
        }
    }

    @Test
    void unreadableMessagesAreReportedAsSuch() throws Exception {
        for (long[] bad : new long[][] {{0x8000, 4097}, {0x8000, 0}, {0x8000, -1}, {0x10_0000_0000L, 100}, {(1 << 20) - 10, 100}}) {
            reports.clear();
            try (SynicFixture f = new SynicFixture(1)) {
                CrashRegisters c = new CrashRegisters(f.memory, reports::add);
                c.write(0, HvMsr.CRASH_P0 + 3, bad[0]);
                c.write(0, HvMsr.CRASH_P4, bad[1]);
                c.write(0, HvMsr.CRASH_CTL, HvMsr.CRASH_NOTIFY | HvMsr.CRASH_NOTIFY_MSG);
                assertEquals(1, reports.size());
                assertTrue(reports.get(0).message().startsWith("(crash message"), reports.get(0).message());
                assertEquals(bad[0], reports.get(0).parameters().get(3));
            }
        }
    }
}
