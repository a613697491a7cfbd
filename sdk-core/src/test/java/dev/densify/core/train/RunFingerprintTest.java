package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.model.LlamaModel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RunFingerprintTest {

    private static RunFingerprint of(Map<String, String> entries) {
        return new RunFingerprint(new TreeMap<>(entries));
    }

    @Test
    @DisplayName("differences name each learner key the worker does not share, with both values")
    void differencesNameKeys() {
        RunFingerprint learner = of(Map.of("env", "gridworld", "env.size", "5", "trainer.group_size", "4"));
        RunFingerprint worker = of(Map.of("env", "gridworld", "env.size", "7", "trainer.group_size", "2",
                "env.extra", "x"));
        assertEquals(List.of("env.size (learner 5, worker 7)", "trainer.group_size (learner 4, worker 2)"),
                worker.differencesFrom(learner));
        assertEquals(List.of("env.size (learner 5, worker not set)"),
                of(Map.of("env", "gridworld", "trainer.group_size", "4")).differencesFrom(of(Map.of("env",
                        "gridworld", "env.size", "5", "trainer.group_size", "4"))));
        assertEquals(List.of(), learner.differencesFrom(learner));
    }

    @Test
    @DisplayName("the digest over the learner's keys is the learner's digest exactly when the values match")
    void digestOverLearnerKeys() {
        RunFingerprint learner = of(Map.of("env", "gridworld", "trainer.group_size", "4"));
        RunFingerprint worker = of(Map.of("env", "gridworld", "trainer.group_size", "4", "env.size", "5"));
        assertEquals(learner.digest(), worker.restrictedTo(learner.entries().keySet()).digest());
        assertNotEquals(learner.digest(), of(Map.of("env", "gridworld", "trainer.group_size", "2"))
                .restrictedTo(learner.entries().keySet()).digest());
        assertTrue(learner.digest().matches("[0-9a-f]{64}"));
    }

    @Test
    @DisplayName("JSON round trip; anything else is refused naming its source")
    void json() {
        RunFingerprint f = of(Map.of("env", "gridworld", "env.size", "5"));
        assertEquals(f, RunFingerprint.fromJson(f.toJson(), "k"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunFingerprint.fromJson("[1, 2]", "densify:run:fingerprint"));
        assertEquals("densify:run:fingerprint is not a run fingerprint (a JSON object of strings)", e.getMessage());
    }

    @Test
    @DisplayName("the policy part tells apart architectures and keeps equal models equal")
    void policyPart() {
        PolicySettings micro = new PolicySettings("micro", "", 1.0, 0, 1.0, 8);
        PolicySettings tiny = new PolicySettings("tiny", "", 1.0, 0, 1.0, 8);
        try (LlamaModel a = TrainingRun.policy(micro, 1); LlamaModel b = TrainingRun.policy(micro, 2);
             LlamaModel c = TrainingRun.policy(tiny, 1)) {
            RunFingerprint base = RunFingerprint.base(4);
            assertEquals(base.withPolicy(a), base.withPolicy(b), "weights are not part of it, shapes are");
            assertEquals(List.of("policy.architecture"), base.withPolicy(c).differencesFrom(base.withPolicy(a))
                    .stream().map(d -> d.substring(0, d.indexOf(' '))).toList());
            assertTrue(base.withPolicy(a).entries().keySet().containsAll(Set.of("policy.tokenizer", "prompt",
                    "trainer.group_size")));
        }
    }
}
