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
 * @param dropout dropout on the adapters' input; only 0 is supported (see the constructor)
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
        // The adapters are folded into the weights of the fused forward pass (W + alpha/r B A), which leaves no
        // separate adapter input to drop out; accepting a rate and ignoring it would mislead.
        if (dropout != 0) {
            throw new ConfigException("policy.lora.dropout", dropout + " is not supported yet; allowed: 0 (the"
                    + " adapters are folded into the projection weights, so there is no separate input to drop)");
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
        return Optional.of(new LoraConfig(rank, alpha, EnumSet.copyOf(targets),
                new SplittableRandom(seed ^ INIT_STREAM).nextLong()));
    }
}
