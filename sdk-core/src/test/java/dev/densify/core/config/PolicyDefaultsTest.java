package dev.densify.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.densify.api.config.PluginConfig;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.MemorySettings;
import dev.densify.core.train.PolicySettings;
import org.junit.jupiter.api.Test;

/**
 * The policy group's records read their defaults from policy/tiny.yaml (with sdk-api's reader) and bind to what the
 * engine composes from it (with Jackson); cli's OptionFilesTest compares the two readings of every option file.
 */
class PolicyDefaultsTest {
    @Test
    void thePolicyDefaultsAreWhatTheEngineComposes() {
        ComposedConfig config = new ConfigComposer(PluginRegistry.discover(getClass().getClassLoader()))
                .compose(ConfigRequest.of().onlyGroups("policy"));
        assertEquals(config.group("policy").bind(PolicySettings.class), PolicySettings.defaults());
        assertEquals(PolicySettings.defaults(), PluginConfig.empty("policy").bind(PolicySettings.class));
        assertEquals(config.group("policy").child("memory").bind(MemorySettings.class), MemorySettings.defaults());
    }
}
