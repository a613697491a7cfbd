package dev.densify.reward.normalizers;

import static dev.densify.reward.normalizers.RewardBatches.batches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClipNormalizerTest {

    @Test
    @DisplayName("every reward is clamped to [min, max]; rewards inside are unchanged, outside go to the nearer bound")
    void clampsToTheRange() {
        qt().forAll(batches(0, 10), doubles().between(-8, 8), doubles().between(0.001, 8)).checkAssert((batch, min, width) -> {
            double max = min + width;
            List<double[]> out = new ClipNormalizer(new ClipNormalizerConfig(min, max)).normalize(batch);
            for (int i = 0; i < batch.size(); i++) {
                for (int t = 0; t < out.get(i).length; t++) {
                    double r = batch.get(i).rewards()[t];
                    double clipped = out.get(i)[t];
                    assertTrue(clipped >= min && clipped <= max, clipped + " outside [" + min + ", " + max + "]");
                    assertEquals(r < min ? min : r > max ? max : r, clipped, 0);
                }
            }
        });
    }
}
