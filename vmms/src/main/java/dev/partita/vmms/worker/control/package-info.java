/**
 * The control channel between the management service and a worker process: a Unix domain socket in the VM's
 * folder carrying one JSON {@link dev.partita.vmms.worker.control.ControlRequest} per line and one
 * {@link dev.partita.vmms.worker.control.ControlReply} line back, and the {@code exit.json} a worker leaves
 * when its VM ends.
 */
package dev.partita.vmms.worker.control;
