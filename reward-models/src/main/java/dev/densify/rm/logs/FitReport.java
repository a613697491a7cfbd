package dev.densify.rm.logs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.densify.api.API;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code densify rm logs fit} writes beside the model ({@value #FILE_NAME}): the missing values handled, the
 * split, the task and reward scales, the per-epoch curves and the overfitting warning, and the validation and test
 * metrics.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record FitReport(MissingValues.Report missing, LogModelFit.SplitSizes split, boolean classification,
                        RewardScales scales, EpochCurves curves, List<Integer> overfittingWarnings,
                        Optional<String> warning, int bestEpoch, boolean stoppedEarly, Evaluation validation,
                        Evaluation test) {
    public static final String FILE_NAME = "fit-report.json";
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
            .enable(SerializationFeature.INDENT_OUTPUT);

    public static FitReport of(MissingValues.Report missing, LogModelFit.Result fit) {
        return new FitReport(missing, fit.split(), fit.model().classification(), fit.model().scales(), fit.curves(),
                fit.curves().overfittingWarnings(), fit.curves().warning(), fit.bestEpoch(), fit.stoppedEarly(),
                fit.validation(), fit.test());
    }

    public void write(Path folder) throws IOException {
        Files.createDirectories(folder);
        JSON.writeValue(folder.resolve(FILE_NAME).toFile(), this);
    }
}
