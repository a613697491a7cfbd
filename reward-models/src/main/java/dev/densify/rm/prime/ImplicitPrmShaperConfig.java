package dev.densify.rm.prime;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;
import dev.densify.core.model.ModelPresets;
import java.util.Objects;

/**
 * Keys of the {@code implicit-prm} shaper (formulas.md, "Implicit process reward (PRIME)"). The model pi_phi and its
 * reference pi_ref start as two copies of one {@code model}: a checkpoint, or a preset initialised from the seed of the
 * first fit with the built-in byte-level tokenizer (the vocabulary of a preset policy). Its vocabulary must be the
 * policy's: the shaper reads the token ids the policy generated.
 *
 * @param beta the scale of the log-ratio in the step reward and in the outcome logit
 * @param model a model preset (micro, tiny, small), or the path of a model densify reads (llama2.c .bin with its
 *     tokenizer beside it, GGUF, a Hugging Face folder, a policy checkpoint folder)
 * @param lr AdamW learning rate of pi_phi
 * @param weightDecay AdamW decoupled weight decay of pi_phi's matrices
 * @param epochs passes over each iteration's episodes per fit
 * @param batchEpisodes episodes per update
 * @param maxGradNorm global gradient norm clip of each update
 * @param forwardBatch step sequences per forward pass (bounds native memory, as the policy learner's mini-batch)
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record ImplicitPrmShaperConfig(double beta, String model, double lr, double weightDecay,
                                      int epochs, int batchEpisodes, double maxGradNorm,
                                      int forwardBatch) {
    public ImplicitPrmShaperConfig {
        Ranges.requirePositiveAtMost("beta", beta, 100);
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new ConfigException("model", "must be a model preset (" + String.join(", ", ModelPresets.names())
                    + ") or the path of a checkpoint");
        }
        Ranges.requirePositiveAtMost("lr", lr, 1);
        Ranges.requireBetween("weight_decay", weightDecay, 0, 10);
        Ranges.requireBetween("epochs", epochs, 1, 1000);
        Ranges.requireBetween("batch_episodes", batchEpisodes, 1, 100_000);
        Ranges.requirePositiveAtMost("max_grad_norm", maxGradNorm, 1e6);
        Ranges.requireBetween("forward_batch", forwardBatch, 1, 100_000);
    }

    /** Whether {@link #model()} names a preset rather than a checkpoint. */
    public boolean isPreset() {
        return ModelPresets.names().contains(model);
    }

    public static ImplicitPrmShaperConfig defaults() {
        return PluginConfig.defaultsOf(ImplicitPrmShaperConfig.class, "shaper", "implicit-prm");
    }
}
