package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.io.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A policy's weights as the bytes a {@link dev.densify.core.buffer.policy.PolicyStore} carries: one safetensors
 * file (float32) of the model's base tensors, or of its LoRA adapters alone when it has them (the base is frozen and
 * the receiver loaded it from the same checkpoint). The receiver already has a model of the same configuration
 * (built from the same run configuration) and overwrites its parameters in place.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class PolicyWeights {
    private PolicyWeights() {}

    public static byte[] encode(LlamaModel model) {
        Path file = null;
        try {
            file = Files.createTempFile("densify-policy-", ".safetensors");
            ModelWeights weights = model.lora().isPresent() ? model.loraWeights() : model.toWeights();
            Safetensors.write(file, weights.tensors().values(), Map.of());
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the policy's weights: " + e.getMessage(), e);
        } finally {
            deleteQuietly(file);
        }
    }

    /** Overwrites {@code model}'s parameters with {@code bytes} from {@link #encode}. */
    public static void load(LlamaModel model, byte[] bytes) {
        Path file = null;
        try {
            file = Files.createTempFile("densify-policy-", ".safetensors");
            Files.write(file, bytes);
            model.restore(new ModelWeights(model.config(), Safetensors.read(file).tensors(), Optional.empty()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode published policy weights: " + e.getMessage(), e);
        } finally {
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover temporary file is harmless; the weights were already read or written
            }
        }
    }
}
