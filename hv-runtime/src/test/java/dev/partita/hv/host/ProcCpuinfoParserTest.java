package dev.partita.hv.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcCpuinfoParserTest {

    private static final String TEXT = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            cpu family\t: 6
            model\t\t: 143
            model name\t: Intel(R) Xeon(R) Platinum 8480+
            stepping\t: 8
            flags\t\t: fpu vme vmx hypervisor lm
            vmx flags\t: vnmi preemption_timer ept vpid

            processor\t: 1
            vendor_id\t: SomethingElse
            flags\t\t: svm
            """;

    @Test
    void firstProcessorOnly() {
        CpuinfoFacts f = ProcCpuinfoParser.parse(TEXT);
        assertEquals("GenuineIntel", f.vendorId());
        assertEquals(6, f.family());
        assertEquals(143, f.model());
        assertEquals(8, f.stepping());
        assertEquals("Intel(R) Xeon(R) Platinum 8480+", f.modelName());
        assertTrue(f.flags().contains("vmx"));
        assertFalse(f.flags().contains("svm"), "the second processor's flags are not mixed in");
        assertTrue(f.has("ept"), "vmx flags count for has()");
    }

    @Test
    void crossCheckReportsEachDisagreement() {
        CpuinfoFacts f = ProcCpuinfoParser.parse(TEXT);
        CpuIdentity same = new CpuIdentity("GenuineIntel", 6, 143, 8, "x", 0x20, 0x80000008,
                true, false, true, Optional.empty(), Optional.empty());
        assertTrue(CpuCrossCheck.compare(same, f).agrees());
        CpuIdentity differs = new CpuIdentity("AuthenticAMD", 6, 143, 8, "x", 0x20, 0x80000008,
                false, false, true, Optional.empty(), Optional.empty());
        CpuCrossCheck check = CpuCrossCheck.compare(differs, f);
        assertEquals(2, check.mismatches().size(), check.mismatches().toString());
        assertTrue(check.mismatches().get(0).startsWith("vendor"));
        assertTrue(check.mismatches().get(1).startsWith("vmx"));
    }

    @Test
    void missingFieldsAreEmptyNotErrors() {
        CpuinfoFacts f = ProcCpuinfoParser.parse("processor : 0\n");
        assertEquals("", f.vendorId());
        assertEquals(-1, f.family());
        assertTrue(f.flags().isEmpty());
    }
}
