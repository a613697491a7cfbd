package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.Normalizer;
import dev.densify.api.reward.NormalizerProvider;
import java.util.Objects;

/** Provides the {@code clip} normaliser. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ClipNormalizerProvider implements NormalizerProvider {
    @Override
    public String name() {
        return "clip";
    }

    @Override
    public String description() {
        return "Clamps every reward to [min, max]";
    }

    @Override
    public Normalizer create(PluginConfig config) {
        return new ClipNormalizer(Objects.requireNonNull(config, "config").bind(ClipNormalizerConfig.class));
    }
}
