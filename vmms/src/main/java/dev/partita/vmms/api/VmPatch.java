package dev.partita.vmms.api;

/**
 * A change of a VM's processors or memory ({@code PATCH /v1/vms/{name}}), allowed while the VM is off.
 *
 * @param cpus   new processor count, or null to keep it
 * @param memory new guest RAM with a unit, or null to keep it
 */
public record VmPatch(Integer cpus, String memory) {
}
