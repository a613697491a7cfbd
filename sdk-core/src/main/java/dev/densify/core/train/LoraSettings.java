package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.core.model.LoraConfig;
import dev.densify.core.model.LoraTarget;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The {@code policy.lora} block: low-rank adapters on a pretrained checkpoint. Rank 0 turns them off and every
 * weight trains; a positive rank freezes the base and trains only the adapters of the target projections. The
 * defaults are the block in {@code META-INF/densify/policy/tiny.yaml}.
 *
 * @param rank adapter rank; 0 is off
 * @param alpha the update is scaled by alpha / rank
 * @param targets the projections of every block to adapt (q, k, v, o, gate, up, down)
 * @param dropout the probability p in [0, 1) of dropping an element of an adapter's input in the training forward of
 *     an update, policy-gradient or supervised warm start (inverted dropout, as PEFT's {@code lora_dropout}, its masks
 *     from the update's seed); sampling, evaluation, the reference and export never drop. 0, the default, keeps the
 *     adapters folded into the weights.
 * @param init a saved adapter folder (or {@code adapter.safetensors}) to start from instead of fresh adapters, e.g.
 *     the warm start {@code densify ablate} shares; empty for fresh ones. It must adapt the same base checkpoint
 *     with the same rank, alpha and targets.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record LoraSettings(int rank, double alpha, List<LoraTarget> targets, double dropout, String init) {
    /**
     * LoRA off: the shipped block, which must be off (the shipped {@code policy.checkpoint} is empty, and
     * {@link PolicySettings} refuses adapters without a checkpoint).
     */
    public static final LoraSettings OFF = defaults();

    /** A distinct stream of the run seed for the adapters' initialisation. */
    private static final long INIT_STREAM = 0x5EED_0003L;

    public LoraSettings {
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(init, "init");
        if (rank < 0) {
            throw new ConfigException("policy.lora.rank", rank + " is not allowed; expected 0 (off) or a positive rank");
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new ConfigException("policy.lora.alpha", alpha + " is not allowed; expected a positive number");
        }
        if (rank > 0 && targets.isEmpty()) {
            throw new ConfigException("policy.lora.targets", "is empty; name at least one of q, k, v, o, gate, up, down");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new ConfigException("policy.lora.dropout", dropout + " is not allowed; expected a probability in"
                    + " [0, 1): 0 (off, the default) up to but not including 1");
        }
        if (dropout > 0 && rank == 0) {
            throw new ConfigException("policy.lora.dropout", dropout + " drops the adapters' input but"
                    + " policy.lora.rank is 0 (no adapters); set policy.lora.rank > 0 or policy.lora.dropout=0");
        }
        if (!init.isBlank() && rank == 0) {
            throw new ConfigException("policy.lora.init", "names adapters (" + init + ") but policy.lora.rank is 0;"
                    + " set the rank, alpha and targets the adapters were trained with, or leave init empty");
        }
        targets = List.copyOf(EnumSet.copyOf(targets.isEmpty() ? EnumSet.noneOf(LoraTarget.class) : targets));
    }

    public static LoraSettings defaults() {
        return PluginConfig.defaultsOf(LoraSettings.class, "policy", "tiny", "lora");
    }

    public boolean enabled() {
        return rank > 0;
    }

    /** The adapters' configuration for a run of {@code seed}, or empty when LoRA is off. */
    public Optional<LoraConfig> config(long seed) {
        if (!enabled()) {
            return Optional.empty();
        }
        return Optional.of(new LoraConfig(rank, alpha, EnumSet.copyOf(targets), dropout,
                new SplittableRandom(seed ^ INIT_STREAM).nextLong()));
    }
}
