package dev.densify.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.TaskSet;
import dev.densify.cli.LoopbackRedis;
import dev.densify.core.buffer.RedisTrajectoryBuffer;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.config.ConfigComposer;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.plugin.PluginKind;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.redis.RedisConnection;
import dev.densify.core.redis.RedisSettings;
import dev.densify.core.train.BatchSource;
import dev.densify.core.train.LanguagePolicy;
import dev.densify.core.train.PolicySettings;
import dev.densify.core.train.RemoteCollection;
import dev.densify.core.buffer.RemoteSettings;
import dev.densify.core.train.RunFingerprint;
import dev.densify.core.train.TrainerSettings;
import dev.densify.core.train.TrainingRun;
import dev.densify.core.train.Worker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 2: a worker configured differently from the learner (another maze size and group size) is refused
 * at start, naming the keys that differ, and appends nothing; a worker with the learner's configuration is admitted
 * and its trajectories are trained. Real plugins (gridworld), a real micro policy and a real redis-server; learner
 * and worker run in this JVM so that the learner can be built with its task set and configuration.
 */
class WorkerFingerprintIT {
    private static LoopbackRedis redis;
    private static int port;
    private static PluginRegistry registry;
    private static ConfigComposer composer;
    private static ExecutorService executor;

    @BeforeAll
    static void start() throws IOException {
        redis = LoopbackRedis.start();
        port = redis.port();
        registry = PluginRegistry.discover(WorkerFingerprintIT.class.getClassLoader());
        composer = new ConfigComposer(registry);
        executor = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() throws IOException {
        executor.shutdownNow();
        redis.close();
    }

    private static ComposedConfig config(String namespace, String... overrides) {
        List<String> all = new ArrayList<>(List.of("buffer=redis", "buffer.url=redis://127.0.0.1:" + port,
                "buffer.namespace=" + namespace, "policy.preset=micro", "policy.max_action_tokens=6",
                "trainer.max_steps=3", "trainer.parallelism=1", "env.train_tasks=4"));
        all.addAll(List.of(overrides));
        return composer.compose(ConfigRequest.of(all));
    }

    @Test
    @DisplayName("a worker started before the learner waits for its fingerprint and feeds it; one with another maze"
            + " size and group size is refused naming both keys")
    void mismatchedWorkerIsRefused() throws Exception {
        String namespace = "fp:" + UUID.randomUUID();
        ComposedConfig learnerConfig = config(namespace, "env.size=5", "trainer.group_size=4",
                "trainer.episodes_per_iteration=4");
        EnvironmentProvider env = registry.provider(PluginKind.ENV, "gridworld");
        TaskSet tasks = env.tasks(learnerConfig.group("env"));
        RemoteSettings remote = learnerConfig.group("buffer").bind(RemoteSettings.class);
        TrainerSettings trainer = learnerConfig.group("trainer").bind(TrainerSettings.class);
        PolicySettings policySettings = learnerConfig.group("policy").bind(PolicySettings.class);
        ComposedConfig same = config(namespace, "env.size=5", "trainer.group_size=4",
                "trainer.episodes_per_iteration=4", "buffer.worker_max_episodes=4");
        try (LlamaModel model = TrainingRun.policy(policySettings, 1);
             Worker early = Worker.open(same, registry, "w-same");
             RemoteCollection learner = new RemoteCollection(remote, trainer, tasks,
                     RunFingerprint.of(learnerConfig, tasks))) {
            // the matching worker starts first: nothing is published yet, it waits
            Future<Worker.Summary> admitted = executor.submit(early::run);
            Thread.sleep(1000);
            LanguagePolicy policy = new LanguagePolicy(model, policySettings.sampling(), 8);
            Future<BatchSource.Batch> batch = executor.submit(() -> learner.next(0, policy, 1));
            assertEquals(4, admitted.get(120, TimeUnit.SECONDS).episodes());

            ComposedConfig other = config(namespace, "env.size=7", "trainer.group_size=2",
                    "trainer.episodes_per_iteration=4", "buffer.worker_max_episodes=4");
            IllegalArgumentException refused;
            try (Worker worker = Worker.open(other, registry, "w-other")) {
                refused = assertThrows(IllegalArgumentException.class, worker::run);
            }
            assertTrue(refused.getMessage().startsWith("worker w-other refused: its configuration differs from the"
                    + " learner's"), refused.getMessage());
            assertTrue(refused.getMessage().contains("env.size (learner 5, worker 7)"), refused.getMessage());
            assertTrue(refused.getMessage().contains("trainer.group_size (learner 4, worker 2)"),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("tasks.train"), "other maze size, other tasks: "
                    + refused.getMessage());
            assertEquals(4, appended(remote), "the refused worker appended nothing, the admitted one its 4");
            BatchSource.Batch got = batch.get(120, TimeUnit.SECONDS);
            assertEquals(4, got.deliveries().size());
            assertTrue(got.deliveries().stream().allMatch(d -> d.trajectory().groupId().startsWith("w-same/")));
            assertEquals(List.of("w-same"), got.metrics().get("trajectory_workers"));
        }
    }

    private static long appended(RemoteSettings remote) {
        try (RedisConnection c = RedisConnection.open(RedisSettings.parse(remote.url()), "densify-test");
             RedisTrajectoryBuffer b = new RedisTrajectoryBuffer(c, remote.bufferConfig("status"))) {
            return b.status().appended();
        }
    }
}
