package dev.densify.api.plugin;

import dev.densify.api.API;

/**
 * A plugin whose learned or running state belongs in checkpoints, so that a resumed run continues exactly
 * where it stopped. The encoding is the plugin's own; densify stores the bytes as they are.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Stateful {
    /** The complete state, enough for {@link #restoreState(byte[])} to reproduce this instance's behaviour. */
    byte[] saveState();

    /** Replaces this instance's state with one produced by {@link #saveState()}. */
    void restoreState(byte[] state);
}
