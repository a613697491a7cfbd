package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.buffer.DropReason;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a trajectory that crossed a process boundary (read from the Redis stream) before the learner trains on
 * it. The codec accepts any well-formed record, and a worker may be buggy, differently configured or hostile; what
 * would crash the update (a token id outside the vocabulary, a NaN reward) or silently bias it (a held-out task, a
 * group larger than configured) is refused here with a {@link DropReason} name and a detail naming the value.
 *
 * <p>Not thread-safe: it remembers the members of recent groups to enforce the group size.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class TrajectoryValidator {

    /**
     * The step limit when {@code trainer.max_steps} is 0 (the environment's own budget): well above any budget an
     * environment of ours sets, well below what would exhaust the learner's memory.
     */
    public static final int UNBOUNDED_MAX_STEPS = 10_000;
    private static final int REMEMBERED_GROUPS = 10_000;

    private final int vocabSize;
    private final int maxSeqLen;
    private final int maxSteps;
    private final Optional<Set<String>> taskIds;
    private final int groupSize;
    private final LinkedHashMap<String, Set<String>> groups = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > REMEMBERED_GROUPS;
        }
    };

    /** A reason ({@link DropReason} name) and what exactly was wrong. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Violation(String reason, String detail) {
        public Violation {
            DropReason.require(reason);
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * @param vocabSize token ids must lie in {@code [0, vocabSize)}
     * @param maxSeqLen a step's prompt plus action tokens must fit the learner's context
     * @param maxSteps {@code trainer.max_steps}; 0 means {@link #UNBOUNDED_MAX_STEPS}
     * @param taskIds the learner's training task ids; empty to accept any task id (the caller could not say)
     * @param groupSize {@code trainer.group_size}: a group never has more members
     */
    public TrajectoryValidator(int vocabSize, int maxSeqLen, int maxSteps, Optional<Set<String>> taskIds,
                               int groupSize) {
        if (vocabSize < 1 || maxSeqLen < 1 || maxSteps < 0 || groupSize < 1) {
            throw new IllegalArgumentException("vocabSize, maxSeqLen and groupSize must be positive and maxSteps 0 or"
                    + " more, got " + vocabSize + ", " + maxSeqLen + ", " + groupSize + ", " + maxSteps);
        }
        this.vocabSize = vocabSize;
        this.maxSeqLen = maxSeqLen;
        this.maxSteps = maxSteps == 0 ? UNBOUNDED_MAX_STEPS : maxSteps;
        this.taskIds = Objects.requireNonNull(taskIds, "taskIds").map(Set::copyOf);
        this.groupSize = groupSize;
    }

    /**
     * The first thing wrong with {@code t}, or empty when the learner may train on it; a valid trajectory counts
     * towards its group's size from then on (again delivered copies do not count twice).
     *
     * @param newestVersion the newest policy version the learner has published: a later one cannot have acted
     */
    public Optional<Violation> check(Trajectory t, long newestVersion) {
        Objects.requireNonNull(t, "t");
        Optional<Violation> v = content(t, newestVersion);
        if (v.isPresent()) {
            return v;
        }
        Set<String> members = groups.get(t.groupId());
        if (members != null && !members.contains(t.id()) && members.size() >= groupSize) {
            return violation(DropReason.GROUP_SIZE, "group '" + t.groupId() + "' already has " + members.size()
                    + " trajectories; trainer.group_size is " + groupSize);
        }
        groups.computeIfAbsent(t.groupId(), g -> new HashSet<>()).add(t.id());
        return Optional.empty();
    }

    private Optional<Violation> content(Trajectory t, long newestVersion) {
        if (t.policyVersion() < 0 || t.policyVersion() > newestVersion) {
            return violation(DropReason.FUTURE_POLICY, "policy version " + t.policyVersion()
                    + " is not one the learner published; allowed: 0 to " + newestVersion);
        }
        if (taskIds.isPresent() && !taskIds.get().contains(t.taskId())) {
            return violation(DropReason.UNKNOWN_TASK, "task '" + t.taskId()
                    + "' is not one of the learner's " + taskIds.get().size() + " training tasks");
        }
        if (t.length() > maxSteps) {
            return violation(DropReason.TOO_MANY_STEPS, t.length() + " steps, more than the limit of " + maxSteps
                    + " (trainer.max_steps" + (maxSteps == UNBOUNDED_MAX_STEPS ? " is 0, so the built-in limit)" : ")"));
        }
        if (!Double.isFinite(t.outcome().reward())) {
            return violation(DropReason.NON_FINITE, "outcome reward is " + t.outcome().reward()
                    + "; allowed: finite numbers");
        }
        for (int i = 0; i < t.length(); i++) {
            Step s = t.steps().get(i);
            if (!Double.isFinite(s.reward())) {
                return violation(DropReason.NON_FINITE, "step " + i + " reward is " + s.reward()
                        + "; allowed: finite numbers");
            }
            for (float lp : s.actionLogProbs()) {
                if (!Float.isFinite(lp)) {
                    return violation(DropReason.NON_FINITE, "step " + i + " holds action log-probability " + lp
                            + "; allowed: finite numbers");
                }
            }
            Optional<Violation> tokens = tokens(i, "prompt", s.promptTokenIds());
            if (tokens.isEmpty()) {
                tokens = tokens(i, "action", s.actionTokenIds());
            }
            if (tokens.isPresent()) {
                return tokens;
            }
            if (s.promptTokenIds().length == 0) {
                return violation(DropReason.INVALID_TOKENS, "step " + i + " has an empty prompt; it needs at"
                        + " least one token (BOS)");
            }
            long length = (long) s.promptTokenIds().length + s.actionTokenIds().length;
            if (length > maxSeqLen) {
                return violation(DropReason.INVALID_TOKENS, "step " + i + " has " + length
                        + " prompt and action tokens, more than the policy's context of " + maxSeqLen);
            }
        }
        return Optional.empty();
    }

    private Optional<Violation> tokens(int step, String what, int[] ids) {
        for (int id : ids) {
            if (id < 0 || id >= vocabSize) {
                return violation(DropReason.INVALID_TOKENS, "step " + step + " " + what + " holds token id " + id
                        + " outside the vocabulary [0, " + vocabSize + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * What the learner knows before its policy exists (the step limit, the task ids); {@link #complete} adds the
     * policy's vocabulary and context once it does.
     */
    @API(status = API.Status.INTERNAL, since = "0.1")
    public record Partial(int maxSteps, Optional<Set<String>> taskIds) {
        public Partial {
            Objects.requireNonNull(taskIds, "taskIds");
        }

        public TrajectoryValidator complete(int vocabSize, int maxSeqLen, int groupSize) {
            return new TrajectoryValidator(vocabSize, maxSeqLen, maxSteps, taskIds, groupSize);
        }
    }

    private static Optional<Violation> violation(String reason, String detail) {
        return Optional.of(new Violation(reason, detail));
    }
}
