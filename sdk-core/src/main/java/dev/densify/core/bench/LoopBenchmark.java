package dev.densify.core.bench;

import ai.djl.ndarray.NDManager;
import dev.densify.api.API;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.IterationMetrics;
import dev.densify.core.train.PhaseTimes.Phase;
import dev.densify.core.train.Trainer;
import dev.densify.core.train.TrainingListener;
import dev.densify.core.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The training loop's throughput on this machine: runs a configuration's iterations, adds up each phase's time
 * from the metrics lines, and measures in the same process what {@code bench model} measures for the same
 * operations at the same shapes (prefill of the loop's prompts at its batch, decode at its batch, a training step
 * at its mini-batch and sequence length), so that every loop rate comes with a ratio against the model's own.
 * The warm start and the first iteration (the engine's warm-up) are left out of the rates.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class LoopBenchmark {
    private static final int RSS_EARLY_ITERATION = 10;

    private LoopBenchmark() {}

    /**
     * @param iterations timed iterations (after the first)
     * @param seconds their wall time
     * @param phaseSeconds time by phase over them
     * @param rssEarly resident bytes after iteration {@value #RSS_EARLY_ITERATION} (or the first timed one)
     * @param rssLast resident bytes after the last iteration
     * @param arraysEarly native arrays the policy owned after that early iteration (a leak makes them grow)
     * @param arraysLast native arrays the policy owned after the last iteration
     * @param collectionFlops the model's arithmetic in collection (prefill and decode) over the timed iterations
     * @param updateFlops and in the update (forward, backward at twice the forward, the reference's forward)
     * @param matMul the engine's matrix-multiply rate at the update's largest product, measured in the same run
     * @param forwardSeconds one forward of the model at the update's shape (mini-batch x sequence), without gradients
     * @param projectionSeconds that forward's projection products alone, on the engine at the same shapes
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Report(int iterations, long episodes, long agentSteps, long promptTokens, long generatedTokens,
                         long updateTokens, double seconds, Map<Phase, Double> phaseSeconds, int batch,
                         int promptLength, int sequenceLength, int miniBatch, double benchPrefillTokensPerSecond,
                         double benchDecodeTokensPerSecond, double benchTrainTokensPerSecond, int rssEarlyIteration,
                         OptionalLong rssEarly, OptionalLong rssLast, int arraysEarly, int arraysLast,
                         double collectionFlops, double updateFlops, MatMul matMul, double forwardSeconds,
                         double projectionSeconds) {

        /** The engine's rate at one matrix product, [rows, inner] x [inner, columns]. */
        @API(status = API.Status.EXPERIMENTAL, since = "0.2")
        public record MatMul(int rows, int inner, int columns, double flopsPerSecond) {}

        /** The least time the model's arithmetic needs at the engine's measured rate. */
        public double arithmeticSeconds() {
            return (collectionFlops + updateFlops) / matMul.flopsPerSecond();
        }

        public double episodesPerSecond() {
            return episodes / seconds;
        }

        public double prefillTokensPerSecond() {
            return promptTokens / phaseSeconds.get(Phase.PREFILL);
        }

        public double decodeTokensPerSecond() {
            return generatedTokens / phaseSeconds.get(Phase.DECODE);
        }

        public double updateTokensPerSecond() {
            return updateTokens / phaseSeconds.get(Phase.UPDATE);
        }

        /** A plain-text table for people. */
        public String summary() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%d timed iterations: %d episodes, %d agent steps in %.2f s: %.2f"
                    + " episodes/s, %.1f agent steps/s%n", iterations, episodes, agentSteps, seconds,
                    episodesPerSecond(), agentSteps / seconds));
            out.append(String.format(Locale.ROOT, "%-12s %9s %7s%n", "phase", "seconds", "share"));
            for (var e : phaseSeconds.entrySet()) {
                out.append(String.format(Locale.ROOT, "%-12s %9.3f %6.1f%%%n", e.getKey().name().toLowerCase(Locale.ROOT),
                        e.getValue(), 100 * e.getValue() / seconds));
            }
            out.append("(prefill, decode and env are parts of collect and evaluate; forward, backward and optimizer of"
                    + " update)\n");
            out.append(String.format(Locale.ROOT, "%-34s %12s %12s %7s%n", "operation", "loop tok/s", "model tok/s",
                    "ratio"));
            row(out, String.format(Locale.ROOT, "prefill batch %d x %d", batch, promptLength),
                    prefillTokensPerSecond(), benchPrefillTokensPerSecond);
            row(out, String.format(Locale.ROOT, "decode batch %d", batch), decodeTokensPerSecond(),
                    benchDecodeTokensPerSecond);
            row(out, String.format(Locale.ROOT, "update %d x %d", miniBatch, sequenceLength), updateTokensPerSecond(),
                    benchTrainTokensPerSecond);
            out.append(String.format(Locale.ROOT, "arithmetic: %.1f GFLOP in the timed iterations (collection %.1f,"
                    + " update %.1f); the engine multiplies [%d x %d] x [%d x %d] at %.1f GFLOP/s here, so the"
                    + " arithmetic alone takes %.2f s of the loop's %.2f s (%.0f%%): at that rate no loop of this"
                    + " configuration passes %.1f episodes/s%n", (collectionFlops + updateFlops) / 1e9,
                    collectionFlops / 1e9, updateFlops / 1e9, matMul.rows(), matMul.inner(), matMul.inner(),
                    matMul.columns(), matMul.flopsPerSecond() / 1e9, arithmeticSeconds(), seconds,
                    100 * arithmeticSeconds() / seconds, episodes / arithmeticSeconds()));
            out.append(String.format(Locale.ROOT, "a forward at the update's shape (%d x %d) takes %.1f ms, its"
                    + " projection products alone %.1f ms (%.0f%%): the rest is the work around them%n", miniBatch,
                    sequenceLength, forwardSeconds * 1e3, projectionSeconds * 1e3,
                    100 * projectionSeconds / forwardSeconds));
            out.append(String.format(Locale.ROOT, "resident memory: %s after iteration %d, %s after the last%n",
                    megabytes(rssEarly), rssEarlyIteration, megabytes(rssLast)));
            out.append(String.format(Locale.ROOT, "the policy's native arrays: %d after iteration %d, %d after the"
                    + " last%n", arraysEarly, rssEarlyIteration, arraysLast));
            return out.toString();
        }

        private static void row(StringBuilder out, String name, double loop, double model) {
            out.append(String.format(Locale.ROOT, "%-34s %12.0f %12.0f %6.2fx%n", name, loop, model, loop / model));
        }

        private static String megabytes(OptionalLong bytes) {
            return bytes.isPresent() ? String.format(Locale.ROOT, "%.0f MB", bytes.getAsLong() / 1e6) : "unknown";
        }
    }

    /** Trains {@code config} in {@code folder} and measures; {@code progress} hears one line per iteration. */
    public static Report run(ComposedConfig config, PluginRegistry registry, Path folder, Consumer<String> progress) {
        Objects.requireNonNull(progress, "progress");
        List<IterationMetrics> lines = new ArrayList<>();
        long[] rss = {-1, -1};
        int[] early = {-1};
        int[] arrays = {-1, -1};
        Trainer[] opened = new Trainer[1];
        TrainingListener listener = new TrainingListener() {
            @Override
            public void iteration(int iteration, int iterations, IterationMetrics metrics) {
                lines.add(metrics);
                OptionalLong now = PeakMemory.currentBytes();
                int live = opened[0] == null ? -1 : opened[0].policy().model().liveArrays();
                if (iteration == Math.min(RSS_EARLY_ITERATION, Math.max(1, iterations - 1))) {
                    rss[0] = now.orElse(-1);
                    arrays[0] = live;
                    early[0] = iteration;
                }
                rss[1] = now.orElse(-1);
                arrays[1] = live;
                progress.accept(String.format(Locale.ROOT, "iteration %d/%d: %.2f s, resident %.0f MB, %d policy"
                        + " arrays", iteration + 1, iterations, metrics.timing().seconds(), now.orElse(0) / 1e6, live));
            }
        };
        try (Trainer trainer = TrainingRun.open(config, registry, folder, false, listener)) {
            opened[0] = trainer;
            trainer.run();
            List<IterationMetrics> timed = lines.size() > 1 ? lines.subList(1, lines.size()) : lines;
            if (timed.isEmpty()) {
                throw new IllegalArgumentException("bench loop needs at least one iteration (trainer.iterations)");
            }
            Map<Phase, Double> phases = new EnumMap<>(Phase.class);
            for (Phase phase : Phase.values()) {
                phases.put(phase, timed.stream().mapToDouble(m -> m.timing().seconds(phase)).sum());
            }
            long episodes = timed.stream().mapToLong(m -> m.train().episodes()).sum();
            long steps = timed.stream().mapToLong(m -> m.volume().agentSteps()).sum();
            long prompts = timed.stream().mapToLong(m -> m.volume().promptTokens()).sum();
            long generated = timed.stream().mapToLong(m -> m.volume().generatedTokens()).sum();
            long updated = timed.stream().mapToLong(m -> m.volume().updateTokens()).sum();
            double seconds = timed.stream().mapToDouble(m -> m.timing().seconds()).sum();
            int batch = config.group("trainer").getInt("episodes_per_iteration", 16);
            int miniBatch = config.group("trainer").getInt("mini_batch", 32);
            int promptLength = (int) Math.max(2, Math.round((double) prompts / Math.max(1, steps)));
            int sequenceLength = (int) Math.max(2, Math.round((double) (prompts + generated) / Math.max(1, steps)));
            int actionTokens = (int) Math.max(1, Math.round((double) generated / Math.max(1, steps)));
            LlamaModel model = trainer.policy().model();
            progress.accept("measuring the model at the loop's shapes");
            int[] prompt = new int[Math.min(promptLength, model.config().maxSeqLen() - 2)];
            java.util.Arrays.fill(prompt, 'a');
            prompt[0] = model.tokenizer().bos();
            // distinct rows, as the loop's are mostly: equal prompts would be prefilled once
            List<int[]> rows = new ArrayList<>();
            for (int row = 0; row < batch; row++) {
                int[] own = prompt.clone();
                own[own.length - 1] = 'a' + row % 26;
                own[Math.max(1, own.length - 2)] = 'a' + row / 26 % 26;
                rows.add(own);
            }
            ModelBenchmark.GenerationResult prefill = ModelBenchmark.generation(model, rows,
                    new ModelBenchmark.Options("", List.of(batch), 1, 1, 2, 1, 3));
            ModelBenchmark.GenerationResult decode = ModelBenchmark.generation(model, new int[] {model.tokenizer().bos()},
                    batch, new ModelBenchmark.Options("", List.of(batch), Math.max(actionTokens, 64), 1, 2, 1, 3));
            ModelBenchmark.TrainingResult train = ModelBenchmark.training(model, new ModelBenchmark.Options("",
                    List.of(1), 1, miniBatch, sequenceLength, 3, 3));
            LlamaConfig c = model.config();
            double head = Arithmetic.headFlopsPerToken(c);
            // prefill: every prompt position, the head at the last; decode: each generated token, head included
            double collection = prompts * Arithmetic.blockFlopsPerToken(c, promptLength / 2.0) + steps * head
                    + generated * (Arithmetic.blockFlopsPerToken(c, promptLength + actionTokens / 2.0) + head);
            // the update scores each sequence's action tokens: a forward, a backward of twice its work, and the
            // reference's forward when the loss has a KL term (algo.beta above 0)
            double passes = 3 + (config.group("algo").getDouble("beta", 0) > 0 ? 1 : 0);
            double update = passes * (updated * Arithmetic.blockFlopsPerToken(c, sequenceLength / 2.0)
                    + generated * head);
            int positions = miniBatch * sequenceLength;
            Report.MatMul matMul = new Report.MatMul(positions, c.dim(), 2 * c.hiddenDim(),
                    Arithmetic.matMulFlopsPerSecond(positions, c.dim(), 2 * c.hiddenDim()));
            double forward = forwardSeconds(model, miniBatch, sequenceLength, promptLength);
            double products = Arithmetic.projectionSeconds(c, positions);
            return new Report(timed.size(), episodes, steps, prompts, generated, updated, seconds, phases, batch,
                    prompt.length, sequenceLength, miniBatch, (double) batch * prompt.length / prefill.seconds(),
                    decode.tokensPerSecond(), train.tokensPerSecond(), early[0] + 1,
                    rss[0] < 0 ? OptionalLong.empty() : OptionalLong.of(rss[0]),
                    rss[1] < 0 ? OptionalLong.empty() : OptionalLong.of(rss[1]), arrays[0], arrays[1], collection,
                    update, matMul, forward, products);
        }
    }

    /** One training-path forward (the update's scoring, without gradients) at [rows, length], best of 3 rounds. */
    private static double forwardSeconds(LlamaModel model, int rows, int length, int promptLength) {
        SplittableRandom random = new SplittableRandom(1);
        List<int[]> sequences = new ArrayList<>();
        int[] from = new int[rows];
        for (int b = 0; b < rows; b++) {
            int[] seq = random.ints(Math.min(length, model.config().maxSeqLen()), 0, model.tokenizer().vocabSize())
                    .toArray();
            seq[0] = model.tokenizer().bos();
            sequences.add(seq);
            from[b] = Math.max(0, Math.min(seq.length - 2, promptLength - 1));
        }
        return Arithmetic.bestSecondsPerCall(10, () -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                model.score(manager, sequences, from);
            }
        });
    }
}
