package dev.partita.vmms.linux;

import dev.partita.hv.BackendChoice;
import dev.partita.devices.ic.HeartbeatVsp;
import dev.partita.devices.ic.ShutdownVsp;
import dev.partita.devices.ic.TimeSyncVsp;
import dev.partita.hv.Hypervisor;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.boot.BzImage;
import dev.partita.vmbus.testing.EchoVsp;
import dev.partita.vmbus.vsp.VspOffer;
import dev.partita.vmms.images.BuildProgress;
import dev.partita.vmms.images.DebianGuestImages;
import dev.partita.vmms.images.ImageBuildException;
import dev.partita.vmms.images.InitScript;
import dev.partita.vmms.worker.LinuxVmWorker;
import dev.partita.vmms.worker.VmBusDevices;
import dev.partita.vmms.worker.VmDefinition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The stock Debian 6.1 cloud kernel's {@code hv_vmbus} against Partita's Hyper-V interface and VMBus server,
 * on the emulator, in the VM that {@link LinuxVmWorker} composes for {@code partita run --kernel --vmbus}, with the echo VSP added:
 * /init loads hv_vmbus and hv_utils, lists {@code /sys/bus/vmbus/devices/}{@code *}{@code /class_id} and the
 * kernel's VMBus messages, then powers off. Asserts that both modprobes succeeded, that every channel the
 * server offered (echo, heartbeat, shutdown, time sync) appears with its instance and class GUID, that the
 * kernel logged {@code hv_vmbus: Vmbus version:5.x} (Linux 6.1 connection.c prints "Vmbus version:%d.%d"),
 * that hv_utils negotiated the three integration components, and that the guest answered a heartbeat
 * through the rings (counted on the host side). Prints the wall time to the /init marker and to power-off.
 * Skipped (reason printed) when the emulator is unavailable or the Debian image cannot be built.
 */
class VmBusLinuxGuestTest {
    /** Devices offered: the standard VMBus configuration plus the echo VSP (checked against the worker's own list too). */
    private static final Set<UUID> STANDARD_CLASSES = Set.of(EchoVsp.INTERFACE_TYPE, HeartbeatVsp.INTERFACE_TYPE,
            ShutdownVsp.INTERFACE_TYPE, TimeSyncVsp.INTERFACE_TYPE);
    private static final String MODPROBE_OK = "PARTITA-HV_VMBUS-OK";
    private static final String UTILS_OK = "PARTITA-HV_UTILS-OK";
    private static final Pattern DEVICE_LINE = Pattern.compile("VMBUS-DEVICE ([0-9a-f-]{36}) \\{([0-9a-f-]{36})\\}");
    private static final Pattern VERSION_LINE = Pattern.compile("hv_vmbus: Vmbus version:(\\d+)\\.(\\d+)");

    /** The guest's commands (no double quotes: they travel inside partita.run="..."). */
    private static String script(int channels) {
        return "modprobe hv_vmbus && echo " + MODPROBE_OK + "; modprobe hv_utils && echo " + UTILS_OK + "; "
                + "n=0; while [ $(ls /sys/bus/vmbus/devices | wc -l) -lt " + channels + " ] && [ $n -lt 30 ]; do sleep 1; n=$((n+1)); done; "
                + "for d in /sys/bus/vmbus/devices/*; do echo VMBUS-DEVICE ${d##*/} $(cat $d/class_id); done; "
                + "dmesg | grep -i -e vmbus -e hv_utils";
    }

    @Test
    void stockHvVmbusConnectsAndEnumeratesEveryOfferedChannel() throws Exception {
        var emulator = Hypervisor.get().availability("emulator");
        if (!emulator.usable()) {
            System.out.println("SKIP VmBusLinuxGuestTest: " + emulator.reason());
        }
        Assumptions.assumeTrue(emulator.usable(), emulator.reason());
        DebianGuestImages.GuestFiles guest;
        try {
            guest = new DebianGuestImages(DebianGuestImages.defaultCacheRoot()).defaultGuest(BuildProgress.silent());
        } catch (ImageBuildException e) {
            String reason = "the Debian guest image cannot be built here: " + e.getMessage();
            System.out.println("SKIP VmBusLinuxGuestTest: " + reason);
            Assumptions.abort(reason);
            return;
        }
        // cryptomgr.notests: skips the crypto self-tests of the crypto_algapi_init late initcall, measured at ~30 s of
        // emulated boot (initcall_debug), to keep the CI run short; nothing here depends on them.
        String cmdline = LinuxGuestRun.DEFAULT_CMDLINE + " cryptomgr.notests partita.run=\"" + script(STANDARD_CLASSES.size()) + "\" partita.poweroff";
        VmDefinition def = new VmDefinition("vmbus-linux", BzImage.parse(Files.readAllBytes(guest.kernel())),
                Files.readAllBytes(guest.initramfs()), cmdline, 256L << 20, 1, BackendChoice.EMULATOR,
                VmBusDevices.STANDARD.with(new EchoVsp(UUID.fromString("5041fa17-e000-4c00-8000-000000000001"), 16 * 4096)));
        StringBuffer console = new StringBuffer();
        AtomicLong markerNanos = new AtomicLong();
        long start = System.nanoTime();
        PartitionResult result;
        String text;
        long heartbeatAnswers;
        Set<UUID> offeredClasses;
        try (LinuxVmWorker vm = LinuxVmWorker.build(def, b -> {
            console.append((char) (b & 0xFF));
            if (b == '\n' && markerNanos.get() == 0 && console.indexOf(InitScript.MARKER) >= 0) {
                markerNanos.set(System.nanoTime());
            }
        })) {
            offeredClasses = vm.offers().stream().map(VspOffer::interfaceType).collect(Collectors.toSet());
            assertEquals(STANDARD_CLASSES, offeredClasses, "the standard VMBus devices");
            vm.start();
            result = vm.partition().awaitExit(Duration.ofSeconds(400));
            text = console.toString().replace("\r", "");
            heartbeatAnswers = vm.vsp(HeartbeatVsp.class).orElseThrow().status().answers();
            long end = System.nanoTime();
            System.out.printf("VmBusLinuxGuestTest: %s on the emulator: /init marker after %.1f s, power-off after %.1f s (wall)%n",
                    guest.kernelRelease(), markerNanos.get() == 0 ? Double.NaN : (markerNanos.get() - start) / 1e9, (end - start) / 1e9);
            for (VspOffer o : vm.offers()) {
                assertTrue(text.contains("VMBUS-DEVICE " + o.interfaceInstance() + " {" + o.interfaceType() + "}"),
                        "channel " + o.interfaceType() + " (instance " + o.interfaceInstance() + ") listed: " + tail(text));
            }
        }
        assertInstanceOf(PartitionResult.Exited.class, result, () -> result.report() + "\n" + tail(text));
        assertEquals(0, result.exitStatus(), () -> result.report() + "\n" + tail(text));
        assertTrue(text.contains("Hypervisor detected: Microsoft Hyper-V"), head(text));
        assertTrue(text.contains(InitScript.MARKER), tail(text));
        assertTrue(text.contains(MODPROBE_OK), "modprobe hv_vmbus succeeded: " + tail(text));
        assertTrue(text.contains(UTILS_OK), "modprobe hv_utils succeeded: " + tail(text));
        Matcher v = VERSION_LINE.matcher(text);
        assertTrue(v.find(), "dmesg shows the negotiated version: " + tail(text));
        assertEquals("5", v.group(1), "a 5.x version was negotiated: " + v.group());
        Matcher d = DEVICE_LINE.matcher(text);
        Set<UUID> listed = new java.util.HashSet<>();
        while (d.find()) {
            listed.add(UUID.fromString(d.group(2)));
        }
        assertEquals(offeredClasses, listed, "exactly the offered classes are under /sys/bus/vmbus/devices: " + tail(text));
        for (String ic : new String[] {"Heartbeat IC version", "Shutdown IC version", "TimeSync IC version"}) {
            assertTrue(text.contains("hv_utils: " + ic), ic + ": " + tail(text));
        }
        assertTrue(heartbeatAnswers >= 1, "the guest answered a heartbeat through the channel's rings");
        assertTrue(text.contains("reboot: Power down"), tail(text));
    }

    private static String head(String s) {
        return s.length() <= 3000 ? s : s.substring(0, 3000);
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
