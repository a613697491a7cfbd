package dev.densify.rm.prime;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.RewardShaperProvider;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.ModelPresets;
import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongFunction;

/** Provides the {@code implicit-prm} shaper. */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class ImplicitPrmShaperProvider implements RewardShaperProvider {
    @Override
    public String name() {
        return ImplicitPrmShaper.NAME;
    }

    @Override
    public String description() {
        return "PRIME's implicit process reward beta * log(pi_phi / pi_ref) per step, pi_phi learned online from"
                + " outcome labels by cross-entropy";
    }

    /** The shaper; a checkpoint is checked for existence now and read at the first fit (or restore). */
    @Override
    public RewardShaper create(PluginConfig config) {
        Objects.requireNonNull(config, "config");
        ImplicitPrmShaperConfig settings = config.bind(ImplicitPrmShaperConfig.class);
        LongFunction<LlamaModel> initial;
        if (settings.isPreset()) {
            initial = seed -> {
                ByteTokenizer tokenizer = new ByteTokenizer();
                return LlamaModel.random(ModelPresets.preset(settings.model(), tokenizer.vocabSize()), tokenizer, seed);
            };
        } else {
            Path checkpoint = Path.of(settings.model());
            if (!Files.exists(checkpoint)) {
                throw new ConfigException(config.path() + ".model", "'" + checkpoint + "' is neither a model preset ("
                        + String.join(", ", ModelPresets.names()) + ") nor an existing file or folder");
            }
            initial = seed -> read(checkpoint);
        }
        return new ImplicitPrmShaper(settings, initial);
    }

    private static LlamaModel read(Path checkpoint) {
        try {
            ModelWeights weights = ModelFiles.read(checkpoint);
            if (weights.tokenizer().isEmpty()) {
                throw new IllegalArgumentException("shaper.model " + checkpoint + " carries no tokenizer (a"
                        + " llama2.c .bin needs tokenizer.bin beside it)");
            }
            return LlamaModel.fromWeights(weights);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shaper.model " + checkpoint + ": " + e.getMessage(), e);
        }
    }
}
