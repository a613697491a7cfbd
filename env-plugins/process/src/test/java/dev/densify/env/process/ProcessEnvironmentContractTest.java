package dev.densify.env.process;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.testkit.EnvironmentContractTest;

/** The shipped Python example through the process environment: the whole contract, fork by the server's own state. */
class ProcessEnvironmentContractTest extends EnvironmentContractTest {
    @Override
    protected EnvironmentProvider provider() {
        return new ProcessProvider();
    }

    @Override
    protected PluginConfig config() {
        return Servers.example();
    }

    /** Every environment and fork is a Python process: fewer, shorter episodes keep the kit within seconds. */
    @Override
    protected int examples() {
        return 3;
    }

    @Override
    protected int maxActions() {
        return 8;
    }
}
