package dev.densify.core.model;

import dev.densify.api.API;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Low-rank adapters (Hu et al. 2021): each targeted weight W becomes W + (alpha / rank) * B A with A [rank, in]
 * drawn from a seeded uniform(-1/sqrt(in), 1/sqrt(in)) and B [out, rank] zero, so a fresh adapter changes
 * nothing until it trains.
 *
 * @param rank adapter rank r
 * @param alpha scaling numerator; the update is scaled by alpha / rank
 * @param targets the projections to adapt in every layer
 * @param seed seed of A's initialisation
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record LoraConfig(int rank, double alpha, Set<LoraTarget> targets, long seed) {
    public LoraConfig {
        Objects.requireNonNull(targets, "targets");
        if (rank <= 0) {
            throw new IllegalArgumentException("LoRA rank must be positive, got " + rank);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("LoRA alpha must be a positive number, got " + alpha);
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target projection (q, k, v, o, gate, up, down)");
        }
        targets = Set.copyOf(EnumSet.copyOf(targets));
    }

    /** The factor alpha / rank applied to B A. */
    public double scale() {
        return alpha / rank;
    }
}
