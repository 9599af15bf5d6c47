package dev.partita.devices.ic;

/** An integration-component version ({@code struct ic_version}: major u16, minor u16). */
public record IcVersion(int major, int minor) implements Comparable<IcVersion> {
    public static final IcVersion V1_0 = new IcVersion(1, 0);
    public static final IcVersion V3_0 = new IcVersion(3, 0);

    public IcVersion {
        if ((major & ~0xFFFF) != 0 || (minor & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("IC version " + major + "." + minor + " out of range");
        }
    }

    @Override
    public int compareTo(IcVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
