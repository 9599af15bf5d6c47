package dev.partita.nativebindings;

import dev.partita.nativebindings.kvm.Kvm_h;
import dev.partita.nativebindings.libc.Libc;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compiles {@code src/test/c/layout_probe.c} with gcc against the host's own headers, runs it, and
 * checks every struct size, every {@code OFFSET_*} constant and every header constant the Java side
 * declares (found by reflection over the binding packages) against what the C compiler says. A Java
 * fact without a probe line fails, and so does a probe line without a Java fact.
 */
class LayoutMatchesHostHeadersTest {

    private static final List<String> PACKAGES =
            List.of("dev.partita.nativebindings.libc", "dev.partita.nativebindings.kvm");
    /** Header classes whose primitive constants are checked; every other class with sizeof() is a struct. */
    private static final List<Class<?>> HEADERS = List.of(Libc.class, Kvm_h.class);

    private static Map<String, Long> probe;

    @BeforeAll
    static void compileAndRunProbe() throws Exception {
        String why = gccUnavailableReason();
        if (why == null && !Files.exists(Path.of("/usr/include/linux/kvm.h"))) {
            why = "kernel headers absent (/usr/include/linux/kvm.h)";
        }
        if (why != null) {
            System.out.println("SKIP LayoutMatchesHostHeadersTest: " + why);
            Assumptions.assumeTrue(false, why);
        }
        Path source = moduleDir().resolve("src/test/c/layout_probe.c");
        assertTrue(Files.isRegularFile(source), "probe source missing: " + source);
        Path dir = Files.createTempDirectory("partita-layout-probe");
        Path exe = dir.resolve("layout_probe");
        Run compile = run(List.of("gcc", "-std=gnu11", "-Wall", "-Werror", "-o", exe.toString(), source.toString()));
        if (compile.status != 0) {
            fail("gcc failed on " + source + ":\n" + compile.output);
        }
        Run result = run(List.of(exe.toString()));
        if (result.status != 0) {
            fail("layout probe exited " + result.status + ":\n" + result.output);
        }
        probe = new LinkedHashMap<>();
        for (String line : result.output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            if (parts.length != 3) {
                fail("malformed probe line: " + line);
            }
            String key = parts[0] + " " + parts[1];
            if (probe.put(key, Long.parseLong(parts[2])) != null) {
                fail("duplicate probe line: " + line);
            }
        }
        Files.deleteIfExists(exe);
        Files.deleteIfExists(dir);
    }

    @Test
    void everyJavaSizeOffsetAndConstantMatchesTheCompiler() throws Exception {
        List<String> errors = new ArrayList<>();
        Map<String, Long> unused = new LinkedHashMap<>(probe);
        int structs = 0;
        int offsets = 0;
        int constants = 0;
        for (Class<?> c : bindingClasses()) {
            String name = c.getSimpleName();
            if (HEADERS.contains(c)) {
                for (Field f : c.getFields()) {
                    if (!isConstant(f)) {
                        continue;
                    }
                    constants++;
                    Long expected = unused.remove("C " + name + "." + f.getName());
                    if (expected == null) {
                        errors.add("no probe line for constant " + name + "." + f.getName());
                        continue;
                    }
                    long javaValue = ((Number) f.get(null)).longValue();
                    boolean same = switch (f.getType().getName()) {
                        case "int" -> (int) (long) expected == (int) javaValue;
                        case "short" -> (short) (long) expected == (short) javaValue;
                        case "byte" -> (byte) (long) expected == (byte) javaValue;
                        default -> expected == javaValue;
                    };
                    if (!same) {
                        errors.add(name + "." + f.getName() + ": Java " + javaValue + " (0x" + Long.toHexString(javaValue)
                                + "), C " + expected + " (0x" + Long.toHexString(expected) + ")");
                    }
                }
                continue;
            }
            Method sizeof = staticMethod(c, "sizeof");
            if (sizeof == null) {
                continue;
            }
            structs++;
            long javaSize = (long) sizeof.invoke(null);
            Long cSize = unused.remove("S " + name);
            if (cSize == null) {
                errors.add("no probe line for sizeof " + name);
            } else if (cSize != javaSize) {
                errors.add("sizeof " + name + ": Java " + javaSize + ", C " + cSize);
            }
            GroupLayout layout = (GroupLayout) staticMethod(c, "layout").invoke(null);
            for (Field f : c.getFields()) {
                if (!Modifier.isStatic(f.getModifiers()) || !f.getName().startsWith("OFFSET_")) {
                    continue;
                }
                offsets++;
                String member = f.getName().substring("OFFSET_".length());
                long javaOffset = f.getLong(null);
                Long cOffset = unused.remove("O " + name + "." + member);
                if (cOffset == null) {
                    errors.add("no probe line for offset " + name + "." + member);
                } else if (cOffset != javaOffset) {
                    errors.add("offsetof " + name + "." + member + ": Java " + javaOffset + ", C " + cOffset);
                }
                if (hasTopLevelMember(layout, member)) {
                    long layoutOffset = layout.byteOffset(MemoryLayout.PathElement.groupElement(member));
                    if (layoutOffset != javaOffset) {
                        errors.add("layout() of " + name + " puts " + member + " at " + layoutOffset
                                + " but OFFSET_" + member + " is " + javaOffset);
                    }
                }
            }
        }
        for (String key : unused.keySet()) {
            errors.add("probe line without a Java counterpart: " + key);
        }
        System.out.printf("layout probe: %d structs, %d offsets, %d constants checked against gcc; %d problems%n",
                structs, offsets, constants, errors.size());
        assertTrue(structs >= 40 && offsets >= 300 && constants >= 400,
                "suspiciously few facts found by reflection: " + structs + "/" + offsets + "/" + constants);
        if (!errors.isEmpty()) {
            fail(errors.size() + " binding facts disagree with the host headers:\n  " + String.join("\n  ", errors));
        }
    }

    private static boolean hasTopLevelMember(GroupLayout layout, String member) {
        return layout.memberLayouts().stream().anyMatch(m -> m.name().filter(member::equals).isPresent());
    }

    private static boolean isConstant(Field f) {
        int m = f.getModifiers();
        Class<?> t = f.getType();
        return Modifier.isStatic(m) && Modifier.isFinal(m) && Modifier.isPublic(m)
                && (t == int.class || t == long.class || t == short.class || t == byte.class);
    }

    private static Method staticMethod(Class<?> c, String name) {
        try {
            Method m = c.getMethod(name);
            return Modifier.isStatic(m.getModifiers()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** All top-level classes of the binding packages, from the directory or jar the main classes came from. */
    private static List<Class<?>> bindingClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Libc.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        TreeSet<String> names = new TreeSet<>();
        for (String pkg : PACKAGES) {
            String rel = pkg.replace('.', '/');
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.list(root.resolve(rel))) {
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.equals("package-info.class"))
                            .forEach(n -> names.add(pkg + "." + n.substring(0, n.length() - 6)));
                }
            } else {
                try (JarFile jar = new JarFile(root.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String n = e.nextElement().getName();
                        if (n.startsWith(rel + "/") && n.endsWith(".class") && n.indexOf('/', rel.length() + 1) < 0
                                && !n.contains("$") && !n.endsWith("package-info.class")) {
                            names.add(n.substring(0, n.length() - 6).replace('/', '.'));
                        }
                    }
                }
            }
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String n : names) {
            classes.add(Class.forName(n));
        }
        return classes;
    }

    private static Path moduleDir() {
        String basedir = System.getProperty("basedir");
        Path p = basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath();
        if (!Files.isDirectory(p.resolve("src/test/c")) && Files.isDirectory(p.resolve("native-bindings/src/test/c"))) {
            p = p.resolve("native-bindings");
        }
        return p;
    }

    private static String gccUnavailableReason() {
        try {
            Run r = run(List.of("gcc", "--version"));
            return r.status == 0 ? null : "gcc --version exited " + r.status;
        } catch (IOException e) {
            return "gcc not found on PATH (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while looking for gcc";
        }
    }

    private record Run(int status, String output) {}

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
