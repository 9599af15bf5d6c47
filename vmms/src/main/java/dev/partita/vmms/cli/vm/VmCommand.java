package dev.partita.vmms.cli.vm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partita.vmms.api.ApiException;
import dev.partita.vmms.api.PartitaClient;
import dev.partita.vmms.api.VmPatch;
import dev.partita.vmms.api.VmSpec;
import dev.partita.vmms.api.VmView;
import dev.partita.vmms.service.ServiceCommand;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code partita vm VERB}: the management service's API from the command line. Each verb is one API call;
 * the answer is printed as a table (or a {@code KEY: value} block for one VM), or as JSON with {@code --json}.
 */
@Command(name = "vm", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "VERB",
        description = "Manage VMs through the Partita service's API.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "1:the service refused or failed (its reason on stderr)", "2:bad options",
            "3:the service cannot be reached"},
        subcommands = {VmCommand.Create.class, VmCommand.ListVms.class, VmCommand.Show.class, VmCommand.Start.class,
            VmCommand.Stop.class, VmCommand.TurnOff.class, VmCommand.Pause.class, VmCommand.Resume.class, VmCommand.Set.class,
            VmCommand.Console.class, VmCommand.Remove.class})
public final class VmCommand {
    static final int EXIT_REFUSED = 1;
    static final int EXIT_UNREACHABLE = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--socket", paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "The service's API socket (default: $PARTITA_SOCKET, else STATE-DIR/api.sock).")
    Path socket;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the service's answer as JSON.")
    boolean json;

    Path socket() {
        if (socket != null) {
            return socket;
        }
        String env = System.getenv("PARTITA_SOCKET");
        return env != null && !env.isEmpty() ? Path.of(env) : ServiceCommand.defaultStateDir().resolve("api.sock");
    }

    /** One API call of a verb. */
    @FunctionalInterface
    interface Call {
        int run(PartitaClient client, PrintWriter out) throws ApiException, IOException;
    }

    /** The shared body of every verb: open the client, make the call, map failures to exit statuses. */
    abstract static class Verb implements Callable<Integer> {
        @ParentCommand
        VmCommand parent;
        @Spec
        CommandSpec spec;

        int call(Call call) {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (PartitaClient client = PartitaClient.open(parent.socket())) {
                int status = call.run(client, out);
                out.flush();
                return status;
            } catch (ApiException e) {
                err.println("partita vm " + spec.name() + ": " + e.getMessage());
                err.flush();
                return e.status() == 0 ? EXIT_UNREACHABLE : EXIT_REFUSED;
            } catch (IOException e) {
                err.println("partita vm " + spec.name() + ": " + e.getMessage());
                err.flush();
                return EXIT_REFUSED;
            }
        }

        int printVm(PrintWriter out, VmView v) throws IOException {
            if (parent.json) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(v));
            } else {
                VmTable.printOne(out, v);
            }
            return 0;
        }
    }

    /** A verb on one named VM. */
    abstract static class NamedVerb extends Verb {
        @Parameters(index = "0", paramLabel = "NAME", description = "The VM.")
        String name;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Define a VM (it stays off until 'start').")
    static final class Create extends NamedVerb {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Boot boot;

        static final class Boot {
            @Option(names = "--image", paramLabel = "FILE", description = "A test guest image (guests/README.md).")
            Path image;
            @Option(names = "--kernel", paramLabel = "FILE", description = "A Linux kernel (bzImage or PVH vmlinux).")
            Path kernel;
        }

        @Option(names = "--initrd", paramLabel = "FILE", description = "A Linux initramfs.")
        Path initrd;
        @Option(names = "--cmdline", paramLabel = "TEXT", description = "The kernel command line.")
        String cmdline;
        @Option(names = "--memory", paramLabel = "SIZE", description = "Guest RAM, e.g. 32M, 1G.")
        String memory;
        @Option(names = "--cpus", paramLabel = "N", description = "Virtual processors (1-255).")
        Integer cpus;
        @Option(names = "--backend", paramLabel = "NAME", description = "auto, kvm or emulator.")
        String backend;
        @Option(names = "--disk", paramLabel = "PATH[,ro]", description = "A raw disk image (repeatable; Linux only).")
        List<String> disks = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> absDisks = disks.stream().map(Create::absoluteDisk).toList();
            VmSpec vm = new VmSpec(name, abs(boot.image), abs(boot.kernel), abs(initrd), cmdline, memory, cpus, backend, absDisks);
            return call((client, out) -> printVm(out, client.create(vm)));
        }

        private static String abs(Path p) {
            return p == null ? null : p.toAbsolutePath().normalize().toString();
        }

        private static String absoluteDisk(String d) {
            boolean ro = d.endsWith(",ro");
            return abs(Path.of(ro ? d.substring(0, d.length() - 3) : d)) + (ro ? ",ro" : "");
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List the VMs.")
    static final class ListVms extends Verb {
        @Override
        public Integer call() {
            return call((client, out) -> {
                List<VmView> all = client.list();
                if (parent.json) {
                    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
                } else {
                    VmTable.print(out, all);
                }
                return 0;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one VM (state, uptime, heartbeat, memory, disks).")
    static final class Show extends NamedVerb {
        @Override
        public Integer call() {
            return call((client, out) -> printVm(out, client.show(name)));
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a VM (returns once its worker runs).")
    static final class Start extends NamedVerb {
        @Override
        public Integer call() {
            return call((client, out) -> printVm(out, client.act(name, "start")));
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Shut a VM down through its shutdown integration component; turn it off after --timeout.")
    static final class Stop extends NamedVerb {
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
                description = "Seconds the guest has to power off (default: ${DEFAULT-VALUE}).")
        int timeout;

        @Override
        public Integer call() {
            return call((client, out) -> printVm(out, client.stop(name, timeout)));
        }
    }

    @Command(name = "turn-off", mixinStandardHelpOptions = true, description = "Turn a VM off at once.")
    static final class TurnOff extends NamedVerb {
        @Override
        public Integer call() {
            return call((client, out) -> printVm(out, client.act(name, "turn-off")));
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a running VM.")
    static final class Pause extends NamedVerb {
        @Override
        public Integer call() {
            return call((client, out) -> printVm(out, client.act(name, "pause")));
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused VM.")
    static final class Resume extends NamedVerb {
        @Override
        public Integer call() {
            return call((client, out) -> printVm(out, client.act(name, "resume")));
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Change an off VM's processors or memory.")
    static final class Set extends NamedVerb {
        @Option(names = "--cpus", paramLabel = "N", description = "Virtual processors (1-255).")
        Integer cpus;
        @Option(names = "--memory", paramLabel = "SIZE", description = "Guest RAM, e.g. 64M.")
        String memory;

        @Override
        public Integer call() {
            return call((client, out) -> printVm(out, client.change(name, new VmPatch(cpus, memory))));
        }
    }

    @Command(name = "console", mixinStandardHelpOptions = true,
            description = "Print the tail of a VM's console log; with --follow, keep printing until the VM stops.")
    static final class Console extends NamedVerb {
        @Option(names = "--follow", description = "Attach: print the console as the guest writes it, until the VM stops.")
        boolean follow;
        @Option(names = "--send", paramLabel = "TEXT", description = "Type TEXT and a newline on the console first.")
        String send;

        @Override
        public Integer call() {
            return call((client, out) -> {
                if (send != null) {
                    client.consoleInput(name, (send + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                if (follow) {
                    out.flush();
                    client.followConsole(name, 64 * 1024, new java.io.FilterOutputStream(System.out) {
                        @Override
                        public void close() {
                        }
                    });
                    return 0;
                }
                out.print(new String(client.console(name), java.nio.charset.StandardCharsets.UTF_8));
                return 0;
            });
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove an off VM and its folder.")
    static final class Remove extends NamedVerb {
        @Override
        public Integer call() {
            return call((client, out) -> {
                client.remove(name);
                if (!parent.json) {
                    out.println("removed " + name);
                } else {
                    out.println("{\"removed\":\"" + name + "\"}");
                }
                return 0;
            });
        }
    }

}
