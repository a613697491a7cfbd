package dev.densify.cli.model;

import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.ModelWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;

/** Reading checkpoints for the commands, turning every failure into one message for the user. */
final class Checkpoints {
    private Checkpoints() {}

    static ModelWeights read(CommandLine commandLine, Path checkpoint, Optional<Path> tokenizer) {
        if (!Files.exists(checkpoint)) {
            throw new CommandLine.ParameterException(commandLine, "checkpoint not found: " + checkpoint);
        }
        try {
            ModelWeights weights = tokenizer.isPresent()
                    ? ModelFiles.read(checkpoint, ModelFiles.readTokenizer(tokenizer.get()))
                    : ModelFiles.read(checkpoint);
            if (weights.tokenizer().isEmpty()) {
                throw new CommandLine.ParameterException(commandLine, "no tokenizer found with " + checkpoint
                        + "; pass one with --tokenizer");
            }
            return weights;
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "cannot read checkpoint " + checkpoint + ": "
                    + e.getMessage(), e, null, checkpoint.toString());
        }
    }

    static LlamaModel load(CommandLine commandLine, Path checkpoint, Optional<Path> tokenizer) {
        ModelWeights weights = read(commandLine, checkpoint, tokenizer);
        try {
            return LlamaModel.fromWeights(weights);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "cannot load checkpoint " + checkpoint + ": "
                    + e.getMessage(), e, null, checkpoint.toString());
        }
    }
}
