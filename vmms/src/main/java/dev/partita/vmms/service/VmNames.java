package dev.partita.vmms.service;

import java.util.regex.Pattern;

/**
 * The rule for VM names, which are folder names in the state directory: 1-64 of letters, digits, '-', '_' and
 * '.', not starting with '.' (so no "..", no hidden folder) and never containing '/'. Stateless.
 */
public final class VmNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}");

    private VmNames() {
    }

    /** {@code name} when it is a valid VM name. @throws ServiceException 400 naming the problem */
    public static String check(String name) throws ServiceException {
        if (name == null || name.isEmpty()) {
            throw ServiceException.badRequest("a VM needs a name");
        }
        if (name.contains("/") || name.contains("..")) {
            throw ServiceException.badRequest("VM name '" + printable(name) + "' must not contain '/' or '..'");
        }
        if (!NAME.matcher(name).matches()) {
            throw ServiceException.badRequest("VM name '" + printable(name) + "' must be 1-64 letters, digits, '-', '_' or '.'"
                    + " and not start with '.'");
        }
        return name;
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder b = new StringBuilder();
        cut.codePoints().forEach(c -> b.append(c < 0x20 || c == 0x7f ? "?" : Character.toString(c)));
        return b.toString();
    }
}
