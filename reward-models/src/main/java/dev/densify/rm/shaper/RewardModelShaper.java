package dev.densify.rm.shaper;

import dev.densify.api.API;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.ShapingInput;
import dev.densify.api.trajectory.Step;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-step rewards from a trained reward model: {@code r'_t = r_t + weight * refine(m)_t}, where m_t is the model's
 * score of step t's observation and action and refine is none, Clip, Delta or Clip-Delta (Gao et al. 2024: a raw
 * learned process reward is farmed by adding steps; with Delta the model's part of the return from step t
 * telescopes to m_t - m_{T-1}, with Clip no step raises it). The outcome is added to the last step after shaping.
 *
 * <p>Every call into the model runs on the shaper's own thread under a deadline ({@code timeout_s}). A call that
 * throws, or a score that is NaN or infinite, is found step by step and named with its step and the model; with
 * {@code on_error=zero} (the default) that episode gets no model reward (its incoming rewards stay, a partial
 * score sequence would break Delta's telescoping), the failure is counted ({@link #failedEpisodes()}) and logged;
 * with {@code on_error=fail} it stops the run. A model that misses the deadline always stops the run: its thread is
 * still busy with the model, so no later call could be trusted. The model's scores are a pure function of the
 * texts, so the shaper is too.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class RewardModelShaper implements RewardShaper, AutoCloseable {
    private final RewardModelShaperConfig config;
    private final StepScorer scorer;
    private final System.Logger log;
    private final ExecutorService thread;
    private final AtomicLong failedEpisodes = new AtomicLong();
    private volatile String hung;

    RewardModelShaper(RewardModelShaperConfig config, StepScorer scorer, System.Logger log) {
        this.config = Objects.requireNonNull(config, "config");
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.log = Objects.requireNonNull(log, "log");
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "densify-reward-model");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public double[] shape(ShapingInput episode) {
        Objects.requireNonNull(episode, "episode");
        double[] rewards = episode.stepRewards().clone();
        if (rewards.length == 0) {
            return rewards;
        }
        if (episode.steps().isEmpty()) {
            throw new IllegalArgumentException("shaper reward-model scores each step's observation and action text, "
                    + "but the episode of " + rewards.length + " steps came without its steps (a synthetic "
                    + "ShapingInput); give it the trajectory's steps");
        }
        double[] scores = scores(episode.steps());
        if (scores == null) {
            return rewards;
        }
        double[] refined = Refinement.apply(config.refine(), config.eta(), scores);
        for (int t = 0; t < rewards.length; t++) {
            rewards[t] += config.weight() * refined[t];
        }
        return rewards;
    }

    /** The model's scores, or null when the model failed on the episode and {@code on_error=zero}. */
    private double[] scores(List<Step> steps) {
        String failure;
        try {
            double[] scores = call(steps);
            failure = firstNonFinite(scores, 0);
            if (failure == null) {
                return scores;
            }
        } catch (ModelHungException e) {
            throw e;
        } catch (RuntimeException e) {
            failure = failingStep(steps, e);
        }
        String message = "shaper reward-model: the " + scorer.describe() + " failed on " + failure;
        if (config.onError() == RewardModelShaperConfig.OnError.FAIL) {
            throw new IllegalStateException(message);
        }
        long count = failedEpisodes.incrementAndGet();
        log.log(System.Logger.Level.WARNING, message + "; the episode gets no model reward (on_error=zero; "
                + count + " episode(s) so far)");
        return null;
    }

    /** Scores each step alone to name the one that fails, as the whole episode's call did. */
    private String failingStep(List<Step> steps, RuntimeException whole) {
        for (int t = 0; t < steps.size(); t++) {
            try {
                String nonFinite = firstNonFinite(call(steps.subList(t, t + 1)), t);
                if (nonFinite != null) {
                    return nonFinite;
                }
            } catch (ModelHungException e) {
                throw e;
            } catch (RuntimeException e) {
                return step(t, steps.get(t)) + ": " + cause(e);
            }
        }
        return "the episode of " + steps.size() + " steps (no step fails alone): " + cause(whole);
    }

    private static String firstNonFinite(double[] scores, int offset) {
        for (int t = 0; t < scores.length; t++) {
            if (!Double.isFinite(scores[t])) {
                return "step " + (offset + t) + ": its score is " + scores[t];
            }
        }
        return null;
    }

    private static String step(int t, Step s) {
        return "step " + t + " (action '" + abbreviate(s.action()) + "' on observation '"
                + abbreviate(s.observation()) + "')";
    }

    private static String abbreviate(String text) {
        String line = text.replace('\n', ' ');
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }

    private static String cause(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The model's scores of {@code steps}, on the shaper's thread, within the deadline; one score per step. */
    private double[] call(List<Step> steps) {
        if (hung != null) {
            throw new ModelHungException(hung);
        }
        Future<double[]> future = thread.submit(() -> scorer.score(steps));
        double[] scores;
        try {
            scores = future.get(Math.round(config.timeoutS() * 1000), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            hung = "shaper reward-model: the " + scorer.describe() + " did not score an episode of " + steps.size()
                    + " steps within timeout_s=" + config.timeoutS() + " s; the run cannot go on with it";
            throw new ModelHungException(hung);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("shaper reward-model: interrupted while the " + scorer.describe()
                    + " scored an episode", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
        if (scores == null || scores.length != steps.size()) {
            throw new IllegalStateException("the model returned " + (scores == null ? "null" : scores.length
                    + " scores") + " for " + steps.size() + " steps");
        }
        return scores;
    }

    /** Episodes that got no model reward because the model failed on them ({@code on_error=zero}). */
    public long failedEpisodes() {
        return failedEpisodes.get();
    }

    @Override
    public void close() {
        thread.shutdownNow();
        if (hung == null) { // a hung call may still be inside the model: leaking it beats freeing memory in use
            scorer.close();
        }
    }

    /** A model that missed its deadline: never contained by {@code on_error=zero}. */
    private static final class ModelHungException extends IllegalStateException {
        ModelHungException(String message) {
            super(message);
        }
    }
}
