package dev.densify.reward.critic.tabular;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Keys of the {@code tabular} critic.
 *
 * @param mode {@code refit}: each fit replaces the table with averages of its training samples;
 *     {@code accumulate}: each fit adds its samples, so the table holds averages over every fit so far
 * @param unseen what a state missing from the table predicts: {@code mean}, the mean of all targets in the table
 *     (the best constant guess, and {@code unseenValue} before any fit), or {@code constant}, always
 *     {@code unseenValue}
 * @param unseenValue the prediction for unseen states under {@code constant}, and under {@code mean} before any fit
 * @param prior how many returns equal to what an unseen state predicts every state's average starts with: a state
 *     seen n times predicts (its returns' sum + prior * unseen) / (n + prior), so that a state seen once is not
 *     valued at its one 0 or 1; 0 is the plain average. With a backoff it applies to the coarser keys' averages.
 * @param backoff a regular expression whose matches, deleted from a state's key, give the coarser key the state
 *     backs off to (states that differ only there, such as in a step counter, share their evidence); empty: none
 * @param backoffPrior how many returns equal to the coarser key's value a key's average starts with: a state seen
 *     n times predicts (its returns' sum + backoffPrior * coarser value) / (n + backoffPrior), and an unseen one
 *     the coarser value itself
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record TabularCriticConfig(Mode mode, Unseen unseen, double unseenValue, double prior, String backoff,
                                  double backoffPrior) {
    public TabularCriticConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(unseen, "unseen");
        Ranges.requireFinite("unseen_value", unseenValue);
        Ranges.requireBetween("prior", prior, 0, 1e6);
        Objects.requireNonNull(backoff, "backoff");
        try {
            Pattern.compile(backoff);
        } catch (PatternSyntaxException e) {
            throw new ConfigException("backoff", "'" + backoff + "' is not a Java regular expression: "
                    + e.getDescription());
        }
        Ranges.requireBetween("backoff_prior", backoffPrior, 0, 1e6);
    }

    /** The plain averages of before the prior existed. */
    public TabularCriticConfig(Mode mode, Unseen unseen, double unseenValue) {
        this(mode, unseen, unseenValue, 0);
    }

    /** One table of keys as they are, as before the backoff existed. */
    public TabularCriticConfig(Mode mode, Unseen unseen, double unseenValue, double prior) {
        this(mode, unseen, unseenValue, prior, "", 0);
    }

    public static TabularCriticConfig defaults() {
        return PluginConfig.defaultsOf(TabularCriticConfig.class, "critic", "tabular");
    }

    /** How fits combine; configured as {@code refit} or {@code accumulate}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public enum Mode {
        REFIT,
        ACCUMULATE
    }

    /** What unseen states predict; configured as {@code mean} or {@code constant}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public enum Unseen {
        MEAN,
        CONSTANT
    }
}
