package dev.densify.rm.pref;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import java.util.List;
import java.util.Objects;

/**
 * The {@code rm} configuration group (defaults in {@code META-INF/densify/rm/default.yaml}, formulas.md
 * "Bradley-Terry reward model with module heads").
 *
 * @param encoder the encoder checkpoint: a llama2.c .bin (tokenizer beside it), a GGUF file, a Hugging Face
 *     safetensors folder or a densify policy checkpoint folder
 * @param maxTokens tokens of each text the encoder reads (BOS and the text's last tokens)
 * @param encodeBatch texts per encoder forward pass
 * @param modules heads to create besides those the data names
 * @param headHidden hidden layer sizes of each head's MLP
 * @param dropout dropout after each hidden layer while training
 * @param alpha weight of the margin term
 * @param margin the margin m of ReLU(m - d)
 * @param epochs stage 0 (encoder frozen) epochs at most
 * @param headLr stage 0 learning rate
 * @param finetuneEpochs stage 1 (encoder trained too) epochs at most; 0 skips stage 1
 * @param finetuneEncoderLr stage 1 encoder learning rate
 * @param finetuneHeadLr stage 1 head learning rate
 * @param batchSize pairs per update
 * @param weightDecay AdamW decoupled weight decay of matrices
 * @param warmupFraction fraction of each stage's steps spent warming up
 * @param maxGradNorm gradient clip per optimizer
 * @param patience epochs without a better held-out loss before a stage stops
 * @param heldOut fraction of the tasks held out
 * @param bootstrap resamples of the bootstrap intervals
 * @param seed seeds the split, initialisation, shuffling, dropout and the bootstrap
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record RmSettings(String encoder, int maxTokens, int encodeBatch, List<String> modules, List<Integer> headHidden,
                         double dropout, double alpha, double margin, int epochs, double headLr, int finetuneEpochs,
                         double finetuneEncoderLr, double finetuneHeadLr, int batchSize, double weightDecay,
                         double warmupFraction, double maxGradNorm, int patience, double heldOut, int bootstrap,
                         long seed) {
    /** The primary configuration of {@code densify rm}: one group, {@value #GROUP}. */
    public static final String PRIMARY = "META-INF/densify/rm.yaml";
    public static final String GROUP = "rm";

    public RmSettings {
        Objects.requireNonNull(encoder, "encoder");
        modules = List.copyOf(modules);
        headHidden = List.copyOf(headHidden);
        require(maxTokens >= 2, "max_tokens", maxTokens + " is too small; expected 2 or more");
        require(encodeBatch > 0, "encode_batch", encodeBatch + " is not allowed; expected a positive number");
        modules.forEach(m -> require(!m.isBlank(), "modules", "a module name cannot be blank"));
        require(!headHidden.isEmpty(), "head_hidden", "expected at least one hidden layer size, e.g. [128]");
        headHidden.forEach(h -> require(h > 0, "head_hidden", h + " is not allowed; layer sizes must be positive"));
        require(dropout >= 0 && dropout < 1, "dropout", dropout + " is out of range [0, 1)");
        require(alpha >= 0 && Double.isFinite(alpha), "alpha", alpha + " is not allowed; expected 0 or more");
        require(margin >= 0 && Double.isFinite(margin), "margin", margin + " is not allowed; expected 0 or more");
        require(epochs >= 1, "epochs", epochs + " is not allowed; expected 1 or more");
        require(headLr > 0 && Double.isFinite(headLr), "head_lr", headLr + " is not allowed; expected > 0");
        require(finetuneEpochs >= 0, "finetune_epochs", finetuneEpochs + " is not allowed; expected 0 (off) or more");
        require(finetuneEncoderLr > 0 && Double.isFinite(finetuneEncoderLr), "finetune_encoder_lr",
                finetuneEncoderLr + " is not allowed; expected > 0");
        require(finetuneHeadLr > 0 && Double.isFinite(finetuneHeadLr), "finetune_head_lr",
                finetuneHeadLr + " is not allowed; expected > 0");
        require(batchSize > 0, "batch_size", batchSize + " is not allowed; expected a positive number");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight_decay", weightDecay + " is not allowed; expected 0 or more");
        require(warmupFraction >= 0 && warmupFraction < 1, "warmup_fraction", warmupFraction + " is out of range [0, 1)");
        require(maxGradNorm > 0, "max_grad_norm", maxGradNorm + " is not allowed; expected > 0");
        require(patience >= 1, "patience", patience + " is not allowed; expected 1 or more");
        require(heldOut > 0 && heldOut < 1, "held_out", heldOut + " is out of range (0, 1)");
        require(bootstrap >= 100, "bootstrap", bootstrap + " is too few resamples; expected 100 or more");
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new ConfigException("rm." + key, message);
        }
    }
}
