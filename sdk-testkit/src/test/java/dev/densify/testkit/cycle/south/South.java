package dev.densify.testkit.cycle.south;

import dev.densify.testkit.cycle.North;

/** The other half of {@link North}'s package cycle. */
public final class South {
    public int steps() {
        return 1;
    }

    public North back() {
        return new North();
    }
}
