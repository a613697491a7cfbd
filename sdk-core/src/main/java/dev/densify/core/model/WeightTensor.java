package dev.densify.core.model;

import dev.densify.api.API;
import java.util.Arrays;
import java.util.Objects;

/** One named tensor of a checkpoint, in row-major float32, as loaders read and savers write it. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record WeightTensor(String name, long[] shape, float[] data) {
    public WeightTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        long size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (size != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + size
                    + " values, data has " + data.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightTensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
