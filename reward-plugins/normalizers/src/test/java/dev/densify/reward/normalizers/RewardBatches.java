package dev.densify.reward.normalizers;

import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.reward.GroupedRewards;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Generators of reward batches and the statistics the properties are stated in. */
final class RewardBatches {
    private RewardBatches() {}

    static Gen<double[]> rewards(int minLength, int maxLength) {
        return integers().between(minLength, maxLength)
                .flatMap(n -> lists().of(doubles().between(-10, 10)).ofSize(n))
                .map(xs -> xs.stream().mapToDouble(Double::doubleValue).toArray())
                .describedAs(Arrays::toString);
    }

    static Gen<GroupedRewards> episodes(int minLength, int maxLength) {
        return Generate.pick(List.of("task-a", "task-b", "task-c"))
                .zip(rewards(minLength, maxLength), GroupedRewards::new)
                .describedAs(e -> e.groupId() + Arrays.toString(e.rewards()));
    }

    static Gen<List<GroupedRewards>> batches(int minLength, int maxLength) {
        return lists().of(episodes(minLength, maxLength)).ofSizeBetween(0, 16)
                .describedAs(b -> b.stream().map(e -> e.groupId() + Arrays.toString(e.rewards()))
                        .collect(Collectors.joining(", ", "[", "]")));
    }

    /** Output arrays by the group of the input episode at the same position. */
    static Map<String, List<double[]>> outputsByGroup(List<GroupedRewards> batch, List<double[]> out) {
        Map<String, List<double[]>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            groups.computeIfAbsent(batch.get(i).groupId(), g -> new ArrayList<>()).add(out.get(i));
        }
        return groups;
    }

    static double mean(double[] xs) {
        return Arrays.stream(xs).average().orElse(Double.NaN);
    }

    static double std(double[] xs) {
        double mean = mean(xs);
        return Math.sqrt(Arrays.stream(xs).map(x -> (x - mean) * (x - mean)).average().orElse(Double.NaN));
    }

    static double[] pooled(List<double[]> episodes) {
        return episodes.stream().flatMapToDouble(Arrays::stream).toArray();
    }
}
