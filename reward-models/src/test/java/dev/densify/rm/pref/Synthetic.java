package dev.densify.rm.pref;

import dev.densify.api.config.PluginConfig;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.config.ConfigComposer;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Pairs with a planted preference, and settings composed the way the command composes them. */
final class Synthetic {
    static final Path MODELS = dev.densify.core.model.io.TestModels.stories260K();
    static final Path BIN = MODELS.resolve("stories260K.bin");
    private static final String[] NEUTRAL = {"the", "cat", "went", "to", "park", "and", "saw", "a", "big", "tree",
        "then", "she", "ran", "home", "with", "her", "mom"};
    private static final String[] GOOD = {"happy", "smiled", "found", "treasure", "won", "laughed", "gift"};
    private static final String[] BAD = {"sad", "cried", "lost", "broke", "angry", "hurt", "scared"};

    private Synthetic() {}

    static ComposedConfig compose(String... overrides) {
        PluginRegistry registry = PluginRegistry.discover(Synthetic.class.getClassLoader());
        return new ConfigComposer(registry, RmSettings.PRIMARY).compose(ConfigRequest.of(overrides));
    }

    static RmSettings settings(String... overrides) {
        List<String> all = new ArrayList<>(List.of("rm.encoder=" + BIN, "rm.max_tokens=48", "rm.head_hidden=[32]",
                "rm.bootstrap=200"));
        all.addAll(List.of(overrides));
        PluginConfig rm = compose(all.toArray(String[]::new)).group(RmSettings.GROUP);
        return rm.bind(RmSettings.class);
    }

    /** A positive side holds words of joy, a negative side words of trouble, among the same neutral words. */
    static List<PreferencePair> pairs(int count, int tasks, List<String> modules, long seed) {
        Random random = new Random(seed);
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String module = modules.get(i % modules.size());
            pairs.add(new PreferencePair("p" + i, module, "task-" + (i % tasks),
                    side(random, GOOD, Map.of("success", true)), side(random, BAD, Map.of("success", false))));
        }
        return pairs;
    }

    private static PreferencePair.Side side(Random random, String[] marked, Object outcome) {
        StringBuilder context = new StringBuilder();
        StringBuilder module = new StringBuilder();
        for (int w = 0; w < 12; w++) {
            String word = w % 4 == 1 ? marked[random.nextInt(marked.length)] : NEUTRAL[random.nextInt(NEUTRAL.length)];
            context.append(word).append(' ');
            if (w % 3 == 0) {
                module.append(word).append(' ');
            }
        }
        return new PreferencePair.Side(context.toString().strip(), module.toString().strip(), outcome);
    }
}
