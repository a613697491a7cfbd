package dev.densify.env.tooluse;

import dev.densify.api.config.PluginConfig;
import java.util.Map;

/** The environment kit's checks with the result view (env.view=result). */
class ToolUseResultViewContractTest extends ToolUseEnvironmentContractTest {
    @Override
    protected PluginConfig config() {
        return PluginConfig.of(group(), Map.of("view", "result"));
    }
}
