/** The Virtual Machine Management Service and the partita command line. */
module dev.partita.vmms {
    requires dev.partita.hv;
    requires dev.partita.emulator;
    requires dev.partita.vmbus;
    requires dev.partita.devices;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires org.apache.commons.compress;
    requires jdk.unsupported;

    // picocli reads the command classes' annotations and fields reflectively: open every package that
    // holds a @Command class (a new subcommand package needs its own line here).
    opens dev.partita.vmms to info.picocli;
    opens dev.partita.vmms.cli to info.picocli;
    opens dev.partita.vmms.cli.probe to info.picocli;
    opens dev.partita.vmms.linux to info.picocli;
    opens dev.partita.vmms.disk to info.picocli;
    opens dev.partita.vmms.state to info.picocli;
}
