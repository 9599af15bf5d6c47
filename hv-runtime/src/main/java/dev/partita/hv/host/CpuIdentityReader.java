package dev.partita.hv.host;

import dev.partita.hv.cpuid.CpuidResult;
import java.util.Optional;

/** Decodes the leaves of a {@link CpuidSource} into a {@link CpuIdentity}. Stateless. */
public final class CpuIdentityReader {

    private static final int LEAF_VENDOR = 0x0;
    private static final int LEAF_FEATURES = 0x1;
    private static final int LEAF_EXT_MAX = 0x8000_0000;
    private static final int LEAF_EXT_FEATURES = 0x8000_0001;
    private static final int LEAF_BRAND_FIRST = 0x8000_0002;
    private static final int LEAF_BRAND_LAST = 0x8000_0004;
    private static final int LEAF_SVM = 0x8000_000A;

    private static final int ECX1_VMX = 5;
    private static final int ECX1_HYPERVISOR = 31;
    private static final int ECX81_SVM = 2;
    private static final int EDX8A_NP = 0;

    private CpuIdentityReader() {
    }

    /** Queries {@code cpuid} and decodes the result. */
    public static CpuIdentity read(CpuidSource cpuid) {
        CpuidResult l0 = cpuid.query(LEAF_VENDOR);
        String vendor = CpuidText.ascii(l0.ebx(), l0.edx(), l0.ecx());
        int maxBasic = l0.eax();
        CpuidResult l1 = maxBasic >= LEAF_FEATURES ? cpuid.query(LEAF_FEATURES) : CpuidResult.ZERO;
        int signature = l1.eax();
        int baseFamily = (signature >>> 8) & 0xF;
        int baseModel = (signature >>> 4) & 0xF;
        int family = baseFamily == 0xF ? baseFamily + ((signature >>> 20) & 0xFF) : baseFamily;
        int model = baseFamily == 0x6 || baseFamily == 0xF ? (((signature >>> 16) & 0xF) << 4) | baseModel : baseModel;
        int stepping = signature & 0xF;

        int maxExt = cpuid.query(LEAF_EXT_MAX).eax();
        boolean extValid = Integer.compareUnsigned(maxExt, LEAF_EXT_MAX) > 0
                && Integer.compareUnsigned(maxExt, LEAF_EXT_MAX + 0xFFFF) <= 0;
        if (!extValid) {
            maxExt = 0;
        }
        boolean svm = has(maxExt, LEAF_EXT_FEATURES) && CpuidText.bit(cpuid.query(LEAF_EXT_FEATURES).ecx(), ECX81_SVM);
        StringBuilder brand = new StringBuilder();
        if (has(maxExt, LEAF_BRAND_LAST)) {
            for (int leaf = LEAF_BRAND_FIRST; leaf <= LEAF_BRAND_LAST; leaf++) {
                brand.append(CpuidText.ascii16(cpuid.query(leaf)));
                if (brand.length() % 16 != 0) {
                    break; // the string ended with a NUL inside this leaf
                }
            }
        }
        Optional<Boolean> nestedPaging = svm && has(maxExt, LEAF_SVM)
                ? Optional.of(CpuidText.bit(cpuid.query(LEAF_SVM).edx(), EDX8A_NP))
                : Optional.empty();
        boolean hypervisorBit = CpuidText.bit(l1.ecx(), ECX1_HYPERVISOR);
        Optional<HypervisorLeaf> hypervisor = hypervisorBit
                ? Optional.of(HypervisorLeaf.decode(cpuid.query(HypervisorLeaf.LEAF)))
                : Optional.empty();
        return new CpuIdentity(vendor, family, model, stepping, brand.toString().trim(), maxBasic, maxExt,
                CpuidText.bit(l1.ecx(), ECX1_VMX), svm, hypervisorBit, nestedPaging, hypervisor);
    }

    private static boolean has(int maxExt, int leaf) {
        return maxExt != 0 && Integer.compareUnsigned(maxExt, leaf) >= 0;
    }
}
