package dev.densify.core.report;

import dev.densify.api.API;
import dev.densify.core.train.IterationMetrics;
import dev.densify.core.train.TrainingListener;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes progress on to another listener and, after each iteration, rewrites the run's {@code report.html} and its
 * TensorBoard file, so that a person can open them mid-run; the PNG plots every {@value #PLOT_EVERY} iterations and
 * after the last. A report that cannot be written is
 * logged, never allowed to stop the training.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ReportingListener implements TrainingListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportingListener.class);
    /** PNG plots are redrawn every this many iterations and after the last; the page after every iteration. */
    static final int PLOT_EVERY = 5;

    private final Path runFolder;
    private final TrainingListener next;

    public ReportingListener(Path runFolder, TrainingListener next) {
        this.runFolder = Objects.requireNonNull(runFolder, "runFolder");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void phase(String name) {
        next.phase(name);
    }

    @Override
    public void iteration(int iteration, int iterations, IterationMetrics metrics) {
        next.iteration(iteration, iterations, metrics);
        try {
            RunReport.write(runFolder, (iteration + 1) % PLOT_EVERY == 0 || iteration + 1 >= iterations);
            TensorBoardExport.write(runFolder);
        } catch (RuntimeException e) {
            LOG.warn("cannot write the report of {}: {}", runFolder, e.toString());
        }
    }

    /** Closes the listener it forwards to, when that holds something (a progress bar's terminal). */
    @Override
    public void close() {
        if (next instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("cannot close the progress of {}: {}", runFolder, e.toString());
            }
        }
    }
}
