package dev.partita.vmms.images;

/**
 * The /init of Partita's Debian guest: mounts proc, sys and devtmpfs, prints {@link #MARKER}, loads the
 * modules listed in /etc/partita-modules when the kernel command line has {@code partita.modules},
 * runs the commands of {@code partita.run="..."} from the command line, powers off when the command line
 * has {@code partita.poweroff}, and otherwise starts a shell on the console.
 */
public final class InitScript {
    /** Printed on the console once /init runs. */
    public static final String MARKER = "PARTITA-INIT-OK";

    private InitScript() {}

    /** Where the kernel's orderly_poweroff (the shutdown integration service) and users find poweroff. */
    public static final String POWEROFF_PATH = "sbin/poweroff";

    /**
     * /sbin/poweroff. Busybox's own applet would signal PID 1, but our /init is a shell that cannot act on
     * the signal while it waits for the console shell; so poweroff syncs and powers off directly (ACPI S5).
     */
    public static String poweroffText() {
        return """
                #!/bin/sh
                echo "partita: poweroff requested"
                sync
                exec /bin/busybox poweroff -f
                """;
    }

    public static String text() {
        return """
                #!/bin/sh
                export PATH=/sbin:/bin:/usr/sbin:/usr/bin
                mount -t proc proc /proc
                mount -t sysfs sysfs /sys
                mount -t devtmpfs devtmpfs /dev 2>/dev/null
                mkdir -p /dev/pts /tmp /run
                echo "%s kernel $(uname -r)"
                if grep -q 'partita.modules' /proc/cmdline; then
                    for m in $(cat /etc/partita-modules); do
                        modprobe "$m" && echo "partita: loaded $m" || echo "partita: modprobe $m failed"
                    done
                fi
                cmd=$(sed -n 's/.*partita\\.run="\\([^"]*\\)".*/\\1/p' /proc/cmdline)
                if [ -n "$cmd" ]; then
                    echo "partita: running: $cmd"
                    sh -c "$cmd"
                    echo "partita: exit status $?"
                fi
                if grep -q 'partita.poweroff' /proc/cmdline; then
                    poweroff -f
                fi
                echo "partita: shell on the console (poweroff -f to stop the guest)"
                while true; do
                    setsid cttyhack sh -l
                done
                """.formatted(MARKER);
    }
}
