package dev.densify.testkit;

import java.util.List;

/**
 * Actions taken and the frames seen: {@code frames.get(0)} is the state the run started from and
 * {@code frames.get(i + 1)} the state after {@code actions.get(i)}.
 */
record Run(List<String> actions, List<Frame> frames) {
    Run {
        actions = List.copyOf(actions);
        frames = List.copyOf(frames);
    }

    Frame last() {
        return frames.get(frames.size() - 1);
    }

    boolean done() {
        return last().done();
    }
}
