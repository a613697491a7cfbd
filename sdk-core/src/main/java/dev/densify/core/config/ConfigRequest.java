package dev.densify.core.config;

import dev.densify.api.API;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a user asked for: an optional configuration file and command-line overrides ({@code group=option},
 * {@code group.key=value}), applied in that order over the defaults.
 *
 * @param configFile a YAML file of the composed configuration's shape; its {@code defaults:} select options
 * @param overrides applied left to right after the file
 * @param groups the groups to compose; empty means all. A command that needs only some groups (playing an
 *     environment needs only {@code env}) composes just those, and ignores the others in the file and overrides.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ConfigRequest(Optional<Path> configFile, List<String> overrides, Set<String> groups) {
    public ConfigRequest {
        Objects.requireNonNull(configFile, "configFile");
        overrides = List.copyOf(Objects.requireNonNull(overrides, "overrides"));
        groups = Set.copyOf(Objects.requireNonNull(groups, "groups"));
    }

    /** Every group, with these overrides and no file. */
    public static ConfigRequest of(List<String> overrides) {
        return new ConfigRequest(Optional.empty(), overrides, Set.of());
    }

    public static ConfigRequest of(String... overrides) {
        return of(List.of(overrides));
    }

    public ConfigRequest withConfigFile(Path file) {
        return new ConfigRequest(Optional.of(Objects.requireNonNull(file, "file")), overrides, groups);
    }

    public ConfigRequest onlyGroups(String... only) {
        return new ConfigRequest(configFile, overrides, Set.of(only));
    }
}
