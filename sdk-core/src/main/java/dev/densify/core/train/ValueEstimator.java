package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticSample;
import dev.densify.api.critic.CriticState;
import dev.densify.api.critic.FitReport;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Connects a {@link Critic} to trajectories: turns their states into critic inputs, predicts V(s_0..s_T), and fits
 * the critic to Monte Carlo returns with a held-out split of whole trajectories (states of one episode are
 * correlated, so splitting by state would flatter the fit).
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ValueEstimator {
    private static final int CALIBRATION_BINS = 10;

    private final Critic critic;
    private final FeatureSource features;
    private final double gamma;
    private final double heldOutFraction;
    /** Critic inputs of the batch last valued, by trajectory id: fitting on that batch reuses its features. */
    private final java.util.Map<String, List<CriticState>> lastStates = new java.util.HashMap<>();

    public ValueEstimator(Critic critic, FeatureSource features, double gamma, double heldOutFraction) {
        this.critic = Objects.requireNonNull(critic, "critic");
        this.features = Objects.requireNonNull(features, "features");
        this.gamma = gamma;
        this.heldOutFraction = heldOutFraction;
    }

    /** V(s_0)..V(s_T) for each trajectory, as the critic predicts them now. */
    public List<double[]> values(List<Trajectory> trajectories) {
        lastStates.clear();
        List<CriticState> states = new ArrayList<>();
        for (Trajectory t : trajectories) {
            List<CriticState> own = states(t);
            lastStates.put(t.id(), own);
            states.addAll(own);
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

    /** Fits the critic on s_0..s_{T-1} of the trajectories against their Monte Carlo returns. */
    public Report fit(List<Trajectory> trajectories, long seed) {
        List<Trajectory> shuffled = new ArrayList<>(trajectories);
        shuffled.sort(Comparator.comparing(Trajectory::id));
        java.util.Collections.shuffle(shuffled, new Random(seed));
        int heldOutCount = trajectories.size() < 5 ? 0 : (int) Math.round(heldOutFraction * trajectories.size());
        List<CriticSample> heldOut = samples(shuffled.subList(0, heldOutCount));
        List<CriticSample> train = samples(shuffled.subList(heldOutCount, shuffled.size()));
        FitReport report = critic.fit(train, heldOut);
        double calibration = Double.NaN;
        if (!heldOut.isEmpty()) {
            double[] predicted = critic.predict(heldOut.stream().map(CriticSample::state).toList());
            double[] targets = heldOut.stream().mapToDouble(CriticSample::target).toArray();
            calibration = calibrationError(targets, predicted);
        }
        return new Report(report, calibration);
    }

    private List<CriticSample> samples(List<Trajectory> trajectories) {
        List<CriticSample> samples = new ArrayList<>();
        for (Trajectory t : trajectories) {
            double[] returns = Returns.monteCarlo(t, gamma);
            List<CriticState> states = lastStates.containsKey(t.id()) ? lastStates.get(t.id()) : states(t);
            for (int i = 0; i < returns.length; i++) {
                samples.add(new CriticSample(states.get(i), returns[i]));
            }
        }
        return samples;
    }

    /** Critic inputs of s_0..s_T. */
    private List<CriticState> states(Trajectory t) {
        List<String> keys = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        for (Step step : t.steps()) {
            keys.add(step.stateKey());
            prompts.add(step.promptTokenIds());
        }
        keys.add(t.finalStateKey());
        prompts.add(critic.needsFeatures() ? features.promptTokens(t.finalObservation()) : new int[0]);
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
