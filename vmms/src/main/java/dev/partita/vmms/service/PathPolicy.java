package dev.partita.vmms.service;

import java.nio.file.Path;
import java.util.List;

/**
 * The folders a VM definition may name files in (images, kernels, initrds, disks): a path must be absolute
 * and, once normalized, lie under one of the allowed roots. Immutable.
 */
public record PathPolicy(List<Path> roots) {
    public PathPolicy {
        roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** {@code path} normalized when it is allowed. @throws ServiceException 400 naming the field and the roots */
    public Path check(String field, String path) throws ServiceException {
        Path p;
        try {
            p = Path.of(path);
        } catch (RuntimeException e) {
            throw ServiceException.badRequest(field + " '" + path + "' is not a path");
        }
        if (!p.isAbsolute()) {
            throw ServiceException.badRequest(field + " path '" + path + "' must be absolute");
        }
        Path n = p.normalize();
        if (!under(n)) {
            throw ServiceException.badRequest(field + " path '" + path + "' is outside the allowed roots " + roots);
        }
        // A symbolic link inside a root must not lead out of every root.
        try {
            Path real = n.toRealPath();
            if (!under(real)) {
                throw ServiceException.badRequest(field + " path '" + path + "' leads to " + real + ", outside the allowed roots " + roots);
            }
        } catch (java.io.IOException | SecurityException e) {
            // a missing file is reported by whoever opens it; the name itself is inside a root
        }
        return n;
    }

    private boolean under(Path p) {
        for (Path root : roots) {
            if (p.startsWith(root)) {
                return true;
            }
        }
        return false;
    }
}
