package dev.densify.env.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.densify.api.env.TaskSet;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What the kit ({@link ProcessEnvironmentContractTest}) does not check: the Python files users extract from the jar,
 * and the example's task set.
 */
class ShippedExampleTest {

    /** The jar carries the server library and the example, byte for byte the files of the source tree. */
    @Test
    void shipsThePythonServerAndExampleForUsersToExtract() throws Exception {
        for (String file : new String[] {"densify_env.py", "line_walk.py"}) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/densify/process/" + file)) {
                assertNotNull(in, file + " is not in the jar");
                assertEquals(Files.readString(Path.of("python", file)), new String(in.readAllBytes(),
                        StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void theExampleOffersFifteenTrainingAndFourHeldOutTasks() {
        TaskSet tasks = new ProcessProvider().tasks(Servers.example());
        assertEquals(15, tasks.train().size());
        assertEquals(4, tasks.heldOut().size());
    }
}
