package dev.densify.rm.encoder;

import dev.densify.api.API;
import java.util.List;

/**
 * Texts to fixed-size vectors. Deterministic: the same text always gives the same vector (up to float rounding,
 * whatever else is in the batch), so embeddings can be cached once and reused.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public interface TextEncoder extends AutoCloseable {
    /** The length of every vector {@link #encode} returns. */
    int dimension();

    /** One vector of {@link #dimension()} floats per text, in order. */
    float[][] encode(List<String> texts);

    @Override
    void close();
}
