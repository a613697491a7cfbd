package dev.densify.cli;

import dev.densify.cli.shell.CliContext;
import dev.densify.core.plugin.PluginInfo;
import dev.densify.core.plugin.PluginKind;
import dev.densify.core.plugin.PluginRegistry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists every discovered plugin by kind, with what it does and which jar (and version) it came from. */
@Command(name = "plugins",
        description = "List every plugin on the class path and plugin path, by kind.")
final class PluginsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PluginRegistry registry = CliContext.of(spec).registry();
        PrintWriter out = CliContext.of(spec).out();
        List<String[]> rows = new ArrayList<>();
        for (PluginInfo p : registry.plugins()) {
            rows.add(new String[] {p.name(), p.description(), p.jarName(), p.version()});
        }
        int[] widths = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (PluginKind<?> kind : PluginKind.ALL) {
            out.println(kind.group());
            List<PluginInfo> plugins = registry.plugins(kind);
            if (plugins.isEmpty()) {
                out.println("  (none)");
            }
            for (PluginInfo p : plugins) {
                out.println(String.format("  %-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %s",
                        p.name(), p.description(), p.jarName(), p.version()).stripTrailing());
            }
        }
        return 0;
    }
}
