package dev.densify.testkit;

import java.util.Locale;

/**
 * What the providers of the kits' fixtures share: each makes a plugin with one flaw ({@code NONE} for the correct
 * one) and is named after it, {@code kit-unseeded-noise} for {@code UNSEEDED_NOISE}, so that its defaults file and
 * services line are found by that name.
 */
abstract class FlawedProvider<F extends Enum<F>> {
    final F flaw;
    private final String prefix;
    private final String kind;

    /** {@code prefix} comes before the flaw's name; {@code kind} says what the description calls the plugin. */
    FlawedProvider(String prefix, String kind, F flaw) {
        this.prefix = prefix;
        this.kind = kind;
        this.flaw = flaw;
    }

    public String name() {
        return prefix + flaw.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String description() {
        return "A test " + kind + ": " + flaw;
    }

    /**
     * A new instance of the provider that a fixture's kit is named after: {@code NormalizerFixtures.MutatesInputKit}
     * runs {@code NormalizerFixtures.MutatesInput}, so that a kit per flaw is one line.
     */
    static <P> P namedAfter(Class<?> kit, Class<P> kind) {
        String name = kit.getName();
        if (!name.endsWith("Kit")) {
            throw new IllegalStateException(name + " does not end in Kit: override provider() to name its provider");
        }
        String providerName = name.substring(0, name.length() - "Kit".length());
        try {
            return kind.cast(Class.forName(providerName, true, kit.getClassLoader()).getConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the kit " + name + " finds no provider " + providerName
                    + " with a public no-argument constructor", e);
        }
    }
}
