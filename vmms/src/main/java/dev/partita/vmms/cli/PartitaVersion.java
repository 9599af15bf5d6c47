package dev.partita.vmms.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code partita --version}: the module version Maven compiled in, and the Java runtime. */
public final class PartitaVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        Module module = PartitaVersion.class.getModule();
        String version = module.getDescriptor() == null ? null
                : module.getDescriptor().rawVersion().orElse(null);
        if (version == null) {
            version = PartitaVersion.class.getPackage().getImplementationVersion();
        }
        return new String[] {
            "partita " + (version == null ? "(development build)" : version),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
