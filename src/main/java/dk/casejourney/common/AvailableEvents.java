package dk.casejourney.common;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;

import java.util.stream.Stream;

/**
 * An event storage engine that can answer the events after a token that are there now, without making sure that
 * nothing follows: what the embedded store's shared reader needs, since it reads again whenever a read found
 * events ({@link CoalescingEventStore}).
 */
interface AvailableEvents {

    /**
     * The events after the token, in order, batch by batch until a batch shows that it reached the last stored
     * event. The stream may end before events committed meanwhile, or (rarely) at a gap that ends a batch; it ends
     * empty only if the engine's own read (its look past gaps included) finds nothing after the token.
     */
    Stream<? extends TrackedEventMessage<?>> readAvailable(TrackingToken token);
}
