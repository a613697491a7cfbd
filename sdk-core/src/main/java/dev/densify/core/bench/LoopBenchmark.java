package dev.densify.core.bench;

import dev.densify.api.API;
import dev.densify.core.config.ComposedConfig;
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
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Report(int iterations, long episodes, long agentSteps, long promptTokens, long generatedTokens,
                         long updateTokens, double seconds, Map<Phase, Double> phaseSeconds, int batch,
                         int promptLength, int sequenceLength, int miniBatch, double benchPrefillTokensPerSecond,
                         double benchDecodeTokensPerSecond, double benchTrainTokensPerSecond, int rssEarlyIteration,
                         OptionalLong rssEarly, OptionalLong rssLast, int arraysEarly, int arraysLast) {

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
            return new Report(timed.size(), episodes, steps, prompts, generated, updated, seconds, phases, batch,
                    prompt.length, sequenceLength, miniBatch, (double) batch * prompt.length / prefill.seconds(),
                    decode.tokensPerSecond(), train.tokensPerSecond(), early[0] + 1,
                    rss[0] < 0 ? OptionalLong.empty() : OptionalLong.of(rss[0]),
                    rss[1] < 0 ? OptionalLong.empty() : OptionalLong.of(rss[1]), arrays[0], arrays[1]);
        }
    }

}
