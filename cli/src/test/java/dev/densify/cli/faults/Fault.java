package dev.densify.cli.faults;

/** What a {@link FaultyEnvironment} does wrong, and the words the trainer's log names it with. */
public enum Fault {
    RESET_THROWS("reset throws", "exception", "reset threw java.lang.IllegalStateException: planted fault"),
    STEP_THROWS("step throws", "exception", "step threw java.lang.IllegalStateException: planted fault"),
    RENDER_THROWS("render throws", "exception", "render threw java.lang.IllegalStateException: planted fault"),
    STEP_HANGS("step hangs, deaf to interrupts", "timeout", "step did not return within"),
    NAN_REWARD("step reward NaN", "nan", "step returned reward NaN"),
    INFINITE_REWARD("step reward Infinity", "nan", "step returned reward Infinity"),
    NAN_OUTCOME("outcome reward NaN", "nan", "score returned reward NaN"),
    RESET_NULL("reset returns null", "invalid_observation", "reset returned no observation"),
    STEP_NULL("step returns null", "invalid_observation", "step returned null"),
    HUGE_OBSERVATION("observation of 32 MiB", "invalid_observation", "step returned an observation of 33554432");

    private final String label;
    private final String reason;
    private final String logged;

    Fault(String label, String reason, String logged) {
        this.label = label;
        this.reason = reason;
        this.logged = logged;
    }

    /** The case's name in the suite's table. */
    public String label() {
        return label;
    }

    /** The reason the trainer must count it under ({@code failures} in metrics.jsonl). */
    public String reason() {
        return reason;
    }

    /** What the trainer's "dropped episode" line must say about it. */
    public String logged() {
        return logged;
    }
}
