package dev.densify.rm.logs;

import dev.densify.api.API;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Records split into train, validation and test by episode: all records of an episode (same source and episode
 * id) land on the same side, so a model is never tested on an episode it saw steps of. The episodes are shuffled
 * with the seed and cut by the fractions (at least one episode in each part).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record EpisodeSplit(List<LogRecord> train, List<LogRecord> validation, List<LogRecord> test) {
    public EpisodeSplit {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
    }

    /**
     * @param validationFraction of the episodes, in (0, 1)
     * @param testFraction of the episodes, in (0, 1); both together below 1
     */
    public static EpisodeSplit of(List<LogRecord> records, double validationFraction, double testFraction, long seed) {
        Objects.requireNonNull(records, "records");
        if (!(validationFraction > 0 && testFraction > 0 && validationFraction + testFraction < 1)) {
            throw new IllegalArgumentException("the validation and test fractions must be positive and sum to less "
                    + "than 1, got " + validationFraction + " and " + testFraction);
        }
        Map<String, List<LogRecord>> episodes = new LinkedHashMap<>();
        records.forEach(r -> episodes.computeIfAbsent(r.episodeKey(), k -> new ArrayList<>()).add(r));
        if (episodes.size() < 3) {
            throw new IllegalArgumentException("a split by episode needs at least 3 episodes, the logs have "
                    + episodes.size() + (records.isEmpty() ? " (no records)" : "")
                    + "; log an episode_id per record, or leave it out so that every record is its own episode");
        }
        List<String> keys = new ArrayList<>(episodes.keySet());
        Collections.sort(keys); // file order must not matter, only the seed
        Collections.shuffle(keys, new Random(seed));
        int n = keys.size();
        int test = Math.max(1, (int) Math.round(n * testFraction));
        int validation = Math.max(1, (int) Math.round(n * validationFraction));
        if (test + validation >= n) {
            test = 1;
            validation = 1;
        }
        List<LogRecord> a = new ArrayList<>();
        List<LogRecord> b = new ArrayList<>();
        List<LogRecord> c = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<LogRecord> episode = episodes.get(keys.get(i));
            (i < test ? c : i < test + validation ? b : a).addAll(episode);
        }
        return new EpisodeSplit(a, b, c);
    }
}
