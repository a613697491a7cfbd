package dev.densify.core.model.io;

import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.LlamaConfig;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks every reader makes before and after it allocates: a header's architecture numbers against the tensors
 * the file actually holds and the memory they imply (a 1 MB file claiming 1e9 layers must not run the JVM out of
 * memory), and the loaded weights for NaN and infinities (which otherwise surface far away, in the sampler).
 */
final class WeightChecks {
    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\..*");

    private WeightChecks() {}

    /**
     * Fails unless the file holds tensors for every layer the header claims, and the float32 weights fit the heap.
     *
     * @param layersKey the header field that claimed the layer count, named in the message
     * @param canonicalNames the canonical names of the tensors the file holds
     */
    static void requirePlausible(Path file, LlamaConfig config, String layersKey, Collection<String> canonicalNames)
            throws ModelFormatException {
        Set<Integer> layers = new HashSet<>();
        for (String name : canonicalNames) {
            Matcher m = LAYER.matcher(name);
            if (m.matches() && m.group(1).length() < 10) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        if (config.layers() > layers.size()) {
            throw new ModelFormatException(file, layersKey + " claims " + config.layers() + " layers but the file holds"
                    + " tensors of " + layers.size() + (layers.size() == 1 ? " layer" : " layers"));
        }
        requireFitsInMemory(file, config);
    }

    /** Fails when the float32 weights of {@code config} would not fit the heap this JVM may use. */
    static void requireFitsInMemory(Path file, LlamaConfig config) throws ModelFormatException {
        long parameters = parameters(config);
        long bytes = parameters > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : 4 * parameters;
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw new ModelFormatException(file, "its header (" + config + ") implies " + mib(bytes) + " MiB of float32"
                    + " weights but this JVM may use at most " + mib(heap) + " MiB (raise it with -Xmx, e.g."
                    + " DENSIFY_JAVA_OPTS=-Xmx8g)");
        }
    }

    /** The parameter count of {@code config}, saturating at {@link Long#MAX_VALUE} instead of overflowing. */
    static long parameters(LlamaConfig c) {
        try {
            long dim = c.dim();
            long kvDim = (long) c.kvHeads() * c.headSize();
            long perLayer = Math.addExact(Math.addExact(2 * dim, Math.multiplyExact(dim, 2 * dim + 2 * kvDim)),
                    Math.multiplyExact(3L * c.hiddenDim(), dim));
            if (c.attentionBias()) {
                perLayer = Math.addExact(perLayer, dim + 2 * kvDim);
            }
            long embeddings = Math.multiplyExact((long) c.vocabSize(), dim) * (c.tiedEmbeddings() ? 1 : 2);
            return Math.addExact(Math.addExact(Math.multiplyExact(perLayer, c.layers()), embeddings), dim);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Fails naming the first tensor (in name order) that holds a NaN or an infinity, with its index and count. */
    static void requireFinite(Path file, Map<String, WeightTensor> tensors) throws ModelFormatException {
        for (String name : tensors.keySet().stream().sorted().toList()) {
            float[] data = tensors.get(name).data();
            int first = -1;
            int count = 0;
            for (int i = 0; i < data.length; i++) {
                if (!Float.isFinite(data[i])) {
                    count++;
                    if (first < 0) {
                        first = i;
                    }
                }
            }
            if (count > 0) {
                throw new ModelFormatException(file, "tensor " + name + " holds " + count + " non-finite "
                        + (count == 1 ? "value" : "values") + " (the first, " + data[first] + ", at index " + first
                        + " of " + data.length + "); weights must be finite numbers");
            }
        }
    }

    private static long mib(long bytes) {
        return bytes / (1 << 20);
    }
}
