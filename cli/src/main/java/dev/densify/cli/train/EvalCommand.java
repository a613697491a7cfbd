package dev.densify.cli.train;

import dev.densify.api.API;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.ConfigOptions;
import dev.densify.cli.shell.UserException;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.SamplingOptions;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.io.ModelFormatException;
import dev.densify.core.model.ModelWeights;
import dev.densify.core.plugin.PluginKind;
import dev.densify.core.train.AgentPrompt;
import dev.densify.core.train.Checkpoint;
import dev.densify.core.train.Collector;
import dev.densify.core.train.Confidence;
import dev.densify.core.train.Evaluator;
import dev.densify.core.train.LanguagePolicy;
import dev.densify.core.train.PolicySettings;
import dev.densify.core.train.TrainerSettings;
import dev.densify.core.train.PassAtK;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Success of a trained policy on the environment's held-out tasks, with a 95% interval. */
@API(status = API.Status.INTERNAL, since = "0.1")
@Command(name = "eval", description = {"Evaluate a policy on held-out tasks: success rate with a Wilson 95%% interval.",
    "--checkpoint takes a run folder (its config.yaml and last checkpoint), a checkpoint folder, or a model.",
    "--pass-at-k 1,4,16,64 estimates pass@k instead (unbiased, N samples of every held-out task from one start),",
    "for the base policy (the run's warm start, or --base) and the trained one side by side, with 95%% bootstrap",
    "intervals over tasks: a rise in pass@1 without one in pass@64 sharpened the policy rather than taught it.",
    "Example: densify eval --checkpoint runs/train-<time> trainer.eval_episodes=100",
    "Example: densify eval --checkpoint runs/train-<time> --pass-at-k 1,4,16,64"})
public final class EvalCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--checkpoint", required = true, paramLabel = "PATH",
            description = "A run folder, a checkpoint folder (with policy/) or a model file or folder.")
    private Path checkpoint;

    @Option(names = "--pass-at-k", paramLabel = "K[,K...]",
            description = "Estimate pass@k for these k (whole numbers >= 1) instead of the success rate.")
    private String passAtK;

    @Option(names = "--samples", paramLabel = "N",
            description = "With --pass-at-k: attempts per held-out task, at least the largest k (default: the largest k).")
    private Integer samples;

    @Option(names = "--base", paramLabel = "PATH", description = {"With --pass-at-k: the base policy to compare",
            "(default: the reference, i.e. warm-started, policy saved in the checkpoint, if it holds one)."})
    private Path base;

    @Option(names = "--json", paramLabel = "FILE", description = "With --pass-at-k: also write the estimates here.")
    private Path json;

    @Override
    public Integer call() throws IOException {
        CliContext context = CliContext.of(spec);
        List<Integer> ks = passAtK == null ? List.of() : ks();
        if (passAtK == null && (samples != null || base != null || json != null)) {
            throw new UserException("--samples, --base and --json go with --pass-at-k");
        }
        ConfigRequest request = config.request();
        Path runConfig = checkpoint.resolve(ComposedConfig.FILE_NAME);
        if (Files.isRegularFile(runConfig) && request.configFile().isEmpty()) {
            request = request.withConfigFile(runConfig);
        }
        ComposedConfig composed = context.composer().compose(request);
        TrainerSettings trainer = composed.group("trainer").bind(TrainerSettings.class);
        PolicySettings policySettings = composed.group("policy").bind(PolicySettings.class);
        EnvironmentProvider env = context.registry().provider(PluginKind.ENV, composed.selected("env"));
        if (!ks.isEmpty()) {
            return passAtK(context, composed, ks, samples == null ? ks.get(ks.size() - 1) : samples, env.name());
        }
        SamplingOptions sampling = trainer.evalGreedy() ? SamplingOptions.greedy(policySettings.maxActionTokens())
                : new SamplingOptions(policySettings.maxActionTokens(), policySettings.temperature(),
                        policySettings.topK(), policySettings.topP(), java.util.List.of());
        try (LlamaModel model = load(checkpoint);
             Collector collector = new Collector(env, composed.group("env"), trainer.parallelism(),
                     Duration.ofMillis(trainer.stepTimeoutMs()), trainer.maxSteps(), 1.0)) {
            LanguagePolicy policy = new LanguagePolicy(model,
                    sampling.withStopStrings(java.util.List.of(AgentPrompt.ACTION_END)), trainer.criticFeatureTokens(),
                    LanguagePolicy.prompts(model, policySettings));
            Evaluator evaluator = new Evaluator(env.tasks(composed.group("env")), trainer.evalEpisodes(), trainer.seed());
            Collector.Result result = evaluator.evaluate(collector, policy);
            Confidence.Interval success = Evaluator.success(result);
            context.out().printf("held-out success %.3f [%.3f, %.3f] over %d episodes (%s, %s); %d dropped%n",
                    success.estimate(), success.low(), success.high(), result.stats().attempted(), env.name(),
                    trainer.evalGreedy() ? "greedy" : "sampled", result.stats().failed());
        }
        return 0;
    }

    private List<Integer> ks() {
        List<Integer> ks;
        try {
            ks = PassAtK.parseKs(passAtK);
        } catch (IllegalArgumentException e) {
            throw new UserException("--pass-at-k: " + e.getMessage());
        }
        int largest = ks.get(ks.size() - 1);
        if (samples != null && samples < largest) {
            throw new UserException("--samples " + samples + " is fewer than the largest k (" + largest
                    + "): pass@k needs at least k samples per task; give --samples " + largest + " or more");
        }
        return ks;
    }

    /** pass@k of the base and the trained policy, side by side. */
    private int passAtK(CliContext context, ComposedConfig composed, List<Integer> ks, int n, String envName)
            throws IOException {
        Optional<Path> basePath = base != null ? Optional.of(base) : reference(checkpoint);
        Map<String, PassAtK.Report> reports = new LinkedHashMap<>();
        if (basePath.isPresent()) {
            try (LlamaModel model = load(basePath.get())) {
                reports.put("base", Evaluator.passAtK(composed, context.registry(), model, ks, n));
            }
        }
        try (LlamaModel model = load(checkpoint)) {
            reports.put("trained", Evaluator.passAtK(composed, context.registry(), model, ks, n));
        }
        PassAtK.Report trained = reports.get("trained");
        context.out().printf(Locale.ROOT, "pass@k on %d held-out tasks of %s, %d samples each (sampled; mean over"
                + " tasks, 95%% bootstrap interval over tasks)%s%n", trained.tasks(), envName, n,
                basePath.isPresent() ? "; base: " + basePath.get() : "; no base: the checkpoint holds no reference"
                        + " policy (give --base PATH)");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-6s", "k"));
        reports.keySet().forEach(name -> header.append(String.format(Locale.ROOT, "%-26s", name)));
        context.out().println(header.toString().stripTrailing());
        for (int k : ks) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-6s", k));
            for (PassAtK.Report r : reports.values()) {
                Confidence.Interval i = r.at(k).orElseThrow();
                row.append(String.format(Locale.ROOT, "%-26s", String.format(Locale.ROOT, "%.3f [%.3f, %.3f]",
                        i.estimate(), i.low(), i.high())));
            }
            context.out().println(row.toString().stripTrailing());
        }
        if (json != null) {
            PassAtK.write(json, reports);
        }
        return 0;
    }

    /** The reference (warm-started) policy a run folder's last checkpoint or a checkpoint folder holds. */
    private static Optional<Path> reference(Path path) throws IOException {
        Path folder = path;
        if (Files.isDirectory(path.resolve("checkpoints"))) {
            Optional<Path> latest = Checkpoint.latestFolder(path.resolve("checkpoints"));
            if (latest.isEmpty()) {
                return Optional.empty();
            }
            folder = latest.get();
        }
        return Files.isDirectory(folder.resolve("reference")) ? Optional.of(folder.resolve("reference"))
                : Optional.empty();
    }

    /** The policy of a run folder's last checkpoint, of a checkpoint folder, or of a model file or folder. */
    private static LlamaModel load(Path path) throws IOException {
        Path model = path;
        if (Files.isDirectory(path.resolve("checkpoints"))) {
            model = Checkpoint.latestFolder(path.resolve("checkpoints"))
                    .orElseThrow(() -> new UserException("--checkpoint: " + path + " holds no checkpoint yet"))
                    .resolve("policy");
        } else if (Files.isDirectory(path.resolve("policy"))) {
            model = path.resolve("policy");
        }
        ModelWeights weights;
        try {
            weights = ModelFiles.read(model);
        } catch (ModelFormatException e) {
            throw new UserException("--checkpoint: " + e.getMessage(), 2, e);
        }
        Path from = model;
        return LlamaModel.fromWeights(weights, weights.tokenizer().orElseThrow(() -> new UserException(
                "--checkpoint: " + from + " has no tokenizer beside the weights")));
    }
}
