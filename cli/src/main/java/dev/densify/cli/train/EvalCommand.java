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
import java.io.IOException;
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
    "Example: densify eval --checkpoint runs/train-<time> trainer.eval_episodes=100"})
public final class EvalCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--checkpoint", required = true, paramLabel = "PATH",
            description = "A run folder, a checkpoint folder (with policy/) or a model file or folder.")
    private Path checkpoint;

    @Override
    public Integer call() throws IOException {
        CliContext context = CliContext.of(spec);
        ConfigRequest request = config.request();
        Path runConfig = checkpoint.resolve(ComposedConfig.FILE_NAME);
        if (Files.isRegularFile(runConfig) && request.configFile().isEmpty()) {
            request = request.withConfigFile(runConfig);
        }
        ComposedConfig composed = context.composer().compose(request);
        TrainerSettings trainer = composed.group("trainer").bind(TrainerSettings.class);
        PolicySettings policySettings = composed.group("policy").bind(PolicySettings.class);
        EnvironmentProvider env = context.registry().provider(PluginKind.ENV, composed.selected("env"));
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
