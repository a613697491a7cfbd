package dev.densify.reward.critic.neural;

import dev.densify.api.critic.CriticSample;
import dev.densify.api.critic.CriticState;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mean return of every state key a fit trained on, blended into the head's value by how often the key was seen:
 * V = (n * mean + prior * head) / (n + prior), so a state seen often is valued by what followed it, an unseen one by
 * the head alone (the posterior mean of a normal prior centred on the head worth {@code prior} returns). Keyed by
 * observation (trainer.critic_key=observation) this is what a policy that sees only its observation can expect, which
 * a head fitted with early stopping on held-out tasks smooths away.
 */
final class StateMemory {
    private final double prior;
    private final Map<String, double[]> sums = new HashMap<>();

    StateMemory(double prior) {
        this.prior = prior;
    }

    /** Replaces what is remembered with the mean return of each key among {@code samples}. */
    void refit(List<CriticSample> samples) {
        sums.clear();
        for (CriticSample sample : samples) {
            double[] sumCount = sums.computeIfAbsent(sample.state().stateKey(), k -> new double[2]);
            sumCount[0] += sample.target();
            sumCount[1]++;
        }
    }

    /** Blends the head's {@code values} of {@code states} in place. */
    void blend(List<CriticState> states, double[] values) {
        for (int i = 0; i < values.length; i++) {
            double[] sumCount = sums.get(states.get(i).stateKey());
            if (sumCount != null) {
                values[i] = (sumCount[0] + prior * values[i]) / (sumCount[1] + prior);
            }
        }
    }

    /** Sorted by key, so that equal memories save to equal bytes. */
    void write(DataOutputStream out) throws IOException {
        out.writeInt(sums.size());
        for (Map.Entry<String, double[]> e : new TreeMap<>(sums).entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
            out.writeInt(key.length);
            out.write(key);
            out.writeDouble(e.getValue()[0]);
            out.writeDouble(e.getValue()[1]);
        }
    }

    void read(DataInputStream in) throws IOException {
        sums.clear();
        int size = in.readInt();
        for (int i = 0; i < size; i++) {
            byte[] key = new byte[in.readInt()];
            in.readFully(key);
            sums.put(new String(key, StandardCharsets.UTF_8), new double[] {in.readDouble(), in.readDouble()});
        }
    }
}
