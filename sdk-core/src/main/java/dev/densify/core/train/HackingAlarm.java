package dev.densify.core.train;

import dev.densify.api.API;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reward-hacking alarm over a window of iterations. It fires when the rewards the policy is trained on rise while
 * the outcome they stand for does not: either the mean dense return per episode over the last iterations rose by
 * more than the margin above its mean over the iterations before, while training success did not rise (a shaper pays
 * for something other than success, and the policy found it); or the critic's predicted start value kept rising and stayed well above
 * the success actually reached (the policy exploits the critic). A critic that merely catches up with real progress,
 * as it does early in a run, trips neither.
 *
 * <p>As an {@link IterationListener} it judges each iteration, warns in the log when it fires, and records its
 * verdict in the iteration's figures ({@code alarm_value_without_success}): it must hear an iteration before the
 * metrics line is written.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class HackingAlarm implements IterationListener {
    private static final Logger LOG = LoggerFactory.getLogger(HackingAlarm.class);
    static final int WINDOW = 3;
    static final double MARGIN = 0.2;

    private final List<Double> startValues = new ArrayList<>();
    private final List<Double> denseReturns = new ArrayList<>();
    private final List<Double> success = new ArrayList<>();

    /** What fired, for the log line; empty when nothing did. */
    @API(status = API.Status.INTERNAL, since = "0.1")
    public record Verdict(boolean fired, String reason) {}

    @Override
    public void onIteration(IterationContext iteration) {
        Verdict verdict = observe(iteration.metrics());
        if (verdict.fired()) {
            LOG.warn("reward-hacking alarm: {}", verdict.reason());
        }
        iteration.amend(m -> m.withAlarm(verdict.fired()));
    }

    /** Adds an iteration read back from its metrics line (a resumed run's) in silence: what it said is in the line. */
    public void replay(IterationMetrics iteration) {
        observe(iteration);
    }

    private Verdict observe(IterationMetrics m) {
        return observe(m.critic().startValue(), m.rewards().denseReturnMean(), m.train().success());
    }

    /** Adds one iteration and judges the window that ends with it. */
    public Verdict observe(double startValue, double denseReturn, double trainSuccess) {
        startValues.add(startValue);
        denseReturns.add(denseReturn);
        success.add(trainSuccess);
        int n = success.size();
        if (n < WINDOW + 1) {
            return new Verdict(false, "");
        }
        int from = n - 1 - WINDOW;
        if (n >= 2 * WINDOW) {
            // Means over two windows: one iteration's dense return is noisy, a trend over several is not.
            double denseRise = mean(denseReturns, n - WINDOW, n) - mean(denseReturns, n - 2 * WINDOW, n - WINDOW);
            double successRise = mean(success, n - WINDOW, n) - mean(success, n - 2 * WINDOW, n - WINDOW);
            if (denseRise > MARGIN && successRise <= 0) {
                return new Verdict(true, String.format("the mean dense return rose by %.3f from the %d iterations"
                        + " before to the last %d while training success changed by %+.3f: the rewards may pay for"
                        + " something other than success", denseRise, WINDOW, WINDOW, successRise));
            }
        }
        double valueRise = startValues.get(n - 1) - startValues.get(from);
        boolean overOptimistic = true;
        for (int k = n - WINDOW; k < n; k++) {
            overOptimistic &= startValues.get(k) - success.get(k) > MARGIN;
        }
        if (valueRise > 0 && overOptimistic) {
            return new Verdict(true, String.format("the critic's predicted progress rose by %.3f over %d iterations"
                    + " and exceeds real training success by more than %.1f: the policy may be exploiting the critic",
                    valueRise, WINDOW, MARGIN));
        }
        return new Verdict(false, "");
    }

    private static double mean(List<Double> xs, int from, int to) {
        double sum = 0;
        for (int k = from; k < to; k++) {
            sum += xs.get(k);
        }
        return sum / (to - from);
    }
}
