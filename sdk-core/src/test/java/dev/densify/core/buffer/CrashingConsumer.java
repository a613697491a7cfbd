package dev.densify.core.buffer;

import dev.densify.api.buffer.Delivery;
import dev.densify.core.redis.RedisSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A learner process for {@link ConsumerCrashIT}: takes {@code take} trajectories, acknowledges the first
 * {@code ack} of them, writes "delivered" and "acknowledged" id lists to a file, then waits to be killed.
 * Arguments: redis URL, namespace, take, ack, report file.
 */
public final class CrashingConsumer {

    private CrashingConsumer() {}

    public static void main(String[] args) throws Exception {
        int take = Integer.parseInt(args[2]);
        int ack = Integer.parseInt(args[3]);
        var buffer = RedisTrajectoryBuffer.open(RedisSettings.parse(args[0]), RedisBufferConfig.defaults(args[1]));
        List<Delivery> taken = new ArrayList<>();
        while (taken.size() < take) {
            taken.addAll(buffer.take(take - taken.size(), Duration.ofSeconds(5)));
        }
        buffer.acknowledge(taken.subList(0, ack));
        String delivered = String.join(",", InMemoryTrajectoryBufferTest.ids(taken));
        String acknowledged = String.join(",", InMemoryTrajectoryBufferTest.ids(taken.subList(0, ack)));
        Path report = Path.of(args[4]);
        Path temp = Files.writeString(Path.of(args[4] + ".tmp"), delivered + "\n" + acknowledged + "\n");
        Files.move(temp, report, StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(Long.MAX_VALUE); // mid-iteration: training on the rest when the kill comes
    }
}
