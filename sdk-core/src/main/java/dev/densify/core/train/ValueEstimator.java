package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticSample;
import dev.densify.api.critic.CriticState;
import dev.densify.api.critic.FitReport;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Connects a {@link Critic} to trajectories: turns their states into critic inputs, predicts V(s_0..s_T), and fits
 * the critic to Monte Carlo returns of a replay of recent trajectories. The held-out split is by task: states of
 * one task are correlated, and the critic is applied to tasks it has not been fitted on, so a split by state or by
 * episode would flatter it. A terminal last state is fitted to 0, the value the advantages give it.
 *
 * <p>Targets are Monte Carlo returns or, with lambda below 1, lambda-returns bootstrapped from the critic's own values
 * of the replay before the fit: a state's target then borrows from every later state's value, and so from every
 * trajectory that passed through states like them, which cuts the variance of 0/1 outcomes at the price of the
 * critic's own bias.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ValueEstimator {
    private static final int CALIBRATION_BINS = 10;

    private final Critic critic;
    private final FeatureSource features;
    private final double gamma;
    private final double heldOutFraction;
    private final int replayCapacity;
    private final double lambda;
    private final TrainerSettings.CriticKey key;
    private final Deque<Trajectory> replay = new ArrayDeque<>();
    private boolean fitted;

    /**
     * @param replayCapacity most recent trajectories the critic is fitted on (the newest batch included)
     * @param lambda of the lambda-return targets; 1 = Monte Carlo returns
     * @param key what names a state to the critic
     * @param fitted whether the critic has been fitted before (a resumed run's critic has)
     */
    public ValueEstimator(Critic critic, FeatureSource features, double gamma, double heldOutFraction,
                          int replayCapacity, double lambda, TrainerSettings.CriticKey key, boolean fitted) {
        this.critic = Objects.requireNonNull(critic, "critic");
        this.features = Objects.requireNonNull(features, "features");
        this.gamma = gamma;
        this.heldOutFraction = heldOutFraction;
        if (replayCapacity <= 0) {
            throw new IllegalArgumentException("replay capacity must be positive, got " + replayCapacity);
        }
        this.replayCapacity = replayCapacity;
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must lie in [0, 1], got " + lambda);
        }
        this.lambda = lambda;
        this.key = Objects.requireNonNull(key, "key");
        this.fitted = fitted;
    }

    /** Whether the critic has been fitted at least once: an unfitted critic's values mean nothing. */
    public boolean fitted() {
        return fitted;
    }

    /** V(s_0)..V(s_T) for each trajectory, as the critic predicts them now. */
    public List<double[]> values(List<Trajectory> trajectories) {
        List<CriticState> states = new ArrayList<>();
        for (Trajectory t : trajectories) {
            states.addAll(states(t));
        }
        double[] flat = states.isEmpty() ? new double[0] : critic.predict(states);
        List<double[]> out = new ArrayList<>();
        int at = 0;
        for (Trajectory t : trajectories) {
            out.add(Arrays.copyOfRange(flat, at, at + t.length() + 1));
            at += t.length() + 1;
        }
        return out;
    }

    /**
     * Explained variance of {@code values} (as predicted for {@code trajectories} before the critic saw them) against
     * their Monte Carlo returns over s_0..s_{T-1}: how good the values were that this batch's rewards were built from.
     */
    public double explainedVariance(List<Trajectory> trajectories, List<double[]> values) {
        List<Double> targets = new ArrayList<>();
        List<Double> predicted = new ArrayList<>();
        for (int i = 0; i < trajectories.size(); i++) {
            double[] returns = Returns.monteCarlo(trajectories.get(i), gamma);
            for (int t = 0; t < returns.length; t++) {
                targets.add(returns[t]);
                predicted.add(values.get(i)[t]);
            }
        }
        if (targets.size() < 2) {
            return Double.NaN;
        }
        return FitReport.explainedVariance(targets.stream().mapToDouble(Double::doubleValue).toArray(),
                predicted.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Adds the trajectories to the replay and fits the critic on all of it, holding out a fraction of its tasks. */
    public Report fit(List<Trajectory> trajectories, long seed) {
        for (Trajectory t : trajectories) {
            replay.addLast(t);
            if (replay.size() > replayCapacity) {
                replay.removeFirst();
            }
        }
        List<String> tasks = new ArrayList<>(replay.stream().map(Trajectory::taskId).distinct().sorted().toList());
        Collections.shuffle(tasks, new Random(seed));
        // A fraction of 0 holds out nothing (all data trains); any other holds out at least one task when there are 3.
        int heldOutTasks = tasks.size() < 3 || heldOutFraction == 0 ? 0
                : Math.max(1, (int) Math.round(heldOutFraction * tasks.size()));
        Set<String> heldOutSet = new HashSet<>(tasks.subList(0, heldOutTasks));
        List<Trajectory> heldOutTrajectories = new ArrayList<>();
        List<Trajectory> trainTrajectories = new ArrayList<>();
        for (Trajectory t : replay) {
            (heldOutSet.contains(t.taskId()) ? heldOutTrajectories : trainTrajectories).add(t);
        }
        List<CriticSample> heldOut = samples(heldOutTrajectories);
        List<CriticSample> train = samples(trainTrajectories);
        FitReport report = critic.fit(train, heldOut);
        fitted = true;
        double calibration = Double.NaN;
        if (!heldOut.isEmpty()) {
            double[] predicted = critic.predict(heldOut.stream().map(CriticSample::state).toList());
            double[] targets = heldOut.stream().mapToDouble(CriticSample::target).toArray();
            calibration = calibrationError(targets, predicted);
        }
        return new Report(report, calibration);
    }

    /** The replay, oldest first, for checkpoints. */
    public List<Trajectory> replay() {
        return List.copyOf(replay);
    }

    /** Replaces the replay with one saved by {@link #replay()}. */
    public void restoreReplay(List<Trajectory> saved) {
        replay.clear();
        saved.forEach(replay::addLast);
        while (replay.size() > replayCapacity) {
            replay.removeFirst();
        }
    }

    private List<CriticSample> samples(List<Trajectory> trajectories) {
        List<List<CriticState>> states = trajectories.stream().map(this::states).toList();
        // An unfitted critic's values mean nothing: its first targets are the returns themselves.
        double[] bootstrap = lambda < 1 && fitted && !trajectories.isEmpty()
                ? critic.predict(states.stream().flatMap(List::stream).toList()) : null;
        List<CriticSample> samples = new ArrayList<>();
        int at = 0;
        for (int k = 0; k < trajectories.size(); k++) {
            Trajectory t = trajectories.get(k);
            List<CriticState> of = states.get(k);
            double[] returns = bootstrap == null ? Returns.monteCarlo(t, gamma)
                    : Returns.lambdaReturns(Returns.sparseRewards(t), Arrays.copyOfRange(bootstrap, at, at + of.size()),
                            t.terminated(), gamma, lambda);
            at += of.size();
            for (int i = 0; i < returns.length; i++) {
                samples.add(new CriticSample(of.get(i), returns[i]));
            }
            if (t.terminated()) {
                samples.add(new CriticSample(of.get(returns.length), 0));
            }
        }
        return samples;
    }

    /** Critic inputs of s_0..s_T. */
    private List<CriticState> states(Trajectory t) {
        List<String> keys = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        boolean byState = key == TrainerSettings.CriticKey.STATE;
        for (Step step : t.steps()) {
            keys.add(byState ? step.stateKey() : step.observation());
            prompts.add(step.promptTokenIds());
        }
        keys.add(byState ? t.finalStateKey() : t.finalObservation());
        prompts.add(critic.needsFeatures() ? features.finalPromptTokens(t) : new int[0]);
        List<CriticState> states = new ArrayList<>(keys.size());
        if (critic.needsFeatures()) {
            float[][][] f = features.features(prompts);
            for (int i = 0; i < keys.size(); i++) {
                states.add(new CriticState(keys.get(i), f[i]));
            }
        } else {
            keys.forEach(k -> states.add(CriticState.ofKey(k)));
        }
        return states;
    }

    /**
     * Expected calibration error: states binned by predicted value (equal-count bins), the count-weighted mean of
     * |mean predicted - mean observed return| per bin. A critic that ranks well but is over-optimistic shows here.
     */
    static double calibrationError(double[] targets, double[] predicted) {
        Integer[] order = new Integer[targets.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> predicted[i]));
        double error = 0;
        int bins = Math.min(CALIBRATION_BINS, order.length);
        for (int b = 0; b < bins; b++) {
            int from = b * order.length / bins;
            int to = (b + 1) * order.length / bins;
            double p = 0;
            double g = 0;
            for (int k = from; k < to; k++) {
                p += predicted[order[k]];
                g += targets[order[k]];
            }
            error += Math.abs(p - g);
        }
        return error / order.length;
    }

    /** The critic's own fit report and the held-out calibration error. */
    @API(status = API.Status.INTERNAL, since = "0.1")
    public record Report(FitReport fit, double calibrationError) {}
}
