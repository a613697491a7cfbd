package dev.densify.rm.shaper;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.plugin.PluginContext;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.RewardShaperProvider;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Provides the {@code reward-model} shaper; the model is loaded when the shaper is created, before any training. */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class RewardModelShaperProvider implements RewardShaperProvider {
    private final Optional<Path> blankModel;

    /** The provider ServiceLoader creates: {@code shaper.model} must be given. */
    public RewardModelShaperProvider() {
        this(Optional.empty());
    }

    /**
     * A provider that reads {@code blankModel} when {@code shaper.model} is blank: the contract kit creates shapers
     * from the empty defaults, and a shaper needs a model (there is no model that could be a default).
     */
    RewardModelShaperProvider(Optional<Path> blankModel) {
        this.blankModel = Objects.requireNonNull(blankModel, "blankModel");
    }

    @Override
    public String name() {
        return "reward-model";
    }

    @Override
    public String description() {
        return "Per-step rewards from a trained reward model (densify rm logs fit or rm train), with Clip/Delta"
                + " refinement (Gao et al. 2024)";
    }

    @Override
    public RewardShaper create(PluginConfig config) {
        return create(config, PluginContext.standalone());
    }

    @Override
    public RewardShaper create(PluginConfig config, PluginContext context) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(context, "context");
        // the defaults file leaves model empty (YAML null): read as blank, so that the message below is the one shown
        PluginConfig node = config;
        if (config.asMap().containsKey("model") && config.asMap().get("model") == null) {
            java.util.Map<String, Object> values = new java.util.LinkedHashMap<>(config.asMap());
            values.put("model", "");
            node = PluginConfig.of(config.path(), values);
        }
        RewardModelShaperConfig settings = node.bind(RewardModelShaperConfig.class);
        Path model;
        if (!settings.model().isBlank()) {
            model = Path.of(settings.model());
        } else {
            model = blankModel.orElseThrow(() -> new ConfigException(config.path() + ".model", "must name a trained "
                    + "model: a folder from densify rm logs fit (logs-model.json) or from densify rm train"));
        }
        return new RewardModelShaper(settings, StepScorer.open(model, settings.module()),
                context.logger("shaper"));
    }
}
