package dev.densify.reward.critic.tabular;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;
import java.util.Objects;

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
 *     valued at its one 0 or 1; 0 is the plain average
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record TabularCriticConfig(Mode mode, Unseen unseen, double unseenValue, double prior) {
    public TabularCriticConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(unseen, "unseen");
        Ranges.requireFinite("unseen_value", unseenValue);
        Ranges.requireBetween("prior", prior, 0, 1e6);
    }

    /** The plain averages of before the prior existed. */
    public TabularCriticConfig(Mode mode, Unseen unseen, double unseenValue) {
        this(mode, unseen, unseenValue, 0);
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
