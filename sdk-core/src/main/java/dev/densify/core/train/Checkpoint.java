package dev.densify.core.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.API;
import dev.densify.api.buffer.Receipt;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.LoraConfig;
import dev.densify.core.model.io.AdapterBase;
import dev.densify.core.model.io.AdapterWeights;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.ModelWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Everything a run needs to continue exactly: policy and reference weights (of a LoRA run, their adapters only,
 * with the base checkpoint they apply to: the frozen base is not copied), critic, normaliser and optimizer
 * state, the iteration (all randomness derives from the seed and the iteration), the receipts of the buffer
 * deliveries its updates used since the previous checkpoint (acknowledged again on resume), and the learned shapers'
 * states in chain order ({@code shaper-0.bin}, ...; none in older checkpoints). Written to a temporary folder and
 * renamed into place, so a crash mid-write leaves the previous checkpoint intact.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record Checkpoint(int iteration, long policyVersion, long episodes, ModelWeights policy,
                         Optional<ModelWeights> reference, byte[] critic, byte[] normalizer, byte[] optimizer,
                         List<Receipt> receipts, Optional<Lora> lora, List<byte[]> shapers) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final String RECEIPTS = "receipts.json";
    private static final String STATE = "state.json";
    private static final String OPTIMIZER = "optimizer.bin";

    public Checkpoint {
        receipts = List.copyOf(receipts);
        Objects.requireNonNull(lora, "lora");
        shapers = List.copyOf(shapers);
    }

    /** A checkpoint without learned shapers. */
    public Checkpoint(int iteration, long policyVersion, long episodes, ModelWeights policy,
                      Optional<ModelWeights> reference, byte[] critic, byte[] normalizer, byte[] optimizer,
                      List<Receipt> receipts, Optional<Lora> lora) {
        this(iteration, policyVersion, episodes, policy, reference, critic, normalizer, optimizer, receipts, lora,
                List.of());
    }

    /** A checkpoint of full weights (no LoRA adapters). */
    public Checkpoint(int iteration, long policyVersion, long episodes, ModelWeights policy,
                      Optional<ModelWeights> reference, byte[] critic, byte[] normalizer, byte[] optimizer,
                      List<Receipt> receipts) {
        this(iteration, policyVersion, episodes, policy, reference, critic, normalizer, optimizer, receipts,
                Optional.empty());
    }

    /**
     * What makes {@link #policy()} and {@link #reference()} adapters: their configuration and the base checkpoint
     * they apply to.
     */
    @API(status = API.Status.INTERNAL, since = "0.2")
    public record Lora(LoraConfig config, AdapterBase base) {
        public Lora {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(base, "base");
        }

        AdapterWeights adapter(ModelWeights tensors) {
            return ModelFiles.adapter(tensors, config, base);
        }

        /** Fails unless a run configured with {@code configured} on {@code currentBase} may continue these adapters. */
        void requireContinuable(Path folder, Optional<LoraConfig> configured, AdapterBase currentBase) {
            if (configured.isEmpty() || !configured.get().equals(config)) {
                throw new RunFolderException(folder + " holds LoRA adapters of " + config.toMetadata()
                        + " but the run is configured with " + configured.map(LoraConfig::toMetadata)
                        .map(Object::toString).orElse("policy.lora.rank=0") + "; resume with the run's own policy.lora");
            }
            try {
                base.requireSame(currentBase);
            } catch (IllegalArgumentException e) {
                throw new RunFolderException(folder + ": " + e.getMessage() + " (policy.checkpoint)", e);
            }
        }
    }


    /** The checkpoint's file state: iteration counters that are not weights. */
    private record State(int iteration, long policyVersion, long episodes) {}

    private static String shaperFile(int index) {
        return "shaper-" + index + ".bin";
    }

    public static Path folder(Path checkpoints, int iteration) {
        return checkpoints.resolve(String.format("iter-%05d", iteration));
    }

    public void write(Path checkpoints) {
        Path target = folder(checkpoints, iteration);
        Path temporary = checkpoints.resolve(target.getFileName() + ".tmp");
        try {
            deleteRecursively(temporary);
            Files.createDirectories(temporary);
            if (lora.isPresent()) {
                ModelFiles.writeAdapter(lora.get().adapter(policy), temporary.resolve("policy"));
                if (reference.isPresent()) {
                    ModelFiles.writeAdapter(lora.get().adapter(reference.get()), temporary.resolve("reference"));
                }
            } else {
                ModelFiles.write(policy, temporary.resolve("policy"));
                if (reference.isPresent()) {
                    ModelFiles.write(reference.get(), temporary.resolve("reference"));
                }
            }
            Files.write(temporary.resolve("critic.bin"), critic);
            Files.write(temporary.resolve("normalizer.bin"), normalizer);
            Files.write(temporary.resolve(OPTIMIZER), optimizer);
            for (int k = 0; k < shapers.size(); k++) {
                Files.write(temporary.resolve(shaperFile(k)), shapers.get(k));
            }
            JSON.writeValue(temporary.resolve(RECEIPTS).toFile(), receipts);
            JSON.writeValue(temporary.resolve(STATE).toFile(), new State(iteration, policyVersion, episodes));
            forceToDisk(temporary);
            deleteRecursively(target);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target, e);
        }
    }

    /**
     * The policy folder of a run folder's newest checkpoint, of a checkpoint folder, or {@code path} itself (a
     * model or adapter file or folder).
     *
     * @throws RunFolderException when a run folder holds no checkpoint yet
     */
    public static Path policyFolder(Path path) {
        if (Files.isDirectory(path.resolve("checkpoints"))) {
            return latestFolder(path.resolve("checkpoints"))
                    .orElseThrow(() -> new RunFolderException(path + " holds no checkpoint yet"))
                    .resolve("policy");
        }
        return Files.isDirectory(path.resolve("policy")) ? path.resolve("policy") : path;
    }

    /** The newest complete checkpoint in the folder, if any. */
    public static Optional<Checkpoint> latest(Path checkpoints) {
        return latestFolder(checkpoints).map(Checkpoint::read);
    }

    /** The folder of the newest complete checkpoint (one whose state.json was written), if any. */
    public static Optional<Path> latestFolder(Path checkpoints) {
        if (!Files.isDirectory(checkpoints)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(checkpoints)) {
            return entries.filter(p -> p.getFileName().toString().matches("iter-\\d{5}"))
                    .filter(p -> Files.exists(p.resolve(STATE)))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + checkpoints, e);
        }
    }

    /**
     * Reads the checkpoint in {@code folder}, checking its counters first: a negative iteration, policy version,
     * episode count or optimizer step would surface much later as NaN or an index error.
     *
     * @throws RunFolderException naming the file and field when the state is missing or out of range
     */
    public static Checkpoint read(Path folder) {
        State state = readState(folder);
        try {
            byte[] optimizer = Files.readAllBytes(folder.resolve(OPTIMIZER));
            checkOptimizer(folder.resolve(OPTIMIZER), optimizer);
            List<Receipt> receipts = Files.exists(folder.resolve(RECEIPTS))
                    ? List.of(JSON.readValue(folder.resolve(RECEIPTS).toFile(), Receipt[].class)) : List.of();
            Optional<Lora> lora = Optional.empty();
            ModelWeights policy;
            Optional<ModelWeights> reference = Optional.empty();
            if (Files.isRegularFile(folder.resolve("policy").resolve(ModelFiles.ADAPTER))) {
                AdapterWeights adapter = ModelFiles.readAdapter(folder.resolve("policy"));
                lora = Optional.of(new Lora(loraConfig(folder, adapter), ModelFiles.baseOf(adapter)));
                policy = adapter.weights();
                if (Files.isDirectory(folder.resolve("reference"))) {
                    reference = Optional.of(ModelFiles.readAdapter(folder.resolve("reference")).weights());
                }
            } else {
                policy = ModelFiles.read(folder.resolve("policy"));
                if (Files.isDirectory(folder.resolve("reference"))) {
                    reference = Optional.of(ModelFiles.read(folder.resolve("reference")));
                }
            }
            List<byte[]> shapers = new ArrayList<>();
            for (int k = 0; Files.exists(folder.resolve(shaperFile(k))); k++) {
                shapers.add(Files.readAllBytes(folder.resolve(shaperFile(k))));
            }
            return new Checkpoint(state.iteration(), state.policyVersion(), state.episodes(), policy, reference,
                    Files.readAllBytes(folder.resolve("critic.bin")), Files.readAllBytes(folder.resolve("normalizer.bin")),
                    optimizer, receipts, lora, shapers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails unless the checkpoint's iteration lies within a run of {@code iterations} iterations: resuming past the
     * configured end would run nothing and report another run's state as this one's.
     */
    public void requireWithin(Path folder, int iterations) {
        if (iteration > iterations - 1) {
            throw new RunFolderException(folder.resolve(STATE) + ": iteration " + iteration + " is beyond the"
                    + " configured trainer.iterations=" + iterations + "; allowed: 0 to " + (iterations - 1)
                    + " (raise trainer.iterations to continue the run)");
        }
    }

    private static State readState(Path folder) {
        Path file = folder.resolve(STATE);
        State state;
        try {
            state = JSON.readValue(file.toFile(), State.class);
        } catch (IOException e) {
            String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage() : e.toString();
            throw new RunFolderException(file + ": not a checkpoint state (" + reason + "); expected "
                    + "{\"iteration\": N, \"policyVersion\": N, \"episodes\": N}", e);
        }
        requireNonNegative(file, "iteration", state.iteration());
        requireNonNegative(file, "policyVersion", state.policyVersion());
        requireNonNegative(file, "episodes", state.episodes());
        String expected = folder(folder.getParent() == null ? Path.of("") : folder.getParent(), state.iteration())
                .getFileName().toString();
        if (folder.getFileName() != null && folder.getFileName().toString().matches("iter-\\d{5}")
                && !folder.getFileName().toString().equals(expected)) {
            throw new RunFolderException(file + ": iteration " + state.iteration() + " does not match its folder "
                    + folder.getFileName() + " (expected " + expected + ")");
        }
        return state;
    }

    // AdamW's state opens with magic, version and the step count; a negative step makes its bias correction NaN.
    private static void checkOptimizer(Path file, byte[] bytes) {
        if (bytes.length < 16) {
            throw new RunFolderException(file + ": " + bytes.length + " bytes is too short for an optimizer state"
                    + " (magic, version and step count take 16)");
        }
        requireNonNegative(file, "step", ByteBuffer.wrap(bytes, 8, 8).getLong());
    }

    private static void requireNonNegative(Path file, String field, long value) {
        if (value < 0) {
            throw new RunFolderException(file + ": " + field + " is " + value + "; allowed: 0 or more");
        }
    }

    private static LoraConfig loraConfig(Path folder, AdapterWeights adapter) {
        try {
            return LoraConfig.fromMetadata(adapter.metadata());
        } catch (IllegalArgumentException e) {
            throw new RunFolderException(folder.resolve("policy") + ": " + e.getMessage(), e);
        }
    }

    /** A model from checkpointed weights, with the tokenizer saved beside them or the given one. */
    static LlamaModel model(ModelWeights weights, LlamaModel like) {
        return LlamaModel.fromWeights(weights, weights.tokenizer().orElse(like.tokenizer()));
    }

    // The rename makes the checkpoint visible; its files must be on disk by then, or a power cut could leave a
    // complete-looking checkpoint of empty files for resume to trust.
    private static void forceToDisk(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                        java.nio.file.StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
