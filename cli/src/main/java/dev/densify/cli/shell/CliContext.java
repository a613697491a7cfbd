package dev.densify.cli.shell;

import dev.densify.api.API;
import dev.densify.core.config.ConfigComposer;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.RunChecks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URLClassLoader;
import java.nio.charset.Charset;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every command of one invocation shares: the terminal (input and output) and the plugins, found lazily on
 * the plugin class path so that {@code --help} and {@code --version} never touch a jar.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class CliContext implements AutoCloseable {
    /** The command line's entry point, which child processes (ablate --parallel) run; MainTest keeps it true. */
    public static final String MAIN_CLASS = "dev.densify.cli.Main";

    /** The root command holds the invocation's context; every subcommand reaches it through {@link #of}. */
    @API(status = API.Status.INTERNAL, since = "0.1")
    public interface Holder {
        CliContext context();
    }

    /** The context of the invocation that runs {@code spec}'s command. */
    public static CliContext of(picocli.CommandLine.Model.CommandSpec spec) {
        java.util.Objects.requireNonNull(spec, "spec");
        return ((Holder) spec.root().userObject()).context();
    }

    private static final Logger LOG = LoggerFactory.getLogger(CliContext.class);

    private final BufferedReader in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> environment;
    private String pluginPathOption;
    private ClassLoader pluginLoader;
    private PluginRegistry registry;
    private ConfigComposer composer;

    public CliContext(InputStream in, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        this.in = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
        this.out = out;
        this.err = err;
        this.environment = Map.copyOf(environment);
    }

    public void setPluginPathOption(String folders) {
        this.pluginPathOption = folders;
    }

    /** The --plugin-path the user gave, if any (child processes are given the same). */
    public java.util.Optional<String> pluginPathOption() {
        return java.util.Optional.ofNullable(pluginPathOption);
    }

    /** Lines typed by the user (standard input). */
    public BufferedReader in() {
        return in;
    }

    /** Standard output: results. */
    public PrintWriter out() {
        return out;
    }

    /** Standard error: errors and warnings. */
    public PrintWriter err() {
        return err;
    }

    /** The class loader of densify plus the jars of the plugin path. */
    public synchronized ClassLoader pluginLoader() {
        if (pluginLoader == null) {
            pluginLoader = PluginPath.loader(PluginPath.readable(PluginPath.jars(pluginPathOption, environment),
                    warning -> {
                        err.println("densify: warning: " + warning);
                        err.flush();
                    }), CliContext.class.getClassLoader());
        }
        return pluginLoader;
    }

    /** Every plugin on the plugin class path; an unusable set of plugins is an error here. */
    public synchronized PluginRegistry registry() {
        if (registry == null) {
            registry = PluginRegistry.discover(pluginLoader());
        }
        return registry;
    }

    /** Composes configurations from the registry's class path, with the checks every run makes. */
    public synchronized ConfigComposer composer() {
        if (composer == null) {
            composer = RunChecks.composer(registry());
        }
        return composer;
    }

    @Override
    public synchronized void close() {
        if (pluginLoader instanceof URLClassLoader urls) {
            try {
                urls.close();
            } catch (IOException e) {
                LOG.debug("cannot close the plugin class loader", e);
            }
        }
    }
}
