package dev.densify.cli.train;

import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Observation;
import dev.densify.testkit.EnvironmentContractTest;
import java.util.List;

class StoryWordEnvironmentContractTest extends EnvironmentContractTest {
    @Override
    protected EnvironmentProvider provider() {
        return new StoryWordEnvironment();
    }

    /** The record is nested in the provider, not named after it. */
    @Override
    protected Class<? extends Record> configType() {
        return StoryWordEnvironment.StoryWordConfig.class;
    }

    /** Open text: a name that succeeds, a word that does not, and nothing at all. */
    @Override
    protected List<String> candidateActions(Observation observation) {
        return List.of("Lily went home.", "the dog", "");
    }
}
