package dev.densify.cli.env;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.ConfigOptions;
import dev.densify.cli.shell.UserException;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.plugin.PluginKind;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Plays one episode of the configured environment with actions typed on standard input. */
@Command(name = "play",
        description = {"Play an episode by typing actions, one per line; 'quit' (or end of input) stops.",
            "Only the env group is composed, e.g.: densify env play env=gridworld env.size=9"})
final class EnvPlayCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--task", paramLabel = "ID", description = "The task to play (default: the first one).")
    private String taskId;

    @Option(names = "--held-out", description = "Choose among the held-out tasks instead of the training tasks.")
    private boolean heldOut;

    @Option(names = "--seed", defaultValue = "0", description = "The episode seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--show-observation", description = "Also print the observation text the agent reads.")
    private boolean showObservation;

    @Override
    public Integer call() {
        CliContext context = CliContext.of(spec);
        ComposedConfig composed = context.composer().compose(config.request().onlyGroups(PluginKind.ENV.group()));
        String name = composed.selected(PluginKind.ENV.group());
        EnvironmentProvider provider = context.registry().provider(PluginKind.ENV, name);
        PluginConfig envConfig = composed.group(PluginKind.ENV.group());
        Task task = task(tasksOf(provider, name, envConfig));
        try (Environment environment = provider.create(envConfig)) {
            new PlaySession(name, environment, context.in(), context.out(), showObservation).play(task, seed);
        }
        return 0;
    }

    private static TaskSet tasksOf(EnvironmentProvider provider, String name, PluginConfig envConfig) {
        try {
            return provider.tasks(envConfig);
        } catch (RuntimeException e) {
            throw new UserException("environment '" + name + "' cannot list its tasks: " + e, 1, e);
        }
    }

    private Task task(TaskSet tasks) {
        List<Task> candidates = heldOut ? tasks.heldOut() : tasks.train();
        String set = heldOut ? "held-out" : "training";
        if (candidates.isEmpty()) {
            throw new UserException("the environment has no " + set + " tasks");
        }
        if (taskId == null) {
            return candidates.get(0);
        }
        return candidates.stream().filter(t -> t.id().equals(taskId)).findFirst()
                .orElseThrow(() -> new UserException("--task: no " + set + " task '" + taskId + "'; "
                        + describe(candidates)));
    }

    private static String describe(List<Task> tasks) {
        List<String> ids = tasks.stream().map(Task::id).limit(20).toList();
        return "tasks are " + ids + (tasks.size() > ids.size() ? " and " + (tasks.size() - ids.size()) + " more" : "");
    }
}
