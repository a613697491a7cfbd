package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.Normalizer;
import dev.densify.api.reward.NormalizerProvider;
import java.util.Objects;

/** Provides the {@code par} normaliser. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ParNormalizerProvider implements NormalizerProvider {
    @Override
    public String name() {
        return "par";
    }

    @Override
    public String description() {
        return "Preference as reward: mean sigmoid of the reward minus each reward of its group, bounded in (0, 1)";
    }

    @Override
    public Normalizer create(PluginConfig config) {
        return new ParNormalizer(Objects.requireNonNull(config, "config").bind(ParNormalizerConfig.class));
    }
}
