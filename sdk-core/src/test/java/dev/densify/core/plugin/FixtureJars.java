package dev.densify.core.plugin;

import ai.djl.ndarray.NDArray;
import dev.densify.api.env.EnvironmentProvider;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars the way a third party would: the sources under {@code src/test/fixtures/<name>/} compiled
 * against sdk-api alone, packed with the folder's other files (services and option files) and a manifest that
 * carries a version. Jars are built once per test JVM.
 */
public final class FixtureJars {
    private static final Path FIXTURES = Path.of(System.getProperty("basedir", "."), "src", "test", "fixtures");
    private static final Map<String, Path> BUILT = new HashMap<>();
    private static Path workDir;

    private FixtureJars() {}

    /** The jar of fixture {@code name} with manifest version {@code version}, at {@code <tmp>/<copy>/<name>.jar}. */
    public static synchronized Path jar(String name, String version, String copy) {
        return BUILT.computeIfAbsent(name + "/" + version + "/" + copy, k -> build(name, version, copy));
    }

    public static Path jar(String name) {
        return jar(name, "1.2.3", "a");
    }

    /** A class loader over the jars whose parent is the test class loader (so it sees sdk-api and sdk-core). */
    public static URLClassLoader loader(Path... jars) {
        URL[] urls = Stream.of(jars).map(FixtureJars::url).toArray(URL[]::new);
        return new URLClassLoader("fixtures", urls, FixtureJars.class.getClassLoader());
    }

    private static Path build(String name, String version, String copy) {
        try {
            Path source = FIXTURES.resolve(name);
            Path classes = Files.createTempDirectory(workDir(), name + "-classes");
            compile(source, classes);
            Path jar = Files.createDirectories(workDir().resolve(copy)).resolve(name + ".jar");
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_TITLE, name);
            manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
            Map<String, Path> entries = new TreeMap<>();
            collect(entries, classes, p -> true);
            collect(entries, source, p -> !p.toString().endsWith(".java"));
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                for (Map.Entry<String, Path> entry : entries.entrySet()) {
                    out.putNextEntry(new JarEntry(entry.getKey()));
                    if (entry.getValue() != null) {
                        out.write(Files.readAllBytes(entry.getValue()));
                    }
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compile(Path source, Path classes) throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(source)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String classPath = Stream.of(EnvironmentProvider.class, NDArray.class).map(FixtureJars::location)
                .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("--release", "17", "-proc:none", "-classpath", classPath, "-d", classes.toString()),
                    null, files.getJavaFileObjectsFromPaths(sources)).call();
            if (!ok) {
                throw new IllegalStateException("fixture " + source + " does not compile: " + diagnostics.getDiagnostics());
            }
        }
    }

    // Entries by name, directories (null) included so that option folders can be listed as Maven-built jars allow.
    private static void collect(Map<String, Path> entries, Path root, Predicate<Path> include) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> !p.equals(root)).forEach(path -> {
                String entry = root.relativize(path).toString().replace('\\', '/');
                if (Files.isDirectory(path)) {
                    entries.putIfAbsent(entry + "/", null);
                } else if (include.test(path)) {
                    entries.put(entry, path);
                }
            });
        }
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static synchronized Path workDir() throws IOException {
        if (workDir == null) {
            workDir = Files.createTempDirectory("densify-fixtures");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(workDir)));
        }
        return workDir;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder is harmless
        }
    }
}
