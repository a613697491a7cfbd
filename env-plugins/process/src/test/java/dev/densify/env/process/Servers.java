package dev.densify.env.process;

import dev.densify.api.config.PluginConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python servers the tests run: the shipped example, and the example with one planted fault. They need only the
 * standard library, so {@code -S} skips the site packages, which take most of a start-up here.
 */
final class Servers {
    static final Path EXAMPLE = Path.of("python", "line_walk.py").toAbsolutePath();
    static final Path MISBEHAVING = Path.of("src", "test", "python", "misbehaving.py").toAbsolutePath();

    private Servers() {}

    static PluginConfig example(Object... more) {
        return config(List.of("python3", "-S", EXAMPLE.toString()), more);
    }

    /** The example with the fault {@code mode} of misbehaving.py, e.g. "hang-on-step". */
    static PluginConfig misbehaving(String mode, Object... more) {
        return config(List.of("python3", "-S", MISBEHAVING.toString(), mode), more);
    }

    private static PluginConfig config(List<String> command, Object... more) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("command", command);
        for (int i = 0; i < more.length; i += 2) {
            values.put((String) more[i], more[i + 1]);
        }
        return PluginConfig.of("env", values);
    }
}
