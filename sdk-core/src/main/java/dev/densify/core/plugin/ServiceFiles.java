package dev.densify.core.plugin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code META-INF/services} files of one provider interface across a class loader, to learn which jar
 * names which provider class. ServiceLoader hides this: it silently keeps the first of two jars naming the same
 * class, and its errors for a class that cannot be loaded do not say which jar listed it.
 */
final class ServiceFiles {
    private final Map<String, List<Path>> jarsByClass;

    private ServiceFiles(Map<String, List<Path>> jarsByClass) {
        this.jarsByClass = jarsByClass;
    }

    static ServiceFiles read(ClassLoader loader, Class<?> providerType) {
        Map<String, List<Path>> jarsByClass = new LinkedHashMap<>();
        String resource = "META-INF/services/" + providerType.getName();
        try {
            for (URL url : Collections.list(loader.getResources(resource))) {
                Path jar = Origins.containerOf(url, resource);
                for (String className : classNames(url)) {
                    List<Path> jars = jarsByClass.computeIfAbsent(className, c -> new ArrayList<>());
                    if (!jars.contains(jar)) {
                        jars.add(jar);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return new ServiceFiles(jarsByClass);
    }

    /** Provider classes named by services files in more than one jar, with those jars. */
    Map<String, List<Path>> namedByManyJars() {
        Map<String, List<Path>> many = new LinkedHashMap<>();
        jarsByClass.forEach((c, jars) -> {
            if (jars.size() > 1) {
                many.put(c, jars);
            }
        });
        return many;
    }

    /** The jars whose services files name a class that the message mentions; empty when none does. */
    List<Path> jarsNaming(String message) {
        List<Path> jars = new ArrayList<>();
        jarsByClass.forEach((c, paths) -> {
            if (message != null && message.contains(c)) {
                jars.addAll(paths);
            }
        });
        return jars;
    }

    private static List<String> classNames(URL url) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = url.openStream();
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int comment = line.indexOf('#');
                String name = (comment >= 0 ? line.substring(0, comment) : line).trim();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
