package dev.densify.core.config;

import dev.densify.api.config.ConfigException;
import dev.densify.core.plugin.PluginKind;
import dev.densify.core.plugin.PluginRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The option files of every group, found on the plugin class loader at {@code META-INF/densify/<group>/<name>.yaml}.
 * For plugin groups the registry is the authority on which names exist (a plugin may ship no option file, then it
 * has no keys); for the other groups the option files themselves are.
 */
final class OptionFiles {
    static final String ROOT = "META-INF/densify/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private final PluginRegistry registry;
    private final ClassLoader loader;

    OptionFiles(PluginRegistry registry) {
        this.registry = registry;
        this.loader = registry.classLoader();
    }

    /** The option names a group offers. */
    SortedSet<String> known(String group) {
        Optional<PluginKind<?>> kind = PluginKind.forGroup(group);
        return kind.isPresent() ? registry.names(kind.get()) : listed(group);
    }

    /** The defaults of option {@code name} of {@code group}, or empty after adding the reason to {@code problems}. */
    Optional<Map<String, Object>> load(String group, String name, List<ConfigException> problems) {
        Optional<PluginKind<?>> kind = PluginKind.forGroup(group);
        boolean exists = NAME.matcher(name).matches()
                && (kind.isPresent() ? registry.contains(kind.get(), name) : loader.getResource(resource(group, name)) != null);
        if (!exists) {
            SortedSet<String> known = known(group);
            problems.add(new ConfigException(group, "unknown option '" + name + "'; " + (known.isEmpty()
                    ? "no " + group + " options are on the class path" : "known options are " + known)));
            return Optional.empty();
        }
        List<URL> files = resources(resource(group, name));
        if (files.size() > 1) {
            problems.add(new ConfigException(group, "option '" + name + "' is defined by more than one jar: "
                    + files.stream().map(URL::toString).toList() + "; keep only one of them"));
            return Optional.empty();
        }
        if (files.isEmpty()) {
            return Optional.of(new LinkedHashMap<>());
        }
        try {
            return Optional.of(YamlIo.readMap(read(files.get(0)), files.get(0).toString()));
        } catch (ConfigException e) {
            problems.add(e);
            return Optional.empty();
        }
    }

    static String resource(String group, String name) {
        return ROOT + group + "/" + name + ".yaml";
    }

    static String read(URL url) {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        }
    }

    private List<URL> resources(String resource) {
        try {
            // by text: URL.equals may resolve host names
            Map<String, URL> distinct = new LinkedHashMap<>();
            Collections.list(loader.getResources(resource)).forEach(u -> distinct.putIfAbsent(u.toExternalForm(), u));
            return List.copyOf(distinct.values());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + resource, e);
        }
    }

    // Lists the option files of a group in every folder and jar that has a directory entry for it (jars built by
    // Maven or the jar tool do).
    private SortedSet<String> listed(String group) {
        String folder = ROOT + group + "/";
        SortedSet<String> names = new TreeSet<>();
        for (URL url : resources(folder)) {
            try {
                if ("jar".equals(url.getProtocol())) {
                    try (JarFile jar = new JarFile(Path.of(((JarURLConnection) url.openConnection())
                            .getJarFileURL().toURI()).toFile())) {
                        jar.stream().map(JarEntry::getName).filter(n -> n.startsWith(folder))
                                .map(n -> n.substring(folder.length())).forEach(n -> addOption(names, n));
                    }
                } else if ("file".equals(url.getProtocol())) {
                    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                        files.map(p -> p.getFileName().toString()).forEach(n -> addOption(names, n));
                    }
                }
            } catch (IOException | URISyntaxException | RuntimeException e) {
                // an unreadable folder only shortens the list shown in an error message
            }
        }
        return names;
    }

    private static void addOption(SortedSet<String> names, String fileName) {
        if (fileName.endsWith(".yaml") && !fileName.contains("/")) {
            names.add(fileName.substring(0, fileName.length() - ".yaml".length()));
        }
    }
}
