package dev.densify.cli.model;

import dev.densify.api.API;
import dev.densify.core.model.Generation;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.SamplingOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code densify generate}: continues a prompt with a checkpoint and reports the speed. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Continue a prompt with a model checkpoint and print the text and tokens/s.")
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "<file|folder>",
            description = "llama2.c .bin, GGUF file, or Hugging Face / densify safetensors folder")
    private Path checkpoint;

    @Option(names = "--tokenizer", paramLabel = "<file>",
            description = "tokenizer to use instead of the checkpoint's (tokenizer.json, llama2.c .bin, .gguf)")
    private Path tokenizer;

    @Option(names = "--prompt", required = true, description = "text to continue")
    private String prompt;

    @Option(names = "--temperature", defaultValue = "0.8", description = "0 for greedy (default: ${DEFAULT-VALUE})")
    private double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "keep the k most likely tokens, 0 = all")
    private int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "nucleus sampling mass, 1 = off")
    private double topP;

    @Option(names = "--max-tokens", defaultValue = "256", description = "most tokens to generate (default: ${DEFAULT-VALUE})")
    private int maxTokens;

    @Option(names = "--stop", paramLabel = "<text>", description = "stop once the output contains this (repeatable)")
    private List<String> stops = List.of();

    @Option(names = "--seed", defaultValue = "0", description = "sampling seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Override
    public Integer call() {
        // checked here so that the message names the option as the user typed it
        require(maxTokens >= 1, "--max-tokens must be at least 1, got " + maxTokens);
        require(temperature >= 0, "--temperature must be 0 (greedy) or more, got " + temperature);
        require(topK >= 0, "--top-k must be 0 (all tokens) or more, got " + topK);
        require(topP > 0 && topP <= 1, "--top-p must be within (0, 1], got " + topP);
        SamplingOptions options;
        try {
            options = new SamplingOptions(maxTokens, temperature, topK, topP, stops);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (LlamaModel model = Checkpoints.load(spec.commandLine(), checkpoint, Optional.ofNullable(tokenizer))) {
            int[] ids = model.tokenizer().encode(prompt, true);
            if (ids.length >= model.config().maxSeqLen()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "the prompt has " + ids.length
                        + " tokens; the model's context holds " + model.config().maxSeqLen());
            }
            long start = System.nanoTime();
            Generation generation = model.generate(List.of(ids), options, seed).get(0);
            double seconds = (System.nanoTime() - start) / 1e9;
            PrintWriter out = spec.commandLine().getOut();
            out.println(prompt + generation.text());
            out.printf(Locale.ROOT, "%n[%d tokens in %.3f s, %.1f tokens/s, stopped: %s]%n",
                    generation.tokenIds().length, seconds, generation.tokenIds().length / seconds,
                    generation.stopReason().name().toLowerCase(Locale.ROOT));
            out.flush();
            return 0;
        }
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), message);
        }
    }
}
