package dev.densify.rm;

import dev.densify.api.env.Outcome;
import dev.densify.api.env.Signals;
import dev.densify.api.reward.ShapingInput;
import dev.densify.api.trajectory.Step;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Episodes as learned shapers see them, built the way the collector builds them: each step's prompt and action are
 * token ids of the real tokenizer (the prompt ends in "action: ", the action follows it), its info carries
 * {@link Signals}.
 */
public final class ShaperEpisodes {
    private ShaperEpisodes() {}

    /** One step's texts and signals. */
    public record Turn(String observation, String action, boolean invalidAction) {}

    public static Step step(Tokenizer tokenizer, Turn turn, boolean done) {
        int[] prompt = tokenizer.encode("observation: " + turn.observation() + "\naction: ", true);
        int[] action = tokenizer.encode(turn.action(), false);
        Map<String, String> info = Signals.of(0.0, turn.invalidAction(), false);
        return new Step(turn.observation(), turn.observation(), turn.observation(), prompt, turn.action(), action,
                new float[action.length], 0.0, done, info);
    }

    /** An episode of these turns with this outcome reward (a success when it is positive); values all 0. */
    public static ShapingInput episode(Tokenizer tokenizer, List<Turn> turns, double outcome) {
        List<Step> steps = new ArrayList<>();
        for (int t = 0; t < turns.size(); t++) {
            steps.add(step(tokenizer, turns.get(t), t == turns.size() - 1));
        }
        return new ShapingInput(new double[turns.size()], new Outcome(outcome, outcome > 0),
                new double[turns.size() + 1], true, steps);
    }
}
