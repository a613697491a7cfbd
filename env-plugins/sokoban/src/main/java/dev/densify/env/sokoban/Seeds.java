package dev.densify.env.sokoban;

/** Derives independent seeds from a seed and a label, so that neighbouring inputs give unrelated streams. */
final class Seeds {
    private Seeds() {
    }

    /** SplitMix64's finaliser over a combination of the two. */
    static long mix(long seed, long label) {
        long z = seed * 0x9E3779B97F4A7C15L + label + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
