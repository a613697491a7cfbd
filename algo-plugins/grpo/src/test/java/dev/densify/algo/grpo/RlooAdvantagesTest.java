package dev.densify.algo.grpo;

import static dev.densify.algo.grpo.Episodes.denseGroup;
import static dev.densify.algo.grpo.Episodes.lengths;
import static dev.densify.algo.grpo.Episodes.outcomes;
import static dev.densify.algo.grpo.Episodes.sparseGroup;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import dev.densify.api.algo.Aggregation;
import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.StepAdvantages;
import java.util.List;
import org.junit.jupiter.api.Test;

class RlooAdvantagesTest {

    private static RlooOptimizer rloo(double gamma) {
        return new RlooOptimizer(new RlooConfig(0.2, 0.2, 0.04, gamma, Aggregation.TOKEN_MEAN));
    }

    @Test
    void eachEpisodeIsComparedWithTheMeanOfTheOthers() {
        List<StepAdvantages> a = rloo(1).advantages(List.of(
                Episodes.sparse("t", 1, 2), Episodes.sparse("t", 0, 1), Episodes.sparse("t", 0.5, 1)));
        assertArrayEquals(new double[] {0.75, 0.75}, a.get(0).advantages(), 1e-12);
        assertArrayEquals(new double[] {-0.75}, a.get(1).advantages(), 1e-12);
        assertArrayEquals(new double[] {0}, a.get(2).advantages(), 1e-12);
    }

    @Test
    void leaveOneOutIdentityHoldsForEveryGroup() {
        qt().withExamples(300).forAll(outcomes(), lengths()).checkAssert((outcomes, lengths) -> {
            List<StepAdvantages> a = rloo(1).advantages(sparseGroup("g", outcomes, lengths));
            int n = outcomes.size();
            double total = outcomes.stream().mapToDouble(Double::doubleValue).sum();
            double advantageSum = 0;
            for (int i = 0; i < n; i++) {
                double othersMean = 0;
                for (int j = 0; j < n; j++) {
                    othersMean += j == i ? 0 : outcomes.get(j) / (n - 1);
                }
                double centred = outcomes.get(i) - total / n;
                for (double step : a.get(i).advantages()) {
                    assertEquals(outcomes.get(i) - othersMean, step, 1e-9);
                    assertEquals(n / (n - 1.0) * centred, step, 1e-9);
                }
                advantageSum += a.get(i).advantages()[0];
            }
            assertEquals(0, advantageSum, 1e-9);
        });
    }

    @Test
    void denseStepsUseTheLeaveOneOutMeanOfEpisodeReturns() {
        qt().withExamples(200).forAll(Episodes.denseGroup()).checkAssert(group -> {
            List<EpisodeRewards> batch = denseGroup("g", group);
            List<StepAdvantages> a = rloo(0.8).advantages(batch);
            double[] firstReturns = batch.stream()
                    .mapToDouble(e -> Episodes.returns(e.rewards(), 0.8)[0]).toArray();
            for (int i = 0; i < batch.size(); i++) {
                double[] returns = Episodes.returns(batch.get(i).rewards(), 0.8);
                double baseline = batch.size() == 1 ? firstReturns[0]
                        : (Episodes.sum(firstReturns) - firstReturns[i]) / (batch.size() - 1);
                for (int t = 0; t < returns.length; t++) {
                    assertEquals(returns[t] - baseline, a.get(i).advantages()[t], 1e-9);
                }
                assertArrayEquals(returns, a.get(i).returns(), 1e-12);
            }
        });
    }
}
