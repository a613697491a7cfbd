package dev.densify.core.model.io;

import dev.densify.core.model.ModelWeights;
import dev.densify.api.API;
import java.util.Map;
import java.util.Objects;

/**
 * A LoRA adapter as saved beside (not inside) its base checkpoint: the adapter tensors, under whatever names the
 * model gives them, with the base model's configuration, and string metadata such as rank, alpha and targets.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record AdapterWeights(ModelWeights weights, Map<String, String> metadata) {
    public AdapterWeights {
        Objects.requireNonNull(weights, "weights");
        metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
    }
}
