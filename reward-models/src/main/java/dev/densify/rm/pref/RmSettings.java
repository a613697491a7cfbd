package dev.densify.rm.pref;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.Ranges;
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
        Ranges.requireAtLeast("rm.max_tokens", maxTokens, 2);
        Ranges.requirePositive("rm.encode_batch", encodeBatch);
        modules.forEach(m -> require(!m.isBlank(), "modules", "a module name cannot be blank"));
        require(!headHidden.isEmpty(), "head_hidden", "expected at least one hidden layer size, e.g. [128]");
        headHidden.forEach(h -> require(h > 0, "head_hidden", h + " is not allowed; layer sizes must be positive"));
        Ranges.requireAtLeastAndBelow("rm.dropout", dropout, 0, 1);
        Ranges.requireAtLeast("rm.alpha", alpha, 0);
        Ranges.requireAtLeast("rm.margin", margin, 0);
        Ranges.requireAtLeast("rm.epochs", epochs, 1);
        Ranges.requirePositive("rm.head_lr", headLr);
        require(finetuneEpochs >= 0, "finetune_epochs", finetuneEpochs + " is not allowed; expected 0 (off) or more");
        Ranges.requirePositive("rm.finetune_encoder_lr", finetuneEncoderLr);
        Ranges.requirePositive("rm.finetune_head_lr", finetuneHeadLr);
        Ranges.requirePositive("rm.batch_size", batchSize);
        Ranges.requireAtLeast("rm.weight_decay", weightDecay, 0);
        Ranges.requireAtLeastAndBelow("rm.warmup_fraction", warmupFraction, 0, 1);
        Ranges.requirePositive("rm.max_grad_norm", maxGradNorm);
        Ranges.requireAtLeast("rm.patience", patience, 1);
        Ranges.requireAboveAndBelow("rm.held_out", heldOut, 0, 1);
        Ranges.requireAtLeast("rm.bootstrap", bootstrap, 100);
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new ConfigException("rm." + key, message);
        }
    }
}
