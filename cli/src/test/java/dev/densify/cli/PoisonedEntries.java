package dev.densify.cli;

import dev.densify.api.env.Outcome;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.buffer.DropReason;
import dev.densify.core.buffer.TrajectoryCodec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.XAddParams;

/**
 * The poisoned-input cases of issue 14 that a hostile writer can put into a run's stream, written straight into
 * Redis past the buffer: stamped with the learner's published fingerprint (all but the one without), so that the
 * learner's validation, not the fingerprint check, must catch them. PoisonedTrajectoryIT covers every case through
 * the learner side; the process tests write these eight into a running learner's stream.
 */
public final class PoisonedEntries {
    private PoisonedEntries() {}

    /**
     * Writes the eight entries into {@code <namespace>:trajectories}.
     *
     * @param fingerprint the digest of the learner's published run fingerprint
     * @return each entry's case, in the order written, with the drop reason it must be counted under
     */
    public static Map<String, String> write(Jedis admin, String namespace, String fingerprint) {
        String fp = fingerprint;
        String stream = namespace + ":trajectories";
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("token id -1", DropReason.INVALID_TOKENS);
        xadd(admin, stream, "trajectory", poison("p-neg", new int[] {1, -1}, 0.0, 0), "fingerprint", fp);
        expected.put("token id 5000000", DropReason.INVALID_TOKENS);
        xadd(admin, stream, "trajectory", poison("p-big", new int[] {1, 5_000_000}, 0.0, 0), "fingerprint", fp);
        expected.put("NaN reward", DropReason.NON_FINITE);
        xadd(admin, stream, "trajectory", poison("p-nan", new int[] {1, 2}, Double.NaN, 0), "fingerprint", fp);
        expected.put("Infinity reward", DropReason.NON_FINITE);
        xadd(admin, stream, "trajectory", poison("p-inf", new int[] {1, 2}, Double.POSITIVE_INFINITY, 0),
                "fingerprint", fp);
        expected.put("future policy version", DropReason.FUTURE_POLICY);
        xadd(admin, stream, "trajectory", poison("p-future", new int[] {1, 2}, 0.0, 1_000_000), "fingerprint", fp);
        expected.put("no trajectory field", DropReason.MALFORMED);
        xadd(admin, stream, "something", "else", "fingerprint", fp);
        expected.put("no fingerprint", DropReason.FOREIGN_FINGERPRINT);
        xadd(admin, stream, "trajectory", poison("p-nofp", new int[] {1, 2}, 0.0, 0));
        expected.put("not JSON", DropReason.UNDECODABLE);
        xadd(admin, stream, "trajectory", "{garbage", "fingerprint", fp);
        return expected;
    }

    /** An encoded trajectory of a task the learner trains on: refused for its one planted defect, not its task. */
    private static String poison(String id, int[] prompt, double reward, long version) {
        Trajectory t = new Trajectory(id, "train-000", "poison-" + id, 1, version, List.of(new Step("o", "s", "r",
                prompt, "a", new int[] {3}, new float[] {-0.1f}, reward, true, Map.of())), "f", "fs",
                new Outcome(1, true), true);
        return new String(TrajectoryCodec.encode(t), StandardCharsets.UTF_8);
    }

    private static void xadd(Jedis admin, String stream, String... pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(pairs[i], pairs[i + 1]);
        }
        admin.xadd(stream, XAddParams.xAddParams(), fields);
    }
}
