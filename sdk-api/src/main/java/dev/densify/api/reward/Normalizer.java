package dev.densify.api.reward;

import dev.densify.api.API;
import dev.densify.api.plugin.Stateful;
import java.util.List;

/**
 * Transforms a batch of per-step rewards, episodes grouped by {@link GroupedRewards#groupId()}, to keep
 * synthesized rewards in a range the policy cannot exploit. May keep running state, saved with checkpoints
 * (a stateless normaliser saves an empty state).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface Normalizer extends Stateful {
    /** New reward arrays, one per episode and in order; the inputs are not modified. */
    List<double[]> normalize(List<GroupedRewards> batch);

    @Override
    default byte[] saveState() {
        return new byte[0];
    }

    @Override
    default void restoreState(byte[] state) {}
}
