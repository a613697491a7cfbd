package dev.densify.core.plugin;

import dev.densify.api.API;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the registry knows about one discovered provider.
 *
 * @param kind the extension point
 * @param name the word that selects it in configuration
 * @param description its one-line description
 * @param className the provider class
 * @param jar the jar (or class folder) the provider class was loaded from
 * @param version the jar manifest's {@code Implementation-Version}, or {@code unknown}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record PluginInfo(PluginKind<?> kind, String name, String description, String className, Path jar,
                         String version) {
    public PluginInfo {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(jar, "jar");
        Objects.requireNonNull(version, "version");
    }

    /** The jar's file name, for listings where the folder is obvious. */
    public String jarName() {
        Path fileName = jar.getFileName();
        return fileName == null ? jar.toString() : fileName.toString();
    }
}
