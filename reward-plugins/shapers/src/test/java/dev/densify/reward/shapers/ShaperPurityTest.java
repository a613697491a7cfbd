package dev.densify.reward.shapers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.quicktheories.QuickTheory.qt;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.RewardShaperProvider;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every shaper is a pure function: it leaves its input alone and answers the same input the same way. */
class ShaperPurityTest {

    @TestFactory
    Stream<DynamicTest> shapersArePureAndKeepTheEpisodeLength() {
        return ServiceLoader.load(RewardShaperProvider.class).stream().map(ServiceLoader.Provider::get)
                .map(provider -> DynamicTest.dynamicTest(provider.name(), () -> {
                    RewardShaper shaper = provider.create(PluginConfig.empty("shaper"));
                    qt().forAll(Episodes.episodes(0, 20)).checkAssert(e -> {
                        double[] rewards = e.stepRewards().clone();
                        double[] values = e.values().clone();
                        double[] shaped = shaper.shape(e);
                        assertEquals(e.length(), shaped.length, "one reward per step");
                        assertNotSame(e.stepRewards(), shaped, "a new array");
                        assertArrayEquals(rewards, e.stepRewards(), 0, "step rewards untouched");
                        assertArrayEquals(values, e.values(), 0, "values untouched");
                        assertArrayEquals(shaped, shaper.shape(e), 0, "same input, same output");
                    });
                }));
    }
}
