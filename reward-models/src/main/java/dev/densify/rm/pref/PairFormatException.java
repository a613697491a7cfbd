package dev.densify.rm.pref;

import dev.densify.api.API;
import java.util.List;

/** A pairs file with bad records; the message lists every problem, each naming its pair and field. */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class PairFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private static final int SHOWN = 50;
    private final transient List<String> problems;

    public PairFormatException(String source, List<String> problems) {
        super(message(source, problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, e.g. {@code pair 'p3' (record 3): positive.outcome: missing}. */
    public List<String> problems() {
        return problems;
    }

    private static String message(String source, List<String> problems) {
        StringBuilder text = new StringBuilder(source).append(": ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems").append(" in the preference pairs");
        problems.stream().limit(SHOWN).forEach(p -> text.append("\n  ").append(p));
        if (problems.size() > SHOWN) {
            text.append("\n  ... and ").append(problems.size() - SHOWN).append(" more");
        }
        return text.append("\nexpected each record as {\"pair_id\", \"target_module\", \"task\", \"positive\": "
                + "{\"trajectory_full_context\", \"module_k_all_rounds\", \"outcome\"}, \"negative\": {...}}").toString();
    }
}
