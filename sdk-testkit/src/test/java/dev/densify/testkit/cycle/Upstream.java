package dev.densify.testkit.cycle;

import dev.densify.testkit.cycle.south.Leaf;

/** Needs a subpackage that does not need it back: no cycle. */
public final class Upstream {
    public int depth() {
        return new Leaf().depth() + 1;
    }
}
