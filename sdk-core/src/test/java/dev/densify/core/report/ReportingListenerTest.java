package dev.densify.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.train.IterationMetrics;
import dev.densify.core.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportingListenerTest {
    @Test
    void passesProgressOnAndRewritesThePageEveryIterationAndThePlotsNowAndThen(@TempDir Path dir) throws Exception {
        RunReportTest.runFolder(dir);
        List<String> heard = new ArrayList<>();
        TrainingListener next = new TrainingListener() {
            @Override
            public void phase(String name) {
                heard.add(name);
            }

            @Override
            public void iteration(int iteration, int iterations, IterationMetrics metrics) {
                heard.add("iteration " + iteration);
            }
        };
        ReportingListener listener = new ReportingListener(dir, next);
        listener.phase("iteration 1/7");
        listener.iteration(0, 7, IterationMetrics.fromMap(Map.of()));
        assertEquals(List.of("iteration 1/7", "iteration 0"), heard);
        assertTrue(Files.isRegularFile(dir.resolve(RunReport.FILE_NAME)));
        assertTrue(Files.isRegularFile(dir.resolve("tensorboard").resolve(TensorBoardExport.FILE_NAME)));
        assertFalse(Files.exists(dir.resolve("plots")), "no plots after the first of 7 iterations");
        listener.iteration(ReportingListener.PLOT_EVERY - 1, 7, IterationMetrics.fromMap(Map.of()));
        assertTrue(Files.isRegularFile(dir.resolve("plots/success.png")));
    }

    @Test
    void aReportThatCannotBeWrittenDoesNotStopTraining(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        new ReportingListener(notAFolder, TrainingListener.NONE).iteration(0, 1, IterationMetrics.fromMap(Map.of()));
    }
}
