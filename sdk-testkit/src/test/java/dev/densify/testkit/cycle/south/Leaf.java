package dev.densify.testkit.cycle.south;

/** Needs no other package. */
public final class Leaf {
    public int depth() {
        return 0;
    }
}
