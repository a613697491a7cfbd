package dev.densify.cli.train;

import dev.densify.core.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress: a progress bar on a terminal, one plain line per iteration otherwise (CI logs, pipes).
 */
final class Progress implements TrainingListener, AutoCloseable {
    private final PrintWriter err;
    private final String label;
    private final boolean terminal = System.console() != null;
    private ProgressBar bar;

    Progress(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
    }

    @Override
    public void phase(String name) {
        if (!terminal && name.equals("warm start")) {
            err.println(label + ": warm start from demonstrations");
            err.flush();
        }
    }

    @Override
    public void iteration(int iteration, int iterations, Map<String, Object> m) {
        String summary = String.format("train %.2f  held-out %s  kl %.3f  critic EV %s  %.0f tok/s",
                number(m.get("train_success")), m.containsKey("heldout_success")
                        ? String.format("%.2f", number(m.get("heldout_success"))) : "-",
                number(m.get("kl_to_reference")), format(m.get("critic_heldout_ev")), number(m.get("tokens_per_s")));
        if (terminal) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(iterations)
                        .setStyle(ProgressBarStyle.ASCII).build();
                bar.stepTo(iteration);
            }
            bar.stepTo(iteration + 1);
            bar.setExtraMessage(summary);
        } else {
            err.printf("%s: iteration %d/%d  %s%n", label, iteration + 1, iterations, summary);
            err.flush();
        }
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String format(Object value) {
        double v = number(value);
        return Double.isNaN(v) ? "-" : String.format("%.2f", v);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
