package dev.densify.env.process;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.testkit.EnvironmentContractTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The page of adapter code in docs/process-protocol.md keeps the contract: a gym-style environment without a fork
 * of its own, so this is also the contract of fork by replay (a fresh server, reset and the actions so far).
 */
class GymStyleContractTest extends EnvironmentContractTest {
    @Override
    protected EnvironmentProvider provider() {
        return new ProcessProvider();
    }

    @Override
    protected PluginConfig config() {
        return PluginConfig.of("env", Map.of("command", List.of("python3", "-S",
                Path.of("src", "test", "python", "gym_style.py").toAbsolutePath().toString())));
    }

    @Override
    protected int examples() {
        return 2;
    }

    @Override
    protected int maxActions() {
        return 6;
    }
}
