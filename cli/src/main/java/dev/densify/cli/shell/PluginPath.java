package dev.densify.cli.shell;

import dev.densify.api.API;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The plugin path: folders (or jar files) whose jars join the class path without rebuilding densify. It comes
 * from {@code --plugin-path}, else from the {@value #ENVIRONMENT_VARIABLE} environment variable; entries are
 * separated by the platform's path separator ({@code :} on Linux and macOS).
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class PluginPath {
    public static final String ENVIRONMENT_VARIABLE = "DENSIFY_PLUGIN_PATH";

    private PluginPath() {}

    /** The jars named by the option, else by the environment variable, in path order and by name within a folder. */
    static List<Path> jars(String option, Map<String, String> environment) {
        String source = option != null ? "--plugin-path" : ENVIRONMENT_VARIABLE;
        String value = option != null ? option : environment.get(ENVIRONMENT_VARIABLE);
        List<Path> jars = new ArrayList<>();
        if (value == null) {
            return jars;
        }
        for (String entry : value.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry.trim());
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    files.filter(PluginPath::isJar).sorted().forEach(jars::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list plugin folder " + path, e);
                }
            } else if (isJar(path)) {
                jars.add(path);
            } else {
                throw new UserException(source + ": '" + entry + "' is neither a folder nor a jar file");
            }
        }
        return jars;
    }

    /**
     * The jars that open as jar files; each other one is reported to {@code warnings} with its name and the reason,
     * and left out. A class loader skips an unreadable jar without a word, so a corrupt plugin would simply be
     * missing, and the user would be told only that its name is unknown.
     */
    static List<Path> readable(List<Path> jars, Consumer<String> warnings) {
        List<Path> readable = new ArrayList<>();
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                file.getManifest();
                readable.add(jar);
            } catch (IOException | SecurityException e) {
                warnings.accept("plugin jar " + jar + " is ignored: it is not a readable jar ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            }
        }
        return readable;
    }

    /** A class loader over the jars whose parent is densify's own, or the parent itself when there are none. */
    static ClassLoader loader(List<Path> jars, ClassLoader parent) {
        if (jars.isEmpty()) {
            return parent;
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("not a valid jar path: " + jars.get(i), e);
            }
        }
        return new URLClassLoader("densify-plugins", urls, parent);
    }

    private static boolean isJar(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar");
    }
}
