package dev.partita.hv.state;

import java.util.regex.Pattern;

/** The rule for section names ({@link Saveable#stateName()}). Stateless. */
final class StateNames {
    static final int MAX_LENGTH = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_./-]{1," + MAX_LENGTH + "}");

    private StateNames() {
    }

    static String check(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("bad state section name '" + name + "': 1-" + MAX_LENGTH
                    + " characters of [A-Za-z0-9_./-]");
        }
        return name;
    }

    static boolean isValid(String name) {
        return VALID.matcher(name).matches();
    }
}
