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
    requires java.logging;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.unixdomain.server;
    requires org.eclipse.jetty.client;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.util;
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.model;
    requires io.prometheus.writer.text;

    // Jackson binds the API's records and the worker control messages.
    exports dev.partita.vmms.api;
    exports dev.partita.vmms.worker.control to com.fasterxml.jackson.databind;
    opens dev.partita.vmms.api to com.fasterxml.jackson.databind;
    opens dev.partita.vmms.worker.control to com.fasterxml.jackson.databind;

    // picocli reads the command classes' annotations and fields reflectively: open every package that
    // holds a @Command class (a new subcommand package needs its own line here).
    opens dev.partita.vmms to info.picocli;
    opens dev.partita.vmms.cli to info.picocli;
    opens dev.partita.vmms.cli.probe to info.picocli;
    opens dev.partita.vmms.linux to info.picocli;
    opens dev.partita.vmms.disk to info.picocli;
    opens dev.partita.vmms.state to info.picocli;
    opens dev.partita.vmms.service to info.picocli;
    opens dev.partita.vmms.cli.vm to info.picocli;
    opens dev.partita.vmms.worker to info.picocli;
}
