package dev.densify.reward.normalizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.quicktheories.QuickTheory.qt;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.GroupedRewards;
import dev.densify.api.reward.Normalizer;
import dev.densify.api.reward.NormalizerProvider;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every normaliser answers one array per episode, of the episode's length, and leaves its input alone. */
class NormalizerPurityTest {

    @TestFactory
    Stream<DynamicTest> normalisersKeepShapesAndInputs() {
        return ServiceLoader.load(NormalizerProvider.class).stream().map(ServiceLoader.Provider::get)
                .map(provider -> DynamicTest.dynamicTest(provider.name(), () -> {
                    Normalizer normalizer = provider.create(PluginConfig.empty("normalizer"));
                    qt().forAll(RewardBatches.batches(0, 10)).checkAssert(batch -> {
                        List<double[]> copies = batch.stream().map(e -> e.rewards().clone()).toList();
                        List<double[]> out = normalizer.normalize(batch);
                        assertEquals(batch.size(), out.size(), "one array per episode");
                        for (int i = 0; i < batch.size(); i++) {
                            GroupedRewards episode = batch.get(i);
                            assertEquals(episode.rewards().length, out.get(i).length, "one reward per step");
                            assertNotSame(episode.rewards(), out.get(i), "a new array");
                            assertArrayEquals(copies.get(i), episode.rewards(), 0, "input untouched");
                        }
                    });
                }));
    }
}
