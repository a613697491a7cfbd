package dev.densify.env.process;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.testkit.EnvironmentContractTest;

/** A server that declines fork keeps the whole contract through the replay fallback. */
class ReplayForkContractTest extends EnvironmentContractTest {
    @Override
    protected EnvironmentProvider provider() {
        return new ProcessProvider();
    }

    @Override
    protected PluginConfig config() {
        return Servers.misbehaving("no-fork");
    }

    @Override
    protected int examples() {
        return 2;
    }

    @Override
    protected int maxActions() {
        return 8;
    }
}
