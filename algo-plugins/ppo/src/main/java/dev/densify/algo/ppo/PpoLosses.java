package dev.densify.algo.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.densify.api.API;
import dev.densify.api.algo.Tensors;
import java.util.Objects;

/**
 * PPO's value loss on DJL arrays; its policy loss is the shared {@link dev.densify.api.algo.ClippedSurrogate}.
 * New arrays belong to the manager of the first argument's arrays; the caller closes that manager.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class PpoLosses {

    private PpoLosses() {}

    /**
     * PPO's clipped value loss, averaged over all elements:
     * mean(0.5 * max((V - R)^2, (clip(V, V_old - clipRange, V_old + clipRange) - R)^2)). The clipped branch
     * stops a value head from moving further than {@code clipRange} from the values it predicted when the
     * data was collected, unless that move also reduces the error.
     *
     * @param values V from the value head being trained (carries gradients)
     * @param oldValues V_old, the values recorded with the data
     * @param returns R, the value targets (e.g. {@link dev.densify.api.algo.StepAdvantages#returns()})
     * @param clipRange eps_v, non-negative
     */
    public static NDArray clippedValueLoss(NDArray values, NDArray oldValues, NDArray returns, double clipRange) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(oldValues, "oldValues");
        Objects.requireNonNull(returns, "returns");
        if (!(clipRange >= 0)) {
            throw new IllegalArgumentException("clipRange must be >= 0, got " + clipRange);
        }
        requireShape("oldValues", oldValues, values.getShape());
        requireShape("returns", returns, values.getShape());
        DataType type = values.getDataType();
        NDArray old = oldValues.toType(type, false);
        NDArray target = returns.toType(type, false);
        NDArray clippedValues = Tensors.clamp(values.sub(old), -clipRange, clipRange).add(old);
        NDArray unclippedError = values.sub(target).square();
        NDArray clippedError = clippedValues.sub(target).square();
        NDArray error = unclippedError.maximum(clippedError);
        return error.mul(Tensors.scalar(error, 0.5)).mean();
    }

    private static void requireShape(String name, NDArray array, Shape expected) {
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException(name + " must have shape " + expected + ", got " + array.getShape());
        }
    }
}
