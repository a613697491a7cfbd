package dev.densify.env.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.env.Demonstrable;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import dev.densify.testkit.PluginContractTest;
import dev.densify.testkit.PluginDefaults;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Loads the plugin the way the engine does, and plays the shipped example to success by its demonstration. */
class ProcessPluginSmokeTest {

    @Test
    void isFoundByServiceLoader() {
        PluginContractTest.assertServiceLoaderFindsExactly(EnvironmentProvider.class, "process");
    }

    @Test
    void shipsEveryConfigurationKeyWithItsDefaultValue() {
        PluginDefaults.assertMatchDefaults("env", "process", ProcessConfig.class);
    }

    /** The jar carries the server library and the example, byte for byte the files of the source tree. */
    @Test
    void shipsThePythonServerAndExampleForUsersToExtract() throws Exception {
        for (String file : new String[] {"densify_env.py", "line_walk.py"}) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/densify/process/" + file)) {
                assertNotNull(in, file + " is not in the jar");
                assertEquals(Files.readString(Path.of("python", file)), new String(in.readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void playsEveryTaskToSuccessByItsDemonstration() {
        ProcessProvider provider = new ProcessProvider();
        TaskSet tasks = provider.tasks(Servers.example());
        assertEquals(15, tasks.train().size());
        assertEquals(4, tasks.heldOut().size());
        try (Environment env = provider.create(Servers.example())) {
            for (Task task : tasks.heldOut()) {
                env.reset(task, 1L);
                StepResult last = null;
                for (String action : ((Demonstrable) env).demonstrate().orElseThrow()) {
                    last = env.step(action);
                }
                assertTrue(last != null && last.done() && env.score().success(), env::render);
                assertEquals("1.0", last.info().get("signal.progress"));
            }
        }
    }
}
