package dev.densify.core.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.API;
import dev.densify.core.buffer.Receipt;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.io.ModelWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Everything a run needs to continue exactly: policy and reference weights, critic, normaliser and optimizer
 * state, the iteration (all randomness derives from the seed and the iteration), and the receipts of the buffer
 * deliveries its updates used since the previous checkpoint (acknowledged again on resume). Written to a temporary
 * folder and renamed into place, so a crash mid-write leaves the previous checkpoint intact.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record Checkpoint(int iteration, long policyVersion, long episodes, ModelWeights policy,
                         Optional<ModelWeights> reference, byte[] critic, byte[] normalizer, byte[] optimizer,
                         List<Receipt> receipts) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECEIPTS = "receipts.json";

    public Checkpoint {
        receipts = List.copyOf(receipts);
    }

    /** The checkpoint's file state: iteration counters that are not weights. */
    private record State(int iteration, long policyVersion, long episodes) {}

    public static Path folder(Path checkpoints, int iteration) {
        return checkpoints.resolve(String.format("iter-%05d", iteration));
    }

    public void write(Path checkpoints) {
        Path target = folder(checkpoints, iteration);
        Path temporary = checkpoints.resolve(target.getFileName() + ".tmp");
        try {
            deleteRecursively(temporary);
            Files.createDirectories(temporary);
            ModelFiles.write(policy, temporary.resolve("policy"));
            if (reference.isPresent()) {
                ModelFiles.write(reference.get(), temporary.resolve("reference"));
            }
            Files.write(temporary.resolve("critic.bin"), critic);
            Files.write(temporary.resolve("normalizer.bin"), normalizer);
            Files.write(temporary.resolve("optimizer.bin"), optimizer);
            JSON.writeValue(temporary.resolve(RECEIPTS).toFile(), receipts);
            JSON.writeValue(temporary.resolve("state.json").toFile(), new State(iteration, policyVersion, episodes));
            deleteRecursively(target);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target, e);
        }
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
                    .filter(p -> Files.exists(p.resolve("state.json")))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + checkpoints, e);
        }
    }

    public static Checkpoint read(Path folder) {
        try {
            State state = JSON.readValue(folder.resolve("state.json").toFile(), State.class);
            Optional<ModelWeights> reference = Files.isDirectory(folder.resolve("reference"))
                    ? Optional.of(ModelFiles.read(folder.resolve("reference"))) : Optional.empty();
            List<Receipt> receipts = Files.exists(folder.resolve(RECEIPTS))
                    ? List.of(JSON.readValue(folder.resolve(RECEIPTS).toFile(), Receipt[].class)) : List.of();
            return new Checkpoint(state.iteration(), state.policyVersion(), state.episodes(),
                    ModelFiles.read(folder.resolve("policy")), reference,
                    Files.readAllBytes(folder.resolve("critic.bin")), Files.readAllBytes(folder.resolve("normalizer.bin")),
                    Files.readAllBytes(folder.resolve("optimizer.bin")), receipts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + folder + ": " + e.getMessage(), e);
        }
    }

    /** A model from checkpointed weights, with the tokenizer saved beside them or the given one. */
    static LlamaModel model(ModelWeights weights, LlamaModel like) {
        return LlamaModel.fromWeights(weights, weights.tokenizer().orElse(like.tokenizer()));
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
