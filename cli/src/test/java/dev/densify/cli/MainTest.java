package dev.densify.cli;

import dev.densify.cli.shell.PluginPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line run in-process, as a user sees it: exit codes, output and error lines. */
class MainTest {
    @TempDir
    Path tmp;

    private record Result(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static Result run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
                environment);
        return new Result(code, out.toString(), err.toString());
    }

    private static Result run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void withoutACommandPrintsUsageListingTheCommands() {
        Result result = run();
        assertEquals(0, result.exitCode());
        assertTrue(result.out().startsWith("Usage: densify "), result.out());
        for (String command : List.of("plugins", "config", "env")) {
            assertTrue(result.out().contains("\n  " + command + " "), command + " missing from\n" + result.out());
        }
    }

    @Test
    void unknownCommandsAreUsageErrors() {
        Result result = run("trian");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("Unmatched argument at index 0: 'trian'"), result.err());
    }

    @Test
    void pluginsListsEveryKind() {
        Result result = run("plugins");
        assertEquals(0, result.exitCode(), result.err());
        List<String> headings = result.out().lines().filter(l -> !l.startsWith(" ")).toList();
        assertEquals(List.of("env", "critic", "shaper", "normalizer", "algo", "buffer"), headings);
    }

    @Test
    void configurationErrorsAreOneLineEachWithExitCodeTwo() {
        Result result = run("config", "env=nope", "trainer.iterations=x");
        assertEquals(2, result.exitCode());
        assertEquals("", result.out());
        assertTrue(result.errLines().stream().allMatch(l -> l.startsWith("densify: ")), result.err());
        assertTrue(result.errLines().stream().anyMatch(l -> l.startsWith("densify: env: unknown option 'nope'; ")),
                result.err());
        assertTrue(result.errLines().contains("densify: trainer.iterations: expected an int, got 'x' (string)"),
                result.err());
        assertFalse(result.err().contains("\tat "), "no stack trace without --verbose");
    }

    @Test
    void verboseShowsTheStackTrace() {
        Result result = run("--verbose", "env", "play", "env=nope");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("dev.densify.core.config.ConfigValidationException"), result.err());
        assertTrue(result.err().contains("\tat dev.densify.core.config.ConfigComposer.compose"), result.err());
    }

    @Test
    void aBadPluginPathIsOneLine() {
        Path missing = tmp.resolve("missing");
        Result fromFlag = run("plugins", "--plugin-path", missing.toString());
        assertEquals(2, fromFlag.exitCode());
        assertEquals(List.of("densify: --plugin-path: '" + missing + "' is neither a folder nor a jar file"),
                fromFlag.errLines());
        Result fromEnvironment = run(Map.of(PluginPath.ENVIRONMENT_VARIABLE, missing.toString()), "plugins");
        assertEquals(List.of("densify: DENSIFY_PLUGIN_PATH: '" + missing + "' is neither a folder nor a jar file"),
                fromEnvironment.errLines());
    }

    @Test
    void aMissingConfigFileIsOneLine() {
        Path missing = tmp.resolve("run.yaml");
        Result result = run("env", "play", "--config", missing.toString());
        assertEquals(2, result.exitCode());
        // the first line; the default env may be missing too, depending on the plugins on the class path
        assertEquals("densify: " + missing + ": no such configuration file", result.errLines().get(0));
    }

    @Test
    void childProcessesRunTheRealEntryPoint() {
        assertEquals(Main.class.getName(), dev.densify.cli.shell.CliContext.MAIN_CLASS);
    }
}
