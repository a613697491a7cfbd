package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.reward.GroupedRewards;
import dev.densify.api.reward.Normalizer;
import java.util.List;

/** Rewards pass unchanged (as copies), for algorithms that normalise advantages themselves. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class NoneNormalizer implements Normalizer {
    @Override
    public List<double[]> normalize(List<GroupedRewards> batch) {
        return Batches.checked(batch).stream().map(e -> e.rewards().clone()).toList();
    }
}
