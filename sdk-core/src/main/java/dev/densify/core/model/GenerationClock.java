package dev.densify.core.model;

import dev.densify.api.API;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cumulative wall time of a model's generation calls, split into the prompt forward (prefill) and the
 * token-by-token sampling (decode). Callers read it before and after a phase; shards running on several threads
 * add up, so the totals can exceed the wall time of the call.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class GenerationClock {
    final LongAdder prefill = new LongAdder();
    final LongAdder decode = new LongAdder();

    public long prefillNanos() {
        return prefill.sum();
    }

    public long decodeNanos() {
        return decode.sum();
    }
}
