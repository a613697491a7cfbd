package dev.densify.rm;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.LearnedShaper;
import dev.densify.api.reward.RewardShaperProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The learned shapers a test makes from one provider, each from the test class's keys with the test's overrides on top, and
 * closed after the test; registered with {@code @RegisterExtension}.
 */
public final class MadeShapers<S extends LearnedShaper> implements AfterEachCallback {
    private final RewardShaperProvider provider;
    private final Class<S> type;
    private final Map<String, Object> keys;
    private final List<LearnedShaper> made = new ArrayList<>();

    public MadeShapers(RewardShaperProvider provider, Class<S> type, Map<String, Object> keys) {
        this.provider = provider;
        this.type = type;
        this.keys = keys;
    }

    /** A new shaper from the keys with {@code overrides} replacing or adding some. */
    public S make(Map<String, Object> overrides) {
        Map<String, Object> all = new HashMap<>(keys);
        all.putAll(overrides);
        S shaper = type.cast(provider.create(PluginConfig.of("shaper", all)));
        made.add(shaper);
        return shaper;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        made.forEach(LearnedShaper::close);
        made.clear();
    }
}
