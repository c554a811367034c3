package dk.casejourney.audit;

import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses the reader of stored events ({@link EventTable}) that fits the ledger's event store. */
@Configuration(proxyBeanMethods = false)
class StoredEventsConfiguration {

    @Bean
    EventTable eventTable(EventStore eventStore, ObjectProvider<EventStorageEngine> engine,
                          ObjectProvider<AxonServerConnectionManager> axonServer,
                          ObjectProvider<ConnectionProvider> connections,
                          ObjectProvider<TransactionManager> transactions, ObjectProvider<EventSchema> schema,
                          @Qualifier("eventSerializer") Serializer eventSerializer) {
        if (eventStore instanceof AxonServerEventStore) {
            AxonServerConnectionManager manager = axonServer.getObject();
            return new AxonServerEvents(manager, manager.getDefaultContext(), eventSerializer);
        }
        if (engine.getIfAvailable() instanceof JdbcEventStorageEngine) {
            return new JdbcEngineEvents(connections.getObject(), transactions.getObject(), schema.getObject(),
                                        eventSerializer);
        }
        // Verification reading nothing would report an empty, valid ledger: refuse instead.
        throw new IllegalStateException("no reader of stored events for the event store "
                                                + eventStore.getClass().getName() + " (engine "
                                                + engine.getIfAvailable() + "): chain verification, checkpoints "
                                                + "and rebuilds support Axon's JDBC engine and Axon Server");
    }
}
