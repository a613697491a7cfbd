package dev.densify.cli.model;

import dev.densify.api.API;
import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.ModelWeights;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code densify model info}: the architecture and parameter count of a checkpoint, without loading an engine. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print a checkpoint's architecture and parameter count.")
public final class ModelInfoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<checkpoint>",
            description = "llama2.c .bin, GGUF file, or Hugging Face / densify safetensors folder")
    private Path checkpoint;

    @Override
    public Integer call() {
        ModelWeights weights = Checkpoints.read(spec.commandLine(), checkpoint, Optional.empty());
        LlamaConfig c = weights.config();
        long parameters = weights.tensors().values().stream().mapToLong(t -> t.data().length).sum();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "checkpoint     %s%n", checkpoint);
        out.printf(Locale.ROOT, "architecture   Llama decoder: %d layers, dim %d, SwiGLU hidden %d%n", c.layers(),
                c.dim(), c.hiddenDim());
        out.printf(Locale.ROOT, "attention      %d query heads, %d key/value heads%s, head size %d%s%n", c.heads(),
                c.kvHeads(), c.kvHeads() < c.heads() ? " (grouped-query)" : "", c.headSize(),
                c.attentionBias() ? ", q/k/v biases" : "");
        out.printf(Locale.ROOT, "positions      rotary, theta %s, %s layout; context %d%n", number(c.ropeTheta()),
                c.ropeInterleaved() ? "interleaved-pairs" : "rotate-half", c.maxSeqLen());
        out.printf(Locale.ROOT, "normalisation  RMSNorm, eps %s%n", number(c.normEps()));
        out.printf(Locale.ROOT, "vocabulary     %d tokens, %s output head%n", c.vocabSize(),
                c.tiedEmbeddings() ? "tied" : "separate");
        out.printf(Locale.ROOT, "tokenizer      %s%n", weights.tokenizer()
                .map(t -> t.getClass().getSimpleName() + " (" + t.vocabSize() + " tokens)").orElse("none found"));
        out.printf(Locale.ROOT, "parameters     %,d (%.2f M)%n", parameters, parameters / 1e6);
        out.flush();
        return 0;
    }

    private static String number(double value) {
        return new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }
}
