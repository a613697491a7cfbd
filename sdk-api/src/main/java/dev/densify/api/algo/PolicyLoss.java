package dev.densify.api.algo;

import ai.djl.ndarray.NDArray;
import dev.densify.api.API;
import java.util.Map;
import java.util.Objects;

/**
 * The scalar loss to minimise and named scalar diagnostics (e.g. {@code clip_fraction}, {@code kl}) that the
 * learner averages into the iteration's metrics.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record PolicyLoss(NDArray loss, Map<String, NDArray> diagnostics) {
    public PolicyLoss {
        Objects.requireNonNull(loss, "loss");
        diagnostics = Map.copyOf(Objects.requireNonNull(diagnostics, "diagnostics"));
    }
}
