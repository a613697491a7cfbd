package dev.densify.api.critic;

import dev.densify.api.API;

/**
 * How a critic fit went: mean squared errors on training and held-out samples, the held-out explained
 * variance EV = 1 - Var(G - V) / Var(G), and the number of epochs run (after early stopping).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record FitReport(double trainLoss, double heldOutLoss, double explainedVariance, int epochs) {

    /** EV = 1 - Var(target - prediction) / Var(target); NaN for fewer than two targets or constant targets. */
    public static double explainedVariance(double[] targets, double[] predictions) {
        if (targets.length != predictions.length) {
            throw new IllegalArgumentException("targets and predictions differ in length");
        }
        if (targets.length < 2) {
            return Double.NaN;
        }
        double[] residual = new double[targets.length];
        for (int i = 0; i < targets.length; i++) {
            residual[i] = targets[i] - predictions[i];
        }
        double varTarget = variance(targets);
        return varTarget == 0 ? Double.NaN : 1 - variance(residual) / varTarget;
    }

    /** Mean squared error; NaN when empty. */
    public static double meanSquaredError(double[] targets, double[] predictions) {
        if (targets.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < targets.length; i++) {
            double d = targets[i] - predictions[i];
            sum += d * d;
        }
        return sum / targets.length;
    }

    private static double variance(double[] xs) {
        double mean = 0;
        for (double x : xs) {
            mean += x;
        }
        mean /= xs.length;
        double sum = 0;
        for (double x : xs) {
            sum += (x - mean) * (x - mean);
        }
        return sum / xs.length;
    }
}
