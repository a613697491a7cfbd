package dev.densify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --help} of every command and subcommand renders cleanly: picocli reports a description it cannot format
 * (an unescaped '%') as a warning on the process's standard error and prints the raw text, format specifiers and all.
 */
class HelpTest {
    /** What a description left unformatted shows: a specifier such as %n, %s or %d (a literal percent is "% "). */
    private static final Pattern RAW_SPECIFIER = Pattern.compile("%[a-zA-Z0-9<-]");

    @Test
    void everyCommandsHelpPrintsWithoutAPicocliWarning() {
        List<List<String>> commands = new ArrayList<>();
        collect(new CommandLine(new DensifyCommand(new ByteArrayInputStream(new byte[0]),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.of())), new ArrayList<>(),
                commands);
        assertTrue(commands.size() > 10, "every command, found " + commands);
        PrintStream original = System.err;
        for (List<String> command : commands) {
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            int code;
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                code = Main.run(args.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
                        new PrintWriter(out), new PrintWriter(err), Map.of());
            } finally {
                System.setErr(original);
            }
            String name = "densify " + String.join(" ", args);
            String errors = captured.toString(StandardCharsets.UTF_8) + err;
            assertEquals(0, code, name + ": " + errors);
            assertTrue(out.toString().startsWith("Usage: densify"), name + " printed\n" + out);
            assertFalse(errors.toLowerCase(Locale.ROOT).contains("warn"), name + " warned: " + errors);
            assertEquals("", errors, name);
            assertFalse(RAW_SPECIFIER.matcher(out.toString()).find(), name + " left a format specifier in\n" + out);
        }
    }

    /** The path of every command below {@code line}, itself included (the root's path is empty). */
    private static void collect(CommandLine line, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        line.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().name().equals(name)) {
                return; // an alias
            }
            List<String> deeper = new ArrayList<>(path);
            deeper.add(name);
            collect(sub, deeper, out);
        });
    }
}
