package dev.densify.core.model;

import dev.densify.api.API;
import java.util.Locale;

/**
 * Which implementation {@link LlamaModel#generate} runs the per-token forward pass with. Both compute the same
 * math and sample with the same code; they differ in speed only (see docs/benchmarks.md, "Java decoding").
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public enum Decoding {
    /** Plain Java arrays for small models and batches, where the engine's per-call cost dominates; else the engine. */
    AUTO,
    /** Always plain Java arrays. */
    JAVA,
    /** Always the engine (DJL on PyTorch). */
    ENGINE;

    /** The system property that sets a new model's decoding: auto, java or engine. */
    public static final String PROPERTY = "densify.decoding";

    /** The value of {@link #PROPERTY}, or AUTO when it is not set. */
    public static Decoding fromSystemProperty() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property " + PROPERTY + " must be auto, java or engine, got '"
                    + value + "'");
        }
    }
}
