package dev.partita.vmms.storage;

import dev.partita.hv.Hypervisor;
import dev.partita.vmms.images.BuildProgress;
import dev.partita.vmms.images.DebianGuestImages;
import dev.partita.vmms.images.ImageBuildException;
import dev.partita.vmms.linux.LinuxGuestRun;
import org.junit.jupiter.api.Assumptions;

import java.util.List;

/** The Debian guest for the storage tests: image or skip, and the command lines that script it. */
final class StorageGuests {
    /** Console line the guest prints once hv_vmbus has connected (drivers/hv/connection.c). */
    static final String VMBUS_CONNECTED = "Vmbus version:";

    private StorageGuests() {}

    /** The cached (or freshly built) Debian guest; skips {@code test} with the reason printed when unavailable. */
    static DebianGuestImages.GuestFiles guestOrSkip(String test) {
        var emulator = Hypervisor.get().availability("emulator");
        if (!emulator.usable()) {
            System.out.println("SKIP " + test + ": " + emulator.reason());
        }
        Assumptions.assumeTrue(emulator.usable(), emulator.reason());
        try {
            return new DebianGuestImages(DebianGuestImages.defaultCacheRoot()).defaultGuest(BuildProgress.silent());
        } catch (ImageBuildException e) {
            String reason = "the Debian guest image cannot be built here: " + e.getMessage();
            System.out.println("SKIP " + test + ": " + reason);
            Assumptions.abort(reason);
            throw new AssertionError("unreachable");
        }
    }

    /**
     * The kernel command line: Partita's default without the crypto self-tests (cryptomgr.notests: about 30 s
     * of emulated boot), the Hyper-V modules loaded by /init, then {@code commands} (joined with "; ", no
     * double quotes allowed) run by /init after waiting up to 60 s for /dev/sda. The shutdown service's
     * orderly_poweroff runs the image's /sbin/poweroff (sync, then ACPI soft-off).
     */
    static String cmdline(List<String> commands) {
        String prefix = "i=0; while [ ! -b /dev/sda ] && [ $i -lt 60 ]; do sleep 1; i=$((i+1)); done; "
                + "echo sda-sectors=$(cat /sys/block/sda/size 2>/dev/null); mkdir -p /mnt; ";
        String cmd = prefix + String.join("; ", commands);
        if (cmd.contains("\"")) {
            throw new IllegalArgumentException("guest commands travel inside partita.run=\"...\": no double quotes");
        }
        return LinuxGuestRun.DEFAULT_CMDLINE + " cryptomgr.notests partita.modules partita.run=\"" + cmd + "\"";
    }

    /** Why a guest cannot reach its VMBus disk when hv_vmbus did not connect, else null. */
    static String vmbusMissing(String console) {
        if (console.contains(VMBUS_CONNECTED)) {
            return null;
        }
        int i = console.lastIndexOf("hv_vmbus");
        String hint = i < 0 ? "no hv_vmbus line at all" : console.substring(i, Math.min(console.length(), i + 300));
        return "hv_vmbus did not connect on the emulator (no '" + VMBUS_CONNECTED + "' line), so storvsc has no channel: " + hint;
    }
}
