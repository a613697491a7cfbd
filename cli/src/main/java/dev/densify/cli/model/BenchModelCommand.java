package dev.densify.cli.model;

import dev.densify.api.API;
import dev.densify.core.bench.ModelBenchmark;
import dev.densify.core.model.Decoding;
import dev.densify.core.model.LlamaModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code densify bench model}: generation and training throughput of a checkpoint. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Measure generation tokens/s at several batch sizes and training tokens/s, with peak memory.")
public final class BenchModelCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "<file|folder>",
            description = "e.g. ../shared/models/stories260K/stories260K.bin")
    private Path checkpoint;

    @Option(names = "--batches", split = ",", defaultValue = "1,8,32,64",
            description = "generation batch sizes (default: ${DEFAULT-VALUE})")
    private List<Integer> batches;

    @Option(names = "--new-tokens", defaultValue = "256", description = "tokens per row (default: ${DEFAULT-VALUE})")
    private int newTokens;

    @Option(names = "--train-batch", defaultValue = "16", description = "sequences per training step (default: ${DEFAULT-VALUE})")
    private int trainBatch;

    @Option(names = "--train-length", defaultValue = "128", description = "tokens per training sequence (default: ${DEFAULT-VALUE})")
    private int trainLength;

    @Option(names = "--train-steps", defaultValue = "5", description = "timed training steps per run (default: ${DEFAULT-VALUE})")
    private int trainSteps;

    @Option(names = "--threads", defaultValue = "1",
            description = "threads one generate call may use (default: ${DEFAULT-VALUE})")
    private int generationThreads;

    @Option(names = "--decoding", split = ",", defaultValue = "engine,java",
            description = "decoding paths to measure at each batch size: engine, java, auto (default: ${DEFAULT-VALUE})")
    private List<String> decodings;

    @Option(names = "--repeats", defaultValue = "3", description = "runs per measurement, best reported (default: ${DEFAULT-VALUE})")
    private int repeats;

    /**
     * Runs the benchmark on its own (the same as {@code densify bench model}), so that it can be started from the
     * module's classpath before or without the full command line.
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchModelCommand()).execute(args));
    }

    @Override
    public Integer call() {
        ModelBenchmark.Options options;
        try {
            options = new ModelBenchmark.Options("Once upon a time", batches, newTokens, trainBatch, trainLength,
                    trainSteps, repeats, decodings.stream().map(this::decoding).toList());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        try (LlamaModel model = Checkpoints.load(spec.commandLine(), checkpoint, Optional.empty())) {
            model.setGenerationThreads(generationThreads);
            out.printf(Locale.ROOT, "model %s: %,d parameters; generation threads %d, engine intra-op threads %s;"
                    + " best of %d runs%n", checkpoint, model.parameterCount(), generationThreads,
                    System.getProperty("ai.djl.pytorch.num_threads", "default"), repeats);
            out.printf(Locale.ROOT, "%-24s %8s %9s %11s %9s %13s %9s%n", "measurement", "tokens", "seconds",
                    "tokens/s", "cpu s", "tokens/cpu-s", "peak RSS");
            out.flush();
            Map<Integer, ModelBenchmark.GenerationResult> engineAt = new HashMap<>();
            ModelBenchmark.run(model, options, result -> {
                if (result instanceof ModelBenchmark.GenerationResult g) {
                    out.printf(Locale.ROOT, "%-24s %8d %9.3f %11.1f %9.3f %13.1f %9s%n", "generate batch " + g.batch()
                            + " " + g.decoding().name().toLowerCase(Locale.ROOT), g.tokens(), g.seconds(),
                            g.tokensPerSecond(), g.cpuSeconds(), g.tokens() / g.cpuSeconds(),
                            megabytes(g.peakRssBytes()));
                    if (g.decoding() == Decoding.ENGINE) {
                        engineAt.put(g.batch(), g);
                    } else if (g.decoding() == Decoding.JAVA && engineAt.containsKey(g.batch())) {
                        out.printf(Locale.ROOT, "%-24s %8s %9s %10.2fx%n", "  java / engine", "", "",
                                g.tokensPerSecond() / engineAt.get(g.batch()).tokensPerSecond());
                    }
                } else if (result instanceof ModelBenchmark.TrainingResult t) {
                    out.printf(Locale.ROOT, "%-24s %8d %9.3f %11.1f %9.3f %13.1f %9s%n",
                            "train " + t.batch() + "x" + t.length(), t.tokens(), t.seconds(), t.tokensPerSecond(),
                            t.cpuSeconds(), t.tokens() / t.cpuSeconds(), megabytes(t.peakRssBytes()));
                }
                out.flush();
            });
        }
        return 0;
    }

    private Decoding decoding(String name) {
        try {
            return Decoding.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--decoding takes engine, java or auto, got '" + name + "'");
        }
    }

    private static String megabytes(OptionalLong bytes) {
        return bytes.isPresent() ? String.format(Locale.ROOT, "%.0f MB", bytes.getAsLong() / 1e6) : "n/a";
    }
}
