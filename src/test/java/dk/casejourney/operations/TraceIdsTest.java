package dk.casejourney.operations;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class TraceIdsTest {

    private final AtomicInteger metaDataReads = new AtomicInteger();
    private final TrackingToken atReset = GapAwareTrackingToken.newInstance(100, Set.of());

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void givenAnEventOfALiveProcessor_whenItIsHandled_thenItsRequestsIdIsInTheLogContextMeanwhile() throws Exception {
        GenericTrackedEventMessage<String> event = new GenericTrackedEventMessage<>(
                GapAwareTrackingToken.newInstance(101, Set.of()), counted("request-0001"));

        assertThat(handle(event)).isEqualTo("request-0001");
        assertThat(MDC.get(TraceIds.KEY)).as("restored after").isNull();
    }

    @Test
    void givenAnEventOfAReplay_whenItIsHandled_thenItsMetaDataIsNotEvenRead() throws Exception {
        TrackingToken replaying = ((ReplayToken) ReplayToken.createReplayToken(atReset))
                                             .advancedTo(GapAwareTrackingToken.newInstance(5, Set.of()));
        GenericTrackedEventMessage<String> event = new GenericTrackedEventMessage<>(replaying, counted("request-0002"));

        assertThat(handle(event)).isNull();
        assertThat(metaDataReads).hasValue(0);
    }

    @Test
    void givenAReplayThatHasPassedThePositionOfItsReset_whenAnEventIsHandled_thenItsIdIsInTheLogContextAgain()
            throws Exception {
        TrackingToken pastReset = ((ReplayToken) ReplayToken.createReplayToken(atReset))
                                             .advancedTo(GapAwareTrackingToken.newInstance(101, Set.of()));
        GenericTrackedEventMessage<String> event = new GenericTrackedEventMessage<>(pastReset, counted("request-0003"));

        assertThat(handle(event)).isEqualTo("request-0003");
    }

    /** Handles the event through the interceptor; answers the trace id the log context held meanwhile. */
    private Object handle(GenericTrackedEventMessage<String> event) throws Exception {
        DefaultUnitOfWork<GenericTrackedEventMessage<String>> unitOfWork = DefaultUnitOfWork.startAndGet(event);
        try {
            return new TraceIds.Handling<GenericTrackedEventMessage<String>>().handle(unitOfWork,
                                                                                     () -> MDC.get(TraceIds.KEY));
        } finally {
            unitOfWork.commit();
        }
    }

    /** An event whose metadata counts how often it is asked for (a stored event deserializes it then). */
    private GenericEventMessage<String> counted(String traceId) {
        return new GenericEventMessage<>("payload", Map.of(TraceIds.KEY, traceId)) {
            @Override
            public MetaData getMetaData() {
                metaDataReads.incrementAndGet();
                return super.getMetaData();
            }
        };
    }
}
