package dev.densify.cli.model;

import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.UserException;
import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.io.AdapterWeights;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.io.ModelFormatException;
import dev.densify.core.train.Checkpoint;
import dev.densify.core.train.RunFolderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes a trained policy as a standalone Hugging Face folder, or its LoRA adapters alone. */
@API(status = API.Status.INTERNAL, since = "0.2")
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a trained policy as a Hugging Face safetensors folder (config.json, model.safetensors,"
                + " tokenizer) with LoRA adapters merged into the weights, or with --adapters-only the adapters alone"
                + " (adapter.safetensors, naming the base checkpoint by path and SHA-256).",
            "Either loads again with policy.checkpoint=DIR (or densify generate/eval --checkpoint DIR).",
            "Example: densify export --checkpoint runs/train-<time> --out exported"})
public final class ExportCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "PATH",
            description = "A run folder (its newest checkpoint), a checkpoint folder (with policy/), or a model or"
                    + " adapter folder.")
    private Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new or empty folder to write.")
    private Path out;

    @Option(names = "--adapters-only", description = "Write the LoRA adapters alone instead of merged weights.")
    private boolean adaptersOnly;

    @Override
    public Integer call() throws IOException {
        CliContext context = CliContext.of(spec);
        requireEmpty(out);
        Path policy;
        try {
            policy = Checkpoint.policyFolder(checkpoint);
        } catch (RunFolderException e) {
            throw new UserException("--checkpoint: " + e.getMessage());
        }
        boolean adapters = Files.isRegularFile(policy.resolve(ModelFiles.ADAPTER));
        try {
            if (adaptersOnly) {
                if (!adapters) {
                    throw new UserException("--adapters-only: " + policy + " holds full weights, not LoRA adapters"
                            + " (its run had policy.lora.rank=0); export it without --adapters-only");
                }
                AdapterWeights adapter = ModelFiles.readAdapter(policy);
                ModelFiles.writeAdapter(adapter, out);
                context.out().printf("wrote the LoRA adapters of %s (base %s) to %s%n", policy,
                        ModelFiles.baseOf(adapter).path(), out);
            } else {
                ModelWeights merged = ModelFiles.read(policy);
                ModelFiles.write(merged, out);
                context.out().printf("wrote %s%s as a Hugging Face folder to %s%n", policy,
                        adapters ? " (LoRA adapters merged into their base)" : "", out);
            }
        } catch (ModelFormatException | IllegalArgumentException e) {
            throw new UserException("--checkpoint: " + e.getMessage(), 2, e);
        }
        return 0;
    }

    private static void requireEmpty(Path folder) throws IOException {
        if (Files.isRegularFile(folder)) {
            throw new UserException("--out: " + folder + " is a file; expected a new or empty folder");
        }
        if (Files.isDirectory(folder)) {
            try (Stream<Path> entries = Files.list(folder)) {
                if (entries.findAny().isPresent()) {
                    throw new UserException("--out: " + folder + " is not empty; expected a new or empty folder");
                }
            }
        }
    }
}
