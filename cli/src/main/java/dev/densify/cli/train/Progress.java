package dev.densify.cli.train;

import dev.densify.core.train.IterationMetrics;
import dev.densify.core.train.PhaseTimes.Phase;
import dev.densify.core.train.TrainingListener;
import java.io.Console;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress. On a terminal, a bar per phase of work: the warm start, then one per iteration that steps
 * through the iteration's phases naming the one in progress, beside the last iteration's key figures; a finished
 * iteration's bar stays on screen with its own figures. Without a terminal (CI logs, pipes), one plain line per
 * iteration and none for its phases: the bar library writes carriage returns and colour codes even there.
 */
final class Progress implements TrainingListener, AutoCloseable {
    /** What an iteration's bar steps through: its own phases (the nested ones are parts of these). */
    static final List<String> ITERATION_PHASES = Arrays.stream(Phase.values()).filter(p -> !p.nested())
            .map(Phase::label).toList();
    private static final String WARM_START = "warm start";

    private final PrintWriter err;
    private final String label;
    /** Where bars are drawn; empty without a terminal. */
    private final Optional<Supplier<ProgressBarConsumer>> terminal;
    private ProgressBar bar;
    private int phasesDone;
    private String lastFigures = "";

    /** Bars when this process has a terminal, plain lines otherwise. */
    Progress(PrintWriter err, String label) {
        this(err, label, onTerminal(System.console())
                ? Optional.of(() -> new ConsoleProgressBarConsumer(System.err)) : Optional.empty());
    }

    /** @param terminal draws the bars; empty for plain lines */
    Progress(PrintWriter err, String label, Optional<Supplier<ProgressBarConsumer>> terminal) {
        this.err = err;
        this.label = label;
        this.terminal = terminal;
    }

    /**
     * Whether progress may be drawn as bars. Up to JDK 21 a console exists only when standard input and output are
     * both a terminal; from JDK 22 one exists even when they are redirected, and {@code isTerminal()} tells.
     */
    static boolean onTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException before22) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    @Override
    public void phase(String name) {
        if (terminal.isEmpty()) {
            if (name.equals(WARM_START)) {
                err.println(label + ": warm start from demonstrations");
                err.flush();
            }
            return;
        }
        int index = ITERATION_PHASES.indexOf(name);
        if (index < 0) {
            // a phase of work of its own: the warm start, or the start of an iteration ("iteration 3/20")
            closeBar();
            if (name.startsWith("iteration ")) {
                phasesDone = 0;
                bar = newBar(label + " " + name.substring("iteration ".length()), ITERATION_PHASES.size());
            } else {
                bar = newBar(label + " " + name, -1);
            }
            return;
        }
        if (bar == null || bar.getMax() < 0) {
            // an iteration's phase without its start (a listener attached mid-iteration)
            closeBar();
            bar = newBar(label, ITERATION_PHASES.size());
        }
        bar.stepTo(phasesDone++);
        bar.setExtraMessage(phaseMessage(name, lastFigures));
        bar.refresh();
    }

    @Override
    public void iteration(int iteration, int iterations, IterationMetrics m) {
        String figures = figures(m);
        lastFigures = figures;
        if (terminal.isEmpty()) {
            err.printf("%s: iteration %d/%d  %s%n", label, iteration + 1, iterations, figures);
            err.flush();
            return;
        }
        if (bar == null) {
            bar = newBar(label + " " + (iteration + 1) + "/" + iterations, ITERATION_PHASES.size());
        }
        bar.stepTo(bar.getMax());
        bar.setExtraMessage(figures);
        closeBar();
    }

    /** The text beside an iteration's bar while a phase runs: the phase, and the last iteration's figures if any. */
    static String phaseMessage(String phase, String lastFigures) {
        return lastFigures.isEmpty() ? phase : String.format(Locale.ROOT, "%-10s | last: %s", phase, lastFigures);
    }

    /** An iteration's key figures, as its plain line and its finished bar show them. */
    static String figures(IterationMetrics m) {
        return String.format(Locale.ROOT, "train %.2f  held-out %s  kl %.3f  critic EV %s  %.0f tok/s",
                m.train().success(), format(m.heldOut().map(IterationMetrics.Outcomes::success).orElse(Double.NaN)),
                m.update().klToReference(), format(m.critic().heldOutEv()), m.throughput().tokensPerS());
    }

    private ProgressBar newBar(String task, long max) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(terminal.orElseThrow().get()).continuousUpdate().hideEta().build();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    @Override
    public void close() {
        closeBar();
    }
}
