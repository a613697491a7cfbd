package dev.densify.core.ablate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.densify.api.API;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.config.ConfigComposer;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.Checkpoint;
import dev.densify.core.train.Confidence;
import dev.densify.core.train.Evaluator;
import dev.densify.core.train.IterationMetrics;
import dev.densify.core.train.PassAtK;
import dev.densify.core.train.PolicySettings;
import dev.densify.core.train.RunFolder;
import dev.densify.core.train.Trainer;
import dev.densify.core.train.TrainingListener;
import dev.densify.core.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The whole ablation as {@code densify ablate} runs it: every variant composes (and so validates) before any work,
 * one warm start serves every run (a LoRA warm start as its adapters, which every run continues over the same
 * frozen base), each variant and seed trains from it in its own run folder (here, or in processes
 * of their own through a {@link Launcher}), and the report
 * lands in {@code ablation.json}, {@code summary.txt} and {@code summary.md} (the Markdown that documents quote).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class AblationJob {
    private final ConfigComposer composer;
    private final PluginRegistry registry;
    private final Function<String, TrainingListener> listeners;
    private final Launcher launcher;

    /**
     * Trains one run of the ablation into its folder. Runs that train at the same time need separate processes:
     * the engine's autograd admits one gradient recording per process.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    @FunctionalInterface
    public interface Launcher {
        /** Trains {@code name} with the base request plus {@code overrides} into {@code folder}, to the end. */
        void train(String name, ConfigRequest request, Path folder);

        /**
         * Measures pass@k of the policy at {@code policy} under the run's configuration and writes it to
         * {@code json} as {@link PassAtK#write} does, under {@code trained}; launchers that train elsewhere measure
         * there too.
         */
        default void passAtK(String name, ConfigRequest request, Path policy, PassAtKSettings settings, Path json) {
            throw new UnsupportedOperationException("this launcher cannot measure pass@k; run without --pass-at-k");
        }
    }

    /**
     * pass@k of every run's final policy and of the warm start, on the held-out tasks: {@code samples} attempts
     * of each task (at least the largest k).
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record PassAtKSettings(List<Integer> ks, int samples) {
        /** Where each run folder keeps its final policy's pass@k. */
        public static final String FILE_NAME = "pass_at_k.json";

        public PassAtKSettings {
            ks = List.copyOf(new java.util.TreeSet<>(ks));
            if (ks.isEmpty() || ks.get(0) < 1) {
                throw new IllegalArgumentException("pass@k needs values of k of at least 1, got " + ks);
            }
            if (samples < ks.get(ks.size() - 1)) {
                throw new IllegalArgumentException("pass@k needs at least the largest k (" + ks.get(ks.size() - 1)
                        + ") samples per task, got " + samples);
            }
        }

        /** The k as the command line writes them: {@code 1,4}. */
        public String ksText() {
            return String.join(",", ks.stream().map(String::valueOf).toList());
        }
    }

    /**
     * Runs every training in this process, one after another.
     *
     * @param listeners a listener for each run, by run name ("warm-start", "sparse-seed0", ...)
     */
    public AblationJob(ConfigComposer composer, PluginRegistry registry, Function<String, TrainingListener> listeners) {
        this(composer, registry, listeners, null);
    }

    /** Starts the variants' trainings with {@code launcher} (the warm start always runs here). */
    public AblationJob(ConfigComposer composer, PluginRegistry registry, Function<String, TrainingListener> listeners,
                       Launcher launcher) {
        this.composer = Objects.requireNonNull(composer, "composer");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.listeners = Objects.requireNonNull(listeners, "listeners");
        this.launcher = launcher != null ? launcher : new Launcher() {
            @Override
            public void train(String name, ConfigRequest request, Path folder) {
                trainHere(name, request, folder);
            }

            @Override
            public void passAtK(String name, ConfigRequest request, Path policy, PassAtKSettings settings, Path json) {
                passAtKHere(request, policy, settings, json);
            }
        };
    }

    private void passAtKHere(ConfigRequest request, Path policy, PassAtKSettings settings, Path json) {
        ComposedConfig composed = composer.compose(request);
        try (LlamaModel model = LlamaModel.fromWeights(ModelFiles.read(policy))) {
            PassAtK.write(json, Map.of("trained",
                    Evaluator.passAtK(composed, registry, model, settings.ks(), settings.samples())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure pass@k of " + policy + " into " + json, e);
        }
    }

    private void trainHere(String name, ConfigRequest request, Path folder) {
        TrainingListener listener = listeners.apply(name);
        try (Trainer trainer = TrainingRun.open(composer.compose(request), registry, folder, false, listener)) {
            trainer.run();
        } finally {
            closeQuietly(listener);
        }
    }

    public Ablation.Report run(ConfigRequest base, List<Variant> variants, List<Long> seeds, int parallelism,
                               Path folder, Ablation.Progress progress) {
        return run(base, variants, seeds, parallelism, folder, progress, Optional.empty());
    }

    /** As above, measuring pass@k of every run's final policy and of the warm start when {@code passAtK} is given. */
    public Ablation.Report run(ConfigRequest base, List<Variant> variants, List<Long> seeds, int parallelism,
                               Path folder, Ablation.Progress progress, Optional<PassAtKSettings> passAtK) {
        List<String> names = variants.stream().map(Variant::name).toList();
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("variant names must be unique, got " + names);
        }
        for (Variant v : variants) {
            composer.compose(with(base, v.overrides()));
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the ablation folder " + folder, e);
        }
        Trainer.Evaluation start = warmStart(base, folder);
        Path warmPolicy = folder.resolve("warm-start").resolve("policy");
        // A LoRA warm start is its adapters: the runs continue those tensors over the same frozen base (with an
        // optimizer of their own), so that their checkpoints hold adapters too. Any other is the runs' checkpoint.
        boolean lora = composer.compose(base).group("policy").bind(PolicySettings.class).lora().enabled();
        List<String> fromWarm = List.of((lora ? "policy.lora.init=" : "policy.checkpoint=") + warmPolicy,
                "trainer.warm_start_episodes=0");
        // The warm start is every run's base: measured once, here, before the runs take the cores.
        Map<Integer, Confidence.Interval> startPassAtK = new TreeMap<>();
        passAtK.ifPresent(settings -> {
            Path json = folder.resolve("warm-start").resolve(PassAtKSettings.FILE_NAME);
            passAtKHere(base, warmPolicy, settings, json);
            read(json).estimates().forEach(e -> startPassAtK.put(e.k(), e.value()));
        });
        Ablation.Report report = new Ablation(variants, seeds).run((variant, seed) -> {
            List<String> overrides = new ArrayList<>(variant.overrides());
            overrides.addAll(fromWarm);
            overrides.add("trainer.seed=" + seed);
            String name = variant.name() + "-seed" + seed;
            Path runFolder = folder.resolve(name);
            launcher.train(name, with(base, overrides), runFolder);
            List<IterationMetrics> metrics = new RunFolder(runFolder).readIterationMetrics();
            List<Trainer.Evaluation> curve = new ArrayList<>(List.of(start));
            curve.addAll(Trainer.evaluations(metrics));
            Map<Integer, Double> final_ = new TreeMap<>();
            if (passAtK.isPresent()) {
                Path policy = Checkpoint.latestFolder(runFolder.resolve("checkpoints")).orElseThrow(() ->
                        new IllegalStateException("pass@k needs the final checkpoint of " + name + ", and "
                                + runFolder + " holds none (trainer.checkpoint_every=0?)")).resolve("policy");
                Path json = runFolder.resolve(PassAtKSettings.FILE_NAME);
                launcher.passAtK(name, with(base, overrides), policy, passAtK.get(), json);
                read(json).estimates().forEach(e -> final_.put(e.k(), e.value().estimate()));
            }
            return new Ablation.Run(curve, Trainer.criticNextBatchEv(metrics), final_);
        }, progress, parallelism).withStartPassAtK(startPassAtK);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(folder.resolve("ablation.json").toFile(), report.toMap());
            Files.writeString(folder.resolve("summary.txt"), report.summary(), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("summary.md"), report.markdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ablation's report into " + folder, e);
        }
        return report;
    }

    /**
     * One warm start for all runs, so that variants differ only in what the ablation varies; returns the held-out
     * success of the warm-started policy, the common start of every curve.
     */
    private Trainer.Evaluation warmStart(ConfigRequest base, Path folder) {
        // The warm start trains no iteration, as its folder's config.yaml says.
        ComposedConfig composed = composer.compose(with(base, List.of("trainer.iterations=0")));
        TrainingListener listener = listeners.apply("warm-start");
        try {
            return TrainingRun.warmStart(composed, registry, folder.resolve("warm-start"), listener);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the warm-started policy to "
                    + folder.resolve("warm-start").resolve("policy"), e);
        } finally {
            closeQuietly(listener);
        }
    }

    private static PassAtK.Report read(Path json) {
        try {
            PassAtK.Report report = PassAtK.read(json).get("trained");
            if (report == null) {
                throw new IllegalStateException(json + " holds no pass@k of the trained policy");
            }
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pass@k in " + json, e);
        }
    }

    /** Listeners that hold a terminal (progress bars) are closed with their run. */
    private static void closeQuietly(TrainingListener listener) {
        if (listener instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("a progress listener failed to close: " + e, e);
            }
        }
    }

    private static ConfigRequest with(ConfigRequest base, List<String> more) {
        List<String> overrides = new ArrayList<>(base.overrides());
        overrides.addAll(more);
        return new ConfigRequest(base.configFile(), overrides, base.groups());
    }
}
