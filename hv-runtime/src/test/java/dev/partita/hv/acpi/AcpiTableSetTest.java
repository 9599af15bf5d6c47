package dev.partita.hv.acpi;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class AcpiTableSetTest {
    private static final long BASE = 0xE0000;

    /** Splits the blob into tables by following RSDP → XSDT → FADT → DSDT/FACS, checking each checksum. */
    private static Map<String, byte[]> tables(AcpiTables t) {
        ByteBuffer b = ByteBuffer.wrap(t.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, byte[]> out = new LinkedHashMap<>();
        int rsdp = (int) (t.rsdpAddress() - BASE);
        assertEquals("RSD PTR ", new String(t.bytes(), rsdp, 8, StandardCharsets.US_ASCII));
        assertEquals(0, sum(t.bytes(), rsdp, 20), "RSDP checksum (first 20 bytes)");
        assertEquals(0, sum(t.bytes(), rsdp, 36), "RSDP extended checksum");
        out.put("RSDP", slice(t.bytes(), rsdp, 36));
        int xsdt = (int) (b.getLong(rsdp + 24) - BASE);
        out.put("XSDT", table(t.bytes(), xsdt));
        out.put("RSDT", table(t.bytes(), (int) (b.getInt(rsdp + 16) - BASE)));
        int entries = (b.getInt(xsdt + 4) - 36) / 8;
        for (int i = 0; i < entries; i++) {
            int at = (int) (b.getLong(xsdt + 36 + 8 * i) - BASE);
            byte[] tbl = table(t.bytes(), at);
            out.put(new String(tbl, 0, 4, StandardCharsets.US_ASCII), tbl);
        }
        byte[] fadt = out.get("FACP");
        ByteBuffer f = ByteBuffer.wrap(fadt).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(f.getInt(40), f.getLong(140), "DSDT and X_DSDT agree");
        out.put("DSDT", table(t.bytes(), (int) (f.getLong(140) - BASE)));
        int facs = (int) (f.getLong(132) - BASE);
        assertEquals(0, facs % 64, "FACS 64-byte aligned");
        out.put("FACS", slice(t.bytes(), facs, 64));
        return out;
    }

    private static byte[] table(byte[] all, int at) {
        int len = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getInt(at + 4);
        assertTrue(len >= 36 && at + len <= all.length, "table length " + len);
        assertEquals(0, sum(all, at, len), "checksum of " + new String(all, at, 4, StandardCharsets.US_ASCII));
        return slice(all, at, len);
    }

    private static byte[] slice(byte[] all, int at, int len) {
        return java.util.Arrays.copyOfRange(all, at, at + len);
    }

    private static int sum(byte[] b, int off, int len) {
        int s = 0;
        for (int i = off; i < off + len; i++) {
            s += b[i];
        }
        return s & 0xFF;
    }

    @Test
    void tablesAreLinkedAndChecksummed() {
        Map<String, byte[]> t = tables(AcpiTableSet.build(new AcpiPlatform(3, true), BASE));
        assertEquals(List.of("RSDP", "XSDT", "RSDT", "FACP", "APIC", "MCFG", "DSDT", "FACS"), new ArrayList<>(t.keySet()));
        assertEquals(276, t.get("FACP").length, "FADT revision 6 length");
        // MADT: 3 local APICs + I/O APIC + 2 overrides + NMI
        byte[] madt = t.get("APIC");
        assertEquals(44 + 3 * 8 + 12 + 2 * 10 + 6, madt.length);
        // MCFG: header, 8 reserved bytes, one 16-byte allocation for segment 0, buses 0..LAST_BUS
        ByteBuffer mcfg = ByteBuffer.wrap(t.get("MCFG")).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(36 + 8 + 16, mcfg.capacity());
        assertEquals(PciConfigWindow.BASE, mcfg.getLong(44));
        assertEquals(0, mcfg.getShort(52), "segment");
        assertEquals(0, mcfg.get(54), "start bus");
        assertEquals(PciConfigWindow.LAST_BUS, mcfg.get(55), "end bus");
    }

    @Test
    void iaslDisassemblesTheTablesAsDescribed(@TempDir Path dir) throws Exception {
        Path iasl = findIasl();
        Map<String, byte[]> t = tables(AcpiTableSet.build(new AcpiPlatform(2, true), BASE));
        String madt = disassemble(iasl, dir, "apic", t.get("APIC"));
        assertContains(madt, "Signature : \"APIC\"");
        assertContains(madt, "Local Apic Address : FEE00000");
        assertContains(madt, "PC-AT Compatibility : 1");
        assertCount(madt, "Subtable Type : 00 [Processor Local APIC]", 2);
        assertContains(madt, "Local Apic ID : 01");
        assertContains(madt, "Subtable Type : 01 [I/O APIC]");
        assertContains(madt, "Address : FEC00000");
        assertContains(madt, "Interrupt : 00000000");
        assertCount(madt, "Subtable Type : 02 [Interrupt Source Override]", 2);
        assertContains(madt, "Source : 00\n" + "Interrupt : 00000002");
        assertContains(madt, "Source : 09\n" + "Interrupt : 00000009");
        assertContains(madt, "Trigger Mode : 3");
        assertContains(madt, "Subtable Type : 04 [Local APIC NMI]");
        assertNoErrors(madt);

        String fadt = disassemble(iasl, dir, "facp", t.get("FACP"));
        assertContains(fadt, "Signature : \"FACP\"");
        assertContains(fadt, "SCI Interrupt : 0009");
        assertContains(fadt, "PM1A Event Block Address : 00000600");
        assertContains(fadt, "PM1A Control Block Address : 00000604");
        assertContains(fadt, "PM Timer Block Address : 00000608");
        assertContains(fadt, "Hardware Reduced (V5) : 0");
        assertContains(fadt, "32-bit PM Timer (V1) : 1");
        assertContains(fadt, "8042 Present on ports 60/64 (V2) : 1");
        assertNoErrors(fadt);

        String mcfg = disassemble(iasl, dir, "mcfg", t.get("MCFG"));
        assertContains(mcfg, "Signature : \"MCFG\"");
        assertContains(mcfg, "Base Address : 00000000E0000000");
        assertContains(mcfg, "Segment Group Number : 0000");
        assertContains(mcfg, "Start Bus Number : 00");
        assertContains(mcfg, "End Bus Number : 00");
        assertNoErrors(mcfg);

        String dsdt = disassemble(iasl, dir, "dsdt", t.get("DSDT"));
        assertContains(dsdt, "Device (COM1)");
        assertContains(dsdt, "Name (_HID, EisaId (\"PNP0501\")");
        assertContains(dsdt, "IO (Decode16,\n0x03F8,\n0x03F8,\n0x01,\n0x08,");
        assertContains(dsdt, "IRQNoFlags ()\n{4}");
        assertContains(dsdt, "Name (_HID, EisaId (\"PNP0303\")");
        assertContains(dsdt, "Name (_HID, EisaId (\"PNP0B00\")");
        assertContains(dsdt, "Device (PCI0)");
        assertContains(dsdt, "Name (_HID, EisaId (\"PNP0A03\")");
        assertContains(dsdt, "WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,\n0x0000,\n0x0000,\n0x0000,\n"
                + "0x0000,\n0x0001,");
        assertContains(dsdt, "Device (VMBS)");
        assertContains(dsdt, "Name (_HID, \"VMBUS\")");
        assertContains(dsdt, "Name (_CID, \"VMBUS\")");
        assertContains(dsdt, "Name (\\_S5, Package (0x04)");
        assertContains(dsdt, "Return (0x0F)");
        assertNoErrors(dsdt);

        String noVmbus = disassemble(iasl, dir, "dsdt2", tables(AcpiTableSet.build(new AcpiPlatform(1, false), BASE)).get("DSDT"));
        assertFalse(noVmbus.contains("VMBS"), "VMBus device only behind the flag");
        assertContains(noVmbus, "Device (COM1)");
    }

    /** Whitespace-normalised (runs of blanks collapsed, offsets and // comments dropped): column alignment does not matter. */
    private static void assertContains(String text, String expected) {
        String t = normalise(text);
        String e = normalise(expected).strip();
        assertTrue(t.contains(e), "disassembly lacks «" + expected + "»:\n" + text);
    }

    private static void assertCount(String text, String expected, int n) {
        String t = normalise(text);
        String e = normalise(expected).strip();
        int count = 0;
        for (int i = t.indexOf(e); i >= 0; i = t.indexOf(e, i + 1)) {
            count++;
        }
        assertEquals(n, count, "occurrences of «" + expected + "»");
    }

    private static void assertNoErrors(String text) {
        assertFalse(text.contains("**** "), "iasl flagged a problem:\n" + text);
        assertFalse(text.toLowerCase().contains("invalid"), "iasl flagged a problem:\n" + text);
    }

    private static String normalise(String s) {
        StringBuilder out = new StringBuilder();
        for (String line : s.split("\n")) {
            String l = line.replaceAll("^\\s*(\\[[0-9A-Fa-f]{3,4}h [0-9]{4} [0-9 ]{2,4}\\])?\\s*", "").replaceAll("\\s*//.*$", "").replaceAll("\\s+", " ").strip();
            if (!l.isEmpty()) {
                out.append(l).append('\n');
            }
        }
        return out.toString();
    }

    private static String disassemble(Path iasl, Path dir, String name, byte[] table) throws IOException, InterruptedException {
        Path in = dir.resolve(name + ".dat");
        Files.write(in, table);
        Process p = new ProcessBuilder(iasl.toString(), "-d", in.toString()).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        Path out = dir.resolve(name + ".dsl");
        assertTrue(Files.exists(out) && Files.size(out) > 0, "iasl produced no output:\n" + log);
        return Files.readString(out, StandardCharsets.ISO_8859_1);
    }

    /** iasl from acpica-tools; installs the package when root and apt-get exist, else skips with the reason. */
    private static Path findIasl() throws Exception {
        for (String d : new String[] {"/usr/bin", "/usr/local/bin", "/usr/sbin"}) {
            if (Files.isExecutable(Path.of(d, "iasl"))) {
                return Path.of(d, "iasl");
            }
        }
        String reason = null;
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            reason = "iasl (Debian package acpica-tools) is not installed and this test is not root with apt-get to install it";
        } else {
            Process p = new ProcessBuilder("apt-get", "install", "-y", "-q", "acpica-tools").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isExecutable(Path.of("/usr/bin/iasl"))) {
                p.destroy();
                reason = "installing acpica-tools with apt-get failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")";
            }
        }
        if (reason != null) {
            System.out.println("SKIP iasl disassembly: " + reason);
            Assumptions.assumeTrue(false, reason);
        }
        return Path.of("/usr/bin/iasl");
    }
}
