package dev.densify.core.plugin;

import dev.densify.api.API;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every plugin provider found with {@link ServiceLoader} on one class loader, by kind and name. Discovery checks
 * the whole class path at once and reports every problem together: two providers of one kind with the same name,
 * one provider class listed by two jars, a listed class that cannot be loaded or whose constructor throws.
 * Provider instances are created once and shared; the plugins they create are not.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class PluginRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);
    // ServiceLoader promises only a best effort to continue after a broken entry; never loop on one forever.
    private static final int MAX_LOAD_FAILURES_PER_KIND = 64;

    private record Registered(Object provider, PluginInfo info) {}

    private final ClassLoader classLoader;
    private final Map<PluginKind<?>, SortedMap<String, Registered>> byKind;

    private PluginRegistry(ClassLoader classLoader, Map<PluginKind<?>, SortedMap<String, Registered>> byKind) {
        this.classLoader = classLoader;
        this.byKind = byKind;
    }

    /**
     * Finds every provider of every {@linkplain PluginKind#ALL kind} visible to {@code loader}.
     *
     * @throws PluginException listing every duplicate name and every provider that cannot be loaded or created
     */
    public static PluginRegistry discover(ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        List<String> problems = new ArrayList<>();
        Map<PluginKind<?>, SortedMap<String, Registered>> byKind = new LinkedHashMap<>();
        Map<Path, String> versions = new HashMap<>();
        for (PluginKind<?> kind : PluginKind.ALL) {
            byKind.put(kind, Collections.unmodifiableSortedMap(discover(kind, loader, versions, problems)));
        }
        if (!problems.isEmpty()) {
            throw new PluginException(problems);
        }
        PluginRegistry registry = new PluginRegistry(loader, Collections.unmodifiableMap(byKind));
        LOG.debug("discovered plugins: {}", registry.plugins());
        return registry;
    }

    private static <P> SortedMap<String, Registered> discover(PluginKind<P> kind, ClassLoader loader,
                                                              Map<Path, String> versions, List<String> problems) {
        ServiceFiles files = ServiceFiles.read(loader, kind.providerType());
        files.namedByManyJars().forEach((className, jars) -> problems.add(kind + " provider " + className
                + " is in more than one jar: " + join(jars) + "; keep only one of them"));

        SortedMap<String, Registered> found = new TreeMap<>();
        Iterator<ServiceLoader.Provider<P>> candidates = ServiceLoader.load(kind.providerType(), loader).stream()
                .iterator();
        int failures = 0;
        while (failures < MAX_LOAD_FAILURES_PER_KIND) {
            ServiceLoader.Provider<P> candidate;
            try {
                if (!candidates.hasNext()) {
                    break;
                }
                candidate = candidates.next();
            } catch (ServiceConfigurationError | NoSuchElementException e) {
                failures++;
                List<Path> jars = files.jarsNaming(e.getMessage());
                problems.add(kind + " provider cannot be loaded" + (jars.isEmpty() ? "" : " (listed in " + join(jars) + ")")
                        + ": " + messageOf(e));
                continue;
            }
            register(kind, candidate, found, versions, problems);
        }
        return found;
    }

    private static <P> void register(PluginKind<P> kind, ServiceLoader.Provider<P> candidate,
                                     SortedMap<String, Registered> found, Map<Path, String> versions,
                                     List<String> problems) {
        Class<? extends P> type = candidate.type();
        Path jar = Origins.of(type);
        String where = type.getName() + " in " + jar;
        P provider;
        String name;
        String description;
        try {
            provider = candidate.get();
            name = kind.nameOf(provider);
            description = kind.descriptionOf(provider);
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            problems.add(kind + " provider " + where + " cannot be created: " + messageOf(e));
            return;
        }
        if (name == null || name.isBlank()) {
            problems.add(kind + " provider " + where + " has no name");
            return;
        }
        PluginInfo info = new PluginInfo(kind, name, description == null ? "" : description, type.getName(), jar,
                versions.computeIfAbsent(jar, Origins::versionOf));
        Registered previous = found.putIfAbsent(name, new Registered(provider, info));
        if (previous != null) {
            problems.add(kind + " name '" + name + "' is used by two providers: " + previous.info.className()
                    + " in " + previous.info.jar() + " and " + where + "; remove one of the jars");
        }
    }

    /** The class loader plugins were found on; configuration files are read from it too. */
    public ClassLoader classLoader() {
        return classLoader;
    }

    /** Every discovered provider, by kind in {@link PluginKind#ALL} order, then by name. */
    public List<PluginInfo> plugins() {
        return byKind.values().stream().flatMap(m -> m.values().stream()).map(Registered::info)
                .collect(Collectors.toUnmodifiableList());
    }

    /** The discovered providers of one kind, by name. */
    public List<PluginInfo> plugins(PluginKind<?> kind) {
        return entries(kind).values().stream().map(Registered::info).collect(Collectors.toUnmodifiableList());
    }

    /** The names of one kind's providers, sorted. */
    public SortedSet<String> names(PluginKind<?> kind) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(entries(kind).keySet()));
    }

    public boolean contains(PluginKind<?> kind, String name) {
        return entries(kind).containsKey(Objects.requireNonNull(name, "name"));
    }

    /**
     * The provider of {@code kind} named {@code name}.
     *
     * @throws PluginException when there is none; the message lists the known names
     */
    public <P> P provider(PluginKind<P> kind, String name) {
        return kind.providerType().cast(registered(kind, name).provider());
    }

    /** What is known about the provider of {@code kind} named {@code name}; throws like {@link #provider}. */
    public PluginInfo info(PluginKind<?> kind, String name) {
        return registered(kind, name).info();
    }

    private Registered registered(PluginKind<?> kind, String name) {
        Objects.requireNonNull(name, "name");
        Registered registered = entries(kind).get(name);
        if (registered == null) {
            SortedSet<String> known = names(kind);
            throw new PluginException("unknown " + kind + " plugin '" + name + "'; "
                    + (known.isEmpty() ? "no " + kind + " plugins are on the class path" : "known: " + known));
        }
        return registered;
    }

    private SortedMap<String, Registered> entries(PluginKind<?> kind) {
        SortedMap<String, Registered> entries = byKind.get(Objects.requireNonNull(kind, "kind"));
        if (entries == null) {
            throw new IllegalArgumentException("not a registered plugin kind: " + kind);
        }
        return entries;
    }

    private static String join(List<Path> jars) {
        return jars.stream().map(Path::toString).collect(Collectors.joining(" and "));
    }

    private static String messageOf(Throwable e) {
        Throwable root = e;
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            message.append(": ").append(root.getClass().getSimpleName());
            if (root.getMessage() != null) {
                message.append(": ").append(root.getMessage());
            }
        }
        return message.toString();
    }

    @Override
    public String toString() {
        return "PluginRegistry" + plugins().stream().map(p -> p.kind() + "/" + p.name()).toList();
    }
}
