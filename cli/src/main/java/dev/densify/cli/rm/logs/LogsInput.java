package dev.densify.cli.rm.logs;

import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.ConfigOptions;
import dev.densify.cli.shell.UserException;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.config.ConfigComposer;
import dev.densify.core.config.ConfigRequest;
import dev.densify.rm.logs.LogFormatException;
import dev.densify.rm.logs.LogReader;
import dev.densify.rm.logs.LogRecord;
import dev.densify.rm.logs.LogRewardModel;
import dev.densify.rm.logs.LogsSettings;
import dev.densify.rm.logs.MissingValues;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** What the three commands share: the composed {@code logs} group, reading logs, loading a model, messages. */
@API(status = API.Status.INTERNAL, since = "0.2")
final class LogsInput {
    /** The primary configuration of {@code densify rm logs}. */
    static final String PRIMARY = "META-INF/densify/rm-logs.yaml";

    private LogsInput() {}

    static ComposedConfig compose(CliContext context, ConfigRequest request) {
        return new ConfigComposer(context.registry(), PRIMARY).compose(request);
    }

    /** The composed settings; a model folder's config.yaml is the default file. */
    static ComposedConfig compose(CliContext context, ConfigOptions options, Path modelFolder) {
        ConfigRequest request = options.request();
        if (modelFolder != null) {
            Path saved = modelFolder.resolve(ComposedConfig.FILE_NAME);
            if (request.configFile().isEmpty() && Files.isRegularFile(saved)) {
                request = request.withConfigFile(saved);
            }
        }
        return compose(context, request);
    }

    static LogsSettings settings(ComposedConfig config) {
        return config.group("logs").bind(LogsSettings.class);
    }

    /** Reads and completes the records of {@code files}, printing what missing values cost. */
    static MissingValues.Result read(List<Path> files, MissingValues.Policy policy, PrintWriter out) {
        MissingValues.Result result = userErrors(() -> MissingValues.apply(LogReader.read(files), policy));
        MissingValues.Report r = result.report();
        String missing = r.missing().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().key() + " " + e.getValue()).collect(Collectors.joining(", "));
        out.printf(Locale.ROOT, "records    %d read, %d kept, %d dropped; missing values (policy %s): %s%n",
                r.records(), r.kept(), r.dropped(), policy.name().toLowerCase(Locale.ROOT),
                missing.isEmpty() ? "none" : missing);
        r.imputedRewards().forEach((source, value) -> out.printf(Locale.ROOT,
                "imputed    reward %.6g for the records of source %s without one%n", value, source));
        if (result.records().isEmpty()) {
            throw new UserException("no usable records in " + files);
        }
        return result;
    }

    static LogRewardModel load(Path folder) {
        return userErrors(() -> {
            try {
                return LogRewardModel.load(folder);
            } catch (IOException e) {
                throw new UserException("--model: cannot read " + folder + ": " + e.getMessage(),
                        UserException.BAD_INPUT, e);
            }
        });
    }

    /** Bad logs and impossible settings are the user's to fix: one message, exit code 2. */
    static <T> T userErrors(Supplier<T> work) {
        try {
            return work.get();
        } catch (LogFormatException | IllegalArgumentException e) {
            throw new UserException(e.getMessage(), UserException.BAD_INPUT, e);
        }
    }

    static List<LogRecord> observed(List<LogRecord> records) {
        return records.stream().filter(LogRecord::rewardObserved).toList();
    }
}
