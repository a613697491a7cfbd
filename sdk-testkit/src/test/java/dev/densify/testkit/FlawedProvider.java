package dev.densify.testkit;

import java.util.Locale;

/**
 * What the providers of the kits' fixtures share: each makes a plugin with one flaw ({@code NONE} for the correct
 * one) and is named after it, {@code kit-unseeded-noise} for {@code UNSEEDED_NOISE}, so that its defaults file and
 * services line are found by that name. The names carry the whole chain: the kit {@code UnseededNoiseKit} runs the
 * provider class {@code UnseededNoise}, which has the flaw {@code UNSEEDED_NOISE}.
 */
abstract class FlawedProvider<F extends Enum<F>> {
    final F flaw;
    private final String prefix;
    private final String kind;

    /**
     * {@code prefix} comes before the flaw's name; {@code kind} says what the description calls the plugin. The flaw
     * is the one of {@code flaws} the class is named after: {@code SavesNothing} has {@code SAVES_NOTHING}, and
     * {@code Correct} has {@code NONE}, so that a provider per flaw is one line.
     */
    FlawedProvider(String prefix, String kind, Class<F> flaws) {
        this.prefix = prefix;
        this.kind = kind;
        String name = getClass().getSimpleName();
        this.flaw = Enum.valueOf(flaws, name.equals("Correct") ? "NONE"
                : name.replaceAll("(?<=[a-z0-9])(?=[A-Z])", "_").toUpperCase(Locale.ROOT));
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
