package dev.densify.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChildTrainingTest {

    @Test
    void aChildKeepsTheEngineAndHeapOptionsAndNothingElse() {
        assertEquals(List.of("-Dai.djl.offline=true", "-Xmx2g", "--enable-native-access=ALL-UNNAMED",
                        "-Dai.djl.pytorch.num_threads=1"),
                ChildTraining.jvmOptions(List.of("-Dai.djl.offline=true", "-javaagent:x.jar", "-Xmx2g",
                        "--enable-native-access=ALL-UNNAMED")));
    }

    @Test
    void aChildRunsOnOneEngineThreadUnlessTheUserChoseACount() {
        assertEquals(List.of("-Dai.djl.pytorch.num_threads=2"),
                ChildTraining.jvmOptions(List.of("-Dai.djl.pytorch.num_threads=2")));
        assertEquals(List.of("-Dai.djl.pytorch.num_threads=1"), ChildTraining.jvmOptions(List.of()));
    }
}
