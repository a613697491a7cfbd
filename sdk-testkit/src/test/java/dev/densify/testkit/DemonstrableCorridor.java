package dev.densify.testkit;

import dev.densify.api.env.Demonstrable;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The corridor with its obvious expert: walk right. */
final class DemonstrableCorridor extends Corridor implements Demonstrable {

    DemonstrableCorridor(Flaw flaw, int budgetPerCell) {
        super(flaw, budgetPerCell);
    }

    @Override
    Corridor newInstance() {
        return new DemonstrableCorridor(flaw, budgetPerCell);
    }

    @Override
    public Optional<List<String>> demonstrate() {
        int distance = state.length - 1 - state.position;
        if (state.done || distance > state.stepsLeft) {
            return Optional.empty();
        }
        return Optional.of(Collections.nCopies(distance, "right"));
    }
}
