package dev.densify.core.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.densify.api.API;
import dev.densify.core.model.Decoding;
import dev.densify.core.model.Generation;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.SamplingOptions;
import dev.densify.core.model.TokenScores;
import dev.densify.core.optim.AdamW;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Throughput of a policy model: batched sampling (temperature 1, KV cache) at several batch sizes on each decoding
 * path (the engine and plain Java, see {@link Decoding}), and training
 * steps (score, backward, clip, AdamW update) on random token sequences. Each measurement is repeated and the
 * best run reported, since the machine may be shared; each measurement starts with an untimed warm-up.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ModelBenchmark {

    /**
     * @param prompt the prompt text every row starts from (its rows sample differently)
     * @param batchSizes generation batch sizes to measure
     * @param newTokens tokens to generate per row
     * @param trainBatch sequences per training step
     * @param trainLength tokens per training sequence
     * @param trainSteps timed training steps per run
     * @param repeats runs per measurement; the best is reported
     * @param decodings the decoding paths each batch size is measured on, in that order
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Options(String prompt, List<Integer> batchSizes, int newTokens, int trainBatch, int trainLength,
                          int trainSteps, int repeats, List<Decoding> decodings) {
        public Options {
            Objects.requireNonNull(prompt, "prompt");
            batchSizes = List.copyOf(batchSizes);
            decodings = List.copyOf(decodings);
            if (decodings.isEmpty()) {
                throw new IllegalArgumentException("name at least one decoding path (auto, java or engine)");
            }
            if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b <= 0)) {
                throw new IllegalArgumentException("batch sizes must be positive, got " + batchSizes);
            }
            if (newTokens <= 0 || trainBatch <= 0 || trainLength < 2 || trainSteps <= 0 || repeats <= 0) {
                throw new IllegalArgumentException("newTokens, trainBatch, trainSteps and repeats must be positive"
                        + " and trainLength at least 2");
            }
        }

        /** Both paths, the engine first. */
        public Options(String prompt, List<Integer> batchSizes, int newTokens, int trainBatch, int trainLength,
                       int trainSteps, int repeats) {
            this(prompt, batchSizes, newTokens, trainBatch, trainLength, trainSteps, repeats,
                    List.of(Decoding.ENGINE, Decoding.JAVA));
        }

        public static Options defaults() {
            return new Options("Once upon a time", List.of(1, 8, 32, 64), 128, 8, 128, 5, 3);
        }
    }

    /** A finished measurement, reported as soon as it is done. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public sealed interface Measurement permits GenerationResult, TrainingResult {}

    /**
     * One generation measurement, the best of the runs.
     *
     * @param decoding the path the model was set to
     * @param seconds wall-clock time
     * @param cpuSeconds CPU time of the whole process over the same interval (NaN when unknown); on a shared
     *     machine tokens / cpuSeconds shows what the work costs, whatever else runs
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record GenerationResult(int batch, Decoding decoding, long tokens, double seconds, double cpuSeconds,
                                   OptionalLong peakRssBytes) implements Measurement {
        public double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    /** One training measurement: tokens are the scored positions, batch * (length - 1) per step. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record TrainingResult(int batch, int length, int steps, long tokens, double seconds, double cpuSeconds,
                                 OptionalLong peakRssBytes) implements Measurement {
        public double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Report(List<GenerationResult> generation, TrainingResult training) {}

    private ModelBenchmark() {}

    /** Runs every measurement, passing each result to {@code progress} as it completes. */
    public static Report run(LlamaModel model, Options options, Consumer<Measurement> progress) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(progress, "progress");
        int[] prompt = model.tokenizer().encode(options.prompt(), true);
        List<GenerationResult> generation = new ArrayList<>();
        Decoding before = model.decoding();
        try {
            for (int batch : options.batchSizes()) {
                for (Decoding decoding : options.decodings()) {
                    model.setDecoding(decoding);
                    GenerationResult result = generation(model, prompt, batch, options);
                    progress.accept(result);
                    generation.add(result);
                }
            }
        } finally {
            model.setDecoding(before);
        }
        TrainingResult training = training(model, options);
        progress.accept(training);
        return new Report(generation, training);
    }

    /** Generation at one batch size on the model's current decoding path. */
    static GenerationResult generation(LlamaModel model, int[] prompt, int batch, Options options) {
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            prompts.add(prompt);
        }
        return generation(model, prompts, options);
    }

    /** As above over given prompts, one row each (equal prompts are prefilled once: distinct ones measure all rows). */
    static GenerationResult generation(LlamaModel model, List<int[]> prompts, Options options) {
        int batch = prompts.size();
        SamplingOptions sampling = SamplingOptions.sampling(options.newTokens(), 1.0);
        model.generate(prompts, SamplingOptions.sampling(Math.min(64, options.newTokens()), 1.0), -1);
        GenerationResult best = null;
        for (int run = 0; run < options.repeats(); run++) {
            PeakMemory.reset();
            double cpuStart = processCpuSeconds();
            long start = System.nanoTime();
            List<Generation> out = model.generate(prompts, sampling, run);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = processCpuSeconds() - cpuStart;
            long tokens = out.stream().mapToLong(g -> g.tokenIds().length).sum();
            GenerationResult result = new GenerationResult(batch, model.decoding(), tokens, seconds, cpu, PeakMemory.peakBytes());
            if (best == null || result.tokensPerSecond() > best.tokensPerSecond()) {
                best = result;
            }
        }
        return best;
    }

    static TrainingResult training(LlamaModel source, Options options) {
        SplittableRandom random = new SplittableRandom(1);
        int vocab = source.tokenizer().vocabSize();
        List<int[]> batch = new ArrayList<>();
        for (int b = 0; b < options.trainBatch(); b++) {
            int[] seq = new int[Math.min(options.trainLength(), source.config().maxSeqLen())];
            seq[0] = source.tokenizer().bos();
            for (int i = 1; i < seq.length; i++) {
                seq[i] = random.nextInt(vocab);
            }
            batch.add(seq);
        }
        long tokensPerStep = batch.stream().mapToLong(s -> s.length - 1).sum();
        // train a copy so that the caller's model keeps its weights
        try (LlamaModel model = LlamaModel.fromWeights(source.toWeights(), source.tokenizer());
             AdamW optimizer = AdamW.withDefaults(1e-4)) {
            List<NDArray> parameters = model.trainableParameters();
            trainStep(model, optimizer, parameters, batch);
            TrainingResult best = null;
            for (int run = 0; run < options.repeats(); run++) {
                PeakMemory.reset();
                double cpuStart = processCpuSeconds();
                long start = System.nanoTime();
                for (int step = 0; step < options.trainSteps(); step++) {
                    trainStep(model, optimizer, parameters, batch);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpu = processCpuSeconds() - cpuStart;
                TrainingResult result = new TrainingResult(options.trainBatch(), batch.get(0).length,
                        options.trainSteps(), tokensPerStep * options.trainSteps(), seconds, cpu,
                        PeakMemory.peakBytes());
                if (best == null || result.tokensPerSecond() > best.tokensPerSecond()) {
                    best = result;
                }
            }
            return best;
        }
    }

    private static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos / 1e9;
        }
        return Double.NaN;
    }

    private static void trainStep(LlamaModel model, AdamW optimizer, List<NDArray> parameters, List<int[]> batch) {
        try (NDManager manager = NDManager.newBaseManager()) {
            optimizer.zeroGradients(parameters);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                TokenScores scores = model.score(manager, batch);
                collector.backward(scores.logProbs().mul(scores.mask()).sum().neg().div(scores.mask().sum()));
            }
            optimizer.clipGradNorm(parameters, 1.0);
            optimizer.step(parameters);
        }
    }
}
