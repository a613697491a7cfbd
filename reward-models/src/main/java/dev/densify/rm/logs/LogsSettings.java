package dev.densify.rm.logs;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.Ranges;

/**
 * The {@code logs} configuration group of {@code densify rm logs}; every key is documented in
 * {@code META-INF/densify/logs/default.yaml}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record LogsSettings(MissingValues.Policy missing, RewardScales.Method normalize, boolean perSource, Task task,
                           Target target, double gamma, Encoder encoder, Model model, Train train, Drift drift) {

    public LogsSettings {
        Ranges.requireBetween("logs.gamma", gamma, 0, 1);
    }

    /** What is predicted for a state and action. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public enum Target {
        /** The step's reward. */
        REWARD,
        /** The discounted return from the step to the end of its episode ({@link Returns}). */
        RETURN
    }

    /** What the predictor learns: the reward itself, or the probability of reward 1 for 0/1 rewards. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public enum Task {
        /** Classification when every training reward is 0 or 1, regression otherwise. */
        AUTO,
        /** Mean squared error on normalised rewards. */
        REGRESSION,
        /** Binary cross-entropy on 0/1 rewards (normalisation does not apply). */
        CLASSIFICATION
    }

    /** Which texts features come from. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public enum EncoderKind {
        /** Mean-pooled final hidden states of a Llama checkpoint (densify's own model). */
        LLAMA,
        /** Hashed words and character 3-grams; no model needed. */
        HASHING
    }

    /**
     * @param kind llama or hashing
     * @param checkpoint the Llama checkpoint (llama2.c .bin, GGUF, safetensors folder) for {@code llama}
     * @param maxTokens texts are cut to their first this many tokens ({@code llama})
     * @param batch texts per forward pass ({@code llama})
     * @param dimension the vector length of {@code hashing}
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Encoder(EncoderKind kind, String checkpoint, int maxTokens, int batch, int dimension) {
        public Encoder {
            Ranges.requirePositive("logs.encoder.max_tokens", maxTokens);
            Ranges.requirePositive("logs.encoder.batch", batch);
            Ranges.requireAtLeast("logs.encoder.dimension", dimension, 8);
        }
    }

    /** @param hidden the width of both hidden layers of the predictor */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Model(int hidden) {
        public Model {
            Ranges.requirePositive("logs.model.hidden", hidden);
        }
    }

    /**
     * @param seed the split, initialisation and shuffling derive from it
     * @param validation fraction of episodes for validation (early stopping, overfitting warning)
     * @param test fraction of episodes for the test metrics
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Train(long seed, int epochs, int batch, double lr, double weightDecay, int patience,
                        double validation, double test) {
        public Train {
            Ranges.requirePositive("logs.train.epochs", epochs);
            Ranges.requirePositive("logs.train.batch", batch);
            Ranges.requirePositive("logs.train.patience", patience);
            Ranges.requirePositiveAtMost("logs.train.lr", lr, 1);
            Ranges.requireAtLeastAndBelow("logs.train.weight_decay", weightDecay, 0, 1);
            Ranges.requireAboveAndBelow("logs.train.validation", validation, 0, 1);
            Ranges.requireAboveAndBelow("logs.train.test", test, 0, 1);
            if (validation + test >= 1) {
                throw new ConfigException("logs.train.test", test + " and logs.train.validation " + validation
                        + " leave no episodes to train on; they must sum to less than 1");
            }
        }
    }

    /** @param bins quantile bins of the training distribution per compared quantity */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Drift(int bins) {
        public Drift {
            Ranges.requireAtLeast("logs.drift.bins", bins, 2);
        }
    }
}
