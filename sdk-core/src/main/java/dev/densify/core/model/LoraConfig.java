package dev.densify.core.model;

import dev.densify.api.API;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Low-rank adapters (Hu et al. 2021): each targeted weight W becomes W + (alpha / rank) * B A with A [rank, in]
 * drawn from a seeded uniform(-1/sqrt(in), 1/sqrt(in)) and B [out, rank] zero, so a fresh adapter changes
 * nothing until it trains.
 *
 * <p>With a positive {@code dropout} p, the training forward of an update ({@link LlamaModel#trainingScore})
 * computes x W^T + (alpha / rank) * dropout(x) A^T B^T, inverted dropout on the adapter branch's input alone
 * (as PEFT's {@code lora_dropout}); every other use of the model (generation, scoring, export, merging) sees the
 * folded weight W + (alpha / rank) B A, whatever p is.
 *
 * @param rank adapter rank r
 * @param alpha scaling numerator; the update is scaled by alpha / rank
 * @param targets the projections to adapt in every layer
 * @param dropout the probability p in [0, 1) of dropping an element of an adapter's input in a training forward
 * @param seed seed of A's initialisation
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record LoraConfig(int rank, double alpha, Set<LoraTarget> targets, double dropout, long seed) {
    /** Adapters without dropout. */
    public LoraConfig(int rank, double alpha, Set<LoraTarget> targets, long seed) {
        this(rank, alpha, targets, 0, seed);
    }

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
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must lie in [0, 1), got " + dropout);
        }
        targets = Set.copyOf(EnumSet.copyOf(targets));
    }

    private static final String RANK = "lora.rank";
    private static final String ALPHA = "lora.alpha";
    private static final String TARGETS = "lora.targets";
    private static final String SEED = "lora.seed";
    private static final String DROPOUT = "lora.dropout";

    /** The factor alpha / rank applied to B A. */
    public double scale() {
        return alpha / rank;
    }

    /**
     * String metadata to save beside the adapter tensors (e.g. in a safetensors header); the dropout only when
     * positive, so adapters without it are saved as they always were.
     */
    public Map<String, String> toMetadata() {
        Map<String, String> metadata = new HashMap<>(Map.of(RANK, Integer.toString(rank), ALPHA,
                Double.toString(alpha), SEED, Long.toString(seed), TARGETS, targets.stream().sorted()
                        .map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(","))));
        if (dropout > 0) {
            metadata.put(DROPOUT, Double.toString(dropout));
        }
        return Map.copyOf(metadata);
    }

    /**
     * The configuration {@link #toMetadata()} wrote (no dropout key: 0); a missing or malformed key is named in the
     * error.
     */
    public static LoraConfig fromMetadata(Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata");
        try {
            Set<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
            for (String name : require(metadata, TARGETS).split(",")) {
                targets.add(LoraTarget.fromName(name));
            }
            return new LoraConfig(Integer.parseInt(require(metadata, RANK)),
                    Double.parseDouble(require(metadata, ALPHA)), targets,
                    Double.parseDouble(metadata.getOrDefault(DROPOUT, "0")), Long.parseLong(require(metadata, SEED)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed LoRA metadata " + metadata + ": " + e.getMessage(), e);
        }
    }

    private static String require(Map<String, String> metadata, String key) {
        String value = metadata.get(key);
        if (value == null) {
            throw new IllegalArgumentException("LoRA metadata lacks '" + key + "' (has " + metadata.keySet() + ")");
        }
        return value;
    }
}
