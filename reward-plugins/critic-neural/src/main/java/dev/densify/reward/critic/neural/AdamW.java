package dev.densify.reward.critic.neural;

import java.util.HashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter 2019) on heap parameters: Adam moments with bias correction and decoupled weight
 * decay p -= lr * wd * p on the tensors marked to decay. Moments start at zero for every fit, because the
 * target scale may have changed since the previous one.
 */
final class AdamW {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final double learningRate;
    private final double weightDecay;
    private final Map<String, double[]> first = new HashMap<>();
    private final Map<String, double[]> second = new HashMap<>();
    private int steps;

    AdamW(double learningRate, double weightDecay) {
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
    }

    /** One update of every tensor with its gradient (same order and length as the tensor's values). */
    void step(Parameters parameters, Map<String, float[]> gradients) {
        steps++;
        double correction1 = 1 - Math.pow(BETA1, steps);
        double correction2 = 1 - Math.pow(BETA2, steps);
        parameters.tensors().forEach((name, tensor) -> {
            float[] values = tensor.values();
            float[] g = gradients.get(name);
            double[] m = first.computeIfAbsent(name, n -> new double[values.length]);
            double[] v = second.computeIfAbsent(name, n -> new double[values.length]);
            double decay = tensor.decays() ? weightDecay : 0;
            for (int i = 0; i < values.length; i++) {
                m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
                v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
                double update = (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + EPSILON);
                values[i] = (float) (values[i] - learningRate * (update + decay * values[i]));
            }
        });
    }
}
