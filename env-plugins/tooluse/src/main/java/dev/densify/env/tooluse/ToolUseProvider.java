package dev.densify.env.tooluse;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.TaskSet;
import java.util.Objects;

/** The {@code tooluse} environment: questions answered by calling tools written as text, then {@code answer(x)}. */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class ToolUseProvider implements EnvironmentProvider {

    @Override
    public String name() {
        return "tooluse";
    }

    @Override
    public String description() {
        return "multi-step questions solved by calling calc, lookup, convert and search, then answer(x)"
                + " (needs policy.max_action_tokens of 24 or more)";
    }

    @Override
    public Environment create(PluginConfig config) {
        ToolUseConfig c = ToolUseConfig.from(Objects.requireNonNull(config, "config"));
        return new ToolUseEnvironment(c.history(), c.resultView());
    }

    @Override
    public TaskSet tasks(PluginConfig config) {
        Objects.requireNonNull(config, "config");
        return TaskGenerator.generate(ToolUseConfig.from(config), config.path());
    }
}
