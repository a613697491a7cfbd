package dev.densify.cli;

import dev.densify.cli.shell.UserException;
import dev.densify.api.config.ConfigException;
import dev.densify.core.plugin.PluginException;
import dev.densify.core.redis.RedisRejectedException;
import dev.densify.core.redis.RedisUnavailableException;
import dev.densify.core.train.RunFolderException;
import java.io.PrintWriter;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions from commands into what a user should see: one line per problem prefixed with
 * {@code densify:}, and an exit code. Stack traces only with {@code --verbose}.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
    /** Bad arguments, configuration or plugin set (as Picocli uses for usage errors). */
    static final int BAD_INPUT = UserException.BAD_INPUT;
    /** The work itself failed. */
    static final int FAILED = UserException.FAILED;

    private final BooleanSupplier verbose;

    ErrorReporter(BooleanSupplier verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        int code;
        if (e instanceof ConfigException || e instanceof PluginException || e instanceof RunFolderException) {
            print(err, e.getMessage());
            code = BAD_INPUT;
        } else if (e instanceof RedisRejectedException) {
            print(err, e.getMessage());
            code = BAD_INPUT;
        } else if (e instanceof RedisUnavailableException) {
            print(err, e.getMessage());
            code = FAILED;
        } else if (e instanceof UserException user) {
            print(err, user.getMessage());
            code = user.exitCode();
        } else {
            print(err, "unexpected error: " + e + (verbose.getAsBoolean() ? "" : " (--verbose shows where)"));
            code = FAILED;
        }
        if (verbose.getAsBoolean()) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static void print(PrintWriter err, String message) {
        String text = message == null || message.isBlank() ? "failed without a message" : message;
        text.lines().forEach(line -> err.println("densify: " + line));
    }
}
