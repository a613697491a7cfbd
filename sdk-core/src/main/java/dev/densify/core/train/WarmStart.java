package dev.densify.core.train;

import dev.densify.api.env.Task;
import dev.densify.core.optim.AdamW;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervised warm start before RL: the policy learns the environment's demonstrations (its expert plan, followed
 * in {@code trainer.warm_start_episodes} episodes over the training tasks) for {@code trainer.warm_start_epochs}.
 * A fresh run does it before its first iteration; an ablation does it once for all of its runs.
 */
final class WarmStart {
    private static final Logger LOG = LoggerFactory.getLogger(WarmStart.class);
    private static final long STREAM = 0x5EED_0001L;

    private WarmStart() {}

    /** Whether {@code settings} ask for a warm start at all. */
    static boolean asked(TrainerSettings settings) {
        return settings.warmStartEpisodes() > 0 && settings.warmStartEpochs() > 0;
    }

    /** Trains {@code policy} on the demonstrations, if asked for and the environment can demonstrate. */
    static void apply(TrainerSettings settings, LanguagePolicy policy, Rollouts rollouts, TrainingListener listener) {
        if (!asked(settings)) {
            return;
        }
        listener.phase("warm start");
        long seed = new RunSeeds(settings.seed()).of(0, STREAM);
        List<EpisodeSpec> specs = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        List<Task> train = rollouts.tasks().train();
        for (int k = 0; k < settings.warmStartEpisodes(); k++) {
            specs.add(new EpisodeSpec("demo-" + k, train.get(k % train.size()), random.nextLong(), "demo-" + k));
        }
        List<Collector.Demonstration> demos = rollouts.collector().demonstrations(specs);
        if (demos.isEmpty()) {
            LOG.info("environment '{}' gave no demonstrations; no warm start", rollouts.environment());
            return;
        }
        List<int[]> prompts = new ArrayList<>();
        List<int[]> completions = new ArrayList<>();
        for (Collector.Demonstration d : demos) {
            prompts.add(policy.demonstrationPrompt(d));
            completions.add(policy.completionTokens(d.action()));
        }
        Learner.Stats stats;
        // The optimizer's moments are native memory: freed as soon as the warm start is done.
        try (AdamW adam = AdamW.of(settings.warmStartLr(), settings.weightDecay())) {
            Learner warm = new Learner(policy.model(), Optional.empty(), adam, settings.warmStartEpochs(),
                    settings.miniBatch(), settings.maxGradNorm());
            stats = warm.supervise(prompts, completions, seed);
        }
        LOG.info("warm start on {} demonstrated steps: {} updates, final mean NLL {}", prompts.size(),
                stats.updates(), stats.mean("loss"));
    }
}
