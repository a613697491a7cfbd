package dev.densify.testkit.cycle;

import dev.densify.testkit.cycle.south.South;

/** A package cycle for PluginArchitectureTest: this top package needs its subpackage, which needs it back. */
public final class North {
    public int steps() {
        return new South().steps() + 1;
    }
}
