package dev.densify.core.plugin;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** Where classes and resources come from: the jar (or class folder) and that jar's version. */
final class Origins {
    static final String UNKNOWN_VERSION = "unknown";

    private Origins() {}

    /** The jar or folder that {@code type} was loaded from. */
    static Path of(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Path.of("<" + type.getName() + " has no code source>");
        }
        return toPath(source.getLocation()).orElse(Path.of(source.getLocation().toString()));
    }

    /** The jar or folder that holds the resource found at {@code url} under the name {@code resource}. */
    static Path containerOf(URL url, String resource) {
        try {
            if ("jar".equals(url.getProtocol())) {
                URL jarUrl = ((JarURLConnection) url.openConnection()).getJarFileURL();
                return toPath(jarUrl).orElse(Path.of(jarUrl.toString()));
            }
        } catch (IOException | ClassCastException e) {
            return Path.of(url.toString());
        }
        Optional<Path> file = toPath(url);
        if (file.isEmpty()) {
            return Path.of(url.toString());
        }
        Path root = file.get();
        for (int i = 0; i < Path.of(resource).getNameCount() && root.getParent() != null; i++) {
            root = root.getParent();
        }
        return root;
    }

    /** The {@code Implementation-Version} of the jar's manifest, or {@value #UNKNOWN_VERSION}. */
    static String versionOf(Path jar) {
        if (!Files.isRegularFile(jar)) {
            return UNKNOWN_VERSION;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String version = manifest == null ? null
                    : manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
            return version == null || version.isBlank() ? UNKNOWN_VERSION : version.trim();
        } catch (IOException e) {
            return UNKNOWN_VERSION;
        }
    }

    private static Optional<Path> toPath(URL url) {
        if (!"file".equals(url.getProtocol())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(url.toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
