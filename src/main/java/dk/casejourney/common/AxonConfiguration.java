package dk.casejourney.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;

/**
 * How the ledger uses Axon: JSON events with explicit revisions, snake_case tables created by Flyway,
 * pooled streaming processors with a dead-letter queue per processing group, so that no event is skipped unseen
 * and no event a projection cannot handle stops it for every later case.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProcessorProperties.class)
public class AxonConfiguration {

    /** Axon's defaults for a unit of work: interrupted after 60 s, a warning with the thread's stack after 10 s. */
    private static final Duration TIME_LIMIT = Duration.ofSeconds(60);
    private static final Duration TIME_LIMIT_WARNING = Duration.ofSeconds(10);

    /**
     * Events are serialized by a mapper of their own, not the web one: the web mapper refuses unknown
     * fields, while stored events must stay readable when a later revision adds one.
     */
    @Bean
    @Primary
    Serializer serializer() {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(IsoInstants.jacksonModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return new KnownClasses(JacksonSerializer.builder()
                                                 .objectMapper(mapper)
                                                 .revisionResolver(new AnnotationRevisionResolver()));
    }

    /**
     * Axon's Jackson serializer, with the class of each stored type name looked up once: Axon asks Jackson's type
     * factory, which asks the class loader, for every event it reads (3% of a rebuild's replay threads). Axon itself
     * keeps the names it could not find; a name's class does not change while the application runs.
     * <p>
     * Stored metadata whose values are all text (what the ledger writes: trace and correlation ids, who recorded,
     * the chain's digests) is read straight from its JSON tokens into the same {@link MetaData} Axon's reader
     * builds; anything else is left to Axon's reader. Every read model reads each event's metadata (its trace id,
     * for the log lines of its handling), and Axon's reader cost more than the payload (5.8% of the read models'
     * threads against 4.3% while they caught up with an import; 3.2% since: docs/benchmarks.md, 2026-12-03).
     */
    static final class KnownClasses extends JacksonSerializer {

        private static final String META_DATA = MetaData.class.getName();

        /** By stored type name: the class depends on the name alone (the revision is for the upcasters). */
        private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();

        KnownClasses(Builder builder) {
            super(builder);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <S, T> T deserialize(SerializedObject<S> serializedObject) {
            if (serializedObject.getData() instanceof byte[] json
                    && META_DATA.equals(serializedObject.getType().getName())) {
                MetaData text = textOnly(json);
                if (text != null) {
                    return (T) text;
                }
            }
            return super.deserialize(serializedObject);
        }

        /** The metadata of a JSON object of text (or null) values, else null: then Axon's reader decides. */
        MetaData textOnly(byte[] json) {
            try (JsonParser parser = getObjectMapper().getFactory().createParser(json)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                Map<String, Object> values = new HashMap<>();
                JsonToken token;
                while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (value == JsonToken.VALUE_STRING) {
                        values.put(name, parser.getText());
                    } else if (value == JsonToken.VALUE_NULL) {
                        values.put(name, null);
                    } else {
                        return null;
                    }
                }
                return token == JsonToken.END_OBJECT && parser.nextToken() == null ? MetaData.from(values) : null;
            } catch (IOException malformed) {
                return null;
            }
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Class classForType(SerializedType type) {
            if (SimpleSerializedType.emptyType().equals(type)) {
                return super.classForType(type);
            }
            return classes.computeIfAbsent(type.getName(), name -> super.classForType(type));
        }
    }

    @Bean
    EventSchema eventSchema() {
        return ledgerEventSchema();
    }

    /** The event table as the ledger's migrations create it (db/store): for every engine and reader over it. */
    public static EventSchema ledgerEventSchema() {
        return EventSchema.builder()
                          .eventTable("domain_event_entry")
                          .snapshotTable("snapshot_event_entry")
                          .globalIndexColumn("global_index")
                          .timestampColumn("time_stamp")
                          .eventIdentifierColumn("event_identifier")
                          .aggregateIdentifierColumn("aggregate_identifier")
                          .sequenceNumberColumn("sequence_number")
                          .typeColumn("type")
                          .payloadTypeColumn("payload_type")
                          .payloadRevisionColumn("payload_revision")
                          .payloadColumn("payload")
                          .metaDataColumn("meta_data")
                          .build();
    }

    @Bean
    TokenSchema tokenSchema() {
        return TokenSchema.builder()
                          .setTokenTable("token_entry")
                          .setProcessorNameColumn("processor_name")
                          .setSegmentColumn("segment")
                          .setTokenColumn("token")
                          .setTokenTypeColumn("token_type")
                          .setTimestampColumn("time_stamp")
                          .setOwnerColumn("owner")
                          .build();
    }

    /**
     * This instance among the others on the same database (see {@link Instances}). Tokens name the instance that
     * claimed them. Axon's default owner is the JVM's pid@host, which two instances in one JVM (and a restarted
     * container with the same pid) would share; a per-start suffix keeps owners apart. An instance counts as
     * dead after the token claim timeout, when its claims expire too.
     */
    @Bean
    Instances instances(JdbcTemplate jdbc, TokenStoreProperties tokenStoreProperties, ProcessorProperties properties,
                        @Value("${ledger.node-id:}") String configuredNodeId) {
        String nodeId = configuredNodeId.isBlank()
                ? ManagementFactory.getRuntimeMXBean().getName() + "/" + Identifiers.random().substring(0, 8)
                : configuredNodeId;
        return new Instances(jdbc, nodeId, tokenStoreProperties.getClaimTimeout(), properties.initialSegmentCount(),
                             properties.maxClaimedSegments());
    }

    /** The claim timeout frees the claims of an instance that died. */
    @Bean
    TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, TokenSchema tokenSchema,
                          TokenStoreProperties tokenStoreProperties, Instances instances) {
        return JdbcTokenStore.builder()
                             .connectionProvider(connectionProvider)
                             .schema(tokenSchema)
                             .serializer(serializer)
                             .claimTimeout(tokenStoreProperties.getClaimTimeout())
                             .nodeId(instances.nodeId())
                             .build();
    }

    /**
     * Time limits for commands, queries and processor batches, in place of Axon's (turned off by
     * {@code axon.timeout.enabled: false}): see {@link TimeLimits}.
     */
    @Bean
    ConfigurerModule timeLimits() {
        return configurer -> {
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, work -> {
                Thread thread = new Thread(work, "time-limits");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.setRemoveOnCancelPolicy(true);
            configurer.eventProcessing().registerDefaultHandlerInterceptor(
                    (c, name) -> new TimeLimits("Event processor " + name, TIME_LIMIT_WARNING, TIME_LIMIT, scheduler));
            // Outermost, as Axon registers its own (the bus exists only once the configuration is built).
            configurer.onStart(Integer.MIN_VALUE, () -> {
                org.axonframework.config.Configuration built = configurer.buildConfiguration();
                built.commandBus().registerHandlerInterceptor(
                        new TimeLimits("Command", TIME_LIMIT_WARNING, TIME_LIMIT, scheduler));
                built.queryBus().registerHandlerInterceptor(
                        new TimeLimits("Query", TIME_LIMIT_WARNING, TIME_LIMIT, scheduler));
            });
            configurer.onShutdown(Integer.MIN_VALUE, scheduler::shutdownNow);
        };
    }

    @Bean
    CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }

    /** Who recorded a command, and its idempotency key, travel into the metadata of every event it applies. */
    @Bean
    CorrelationDataProvider ledgerMetadataProvider() {
        return new SimpleCorrelationDataProvider(LedgerMetadata.RECORDED_BY, LedgerMetadata.IDEMPOTENCY_KEY,
                                                 LedgerMetadata.REQUEST_FINGERPRINT);
    }

    /** Axon's dead-letter table in snake_case, created by Flyway (db/store/V50__dead_letter_entry.sql). */
    @Bean
    DeadLetterSchema deadLetterSchema() {
        return DeadLetterSchema.builder()
                               .deadLetterTable("dead_letter_entry")
                               .deadLetterIdentifierColumn("dead_letter_id")
                               .processingGroupColumn("processing_group")
                               .sequenceIdentifierColumn("sequence_identifier")
                               .sequenceIndexColumn("sequence_index")
                               .messageTypeColumn("message_type")
                               .eventIdentifierColumn("event_identifier")
                               .timestampColumn("time_stamp")
                               .payloadTypeColumn("payload_type")
                               .payloadRevisionColumn("payload_revision")
                               .payloadColumn("payload")
                               .metaDataColumn("meta_data")
                               .aggregateTypeColumn("aggregate_type")
                               .aggregateIdentifierColumn("aggregate_identifier")
                               .sequenceNumberColumn("sequence_number")
                               .tokenTypeColumn("token_type")
                               .tokenColumn("token")
                               .enqueuedAtColumn("enqueued_at")
                               .lastTouchedColumn("last_touched")
                               .processingStartedColumn("processing_started")
                               .causeTypeColumn("cause_type")
                               .causeMessageColumn("cause_message")
                               .diagnosticsColumn("diagnostics")
                               .build();
    }

    /**
     * Every processing group gets Axon's sequenced dead-letter queue in the database: an event a projection
     * cannot handle is parked with its cause, later events of the same case (the processors' sequencing policy
     * is per aggregate) are parked behind it so the case's order holds, and every other case goes on. The
     * parked events are visible and can be retried (GET/POST /api/admin/projections/{name}/dead-letters).
     * A failure outside any one event's handling (the database gone, a batch that cannot commit) still stops
     * the processor, which retries with back-off and reports the error: nothing is skipped unseen.
     */
    @Bean
    ConfigurerModule ledgerEventProcessing(ProcessorProperties properties, TransactionManager transactionManager,
                                           ConnectionProvider connectionProvider, DeadLetterSchema deadLetterSchema,
                                           Instances instances, TokenStoreProperties tokenStoreProperties) {
        return new ConfigurerModule() {
            /**
             * After Axon's Spring Boot module, which registers a provider that gives a queue only to groups with
             * axon.eventhandling.processors.<name>.dlq.enabled: ours gives one to every group, new ones included.
             */
            @Override
            public int order() {
                return Integer.MAX_VALUE;
            }

            @Override
            public void configureModule(Configurer configurer) {
                configure(configurer, properties, transactionManager, connectionProvider, deadLetterSchema,
                          instances, tokenStoreProperties.getClaimTimeout());
            }
        };
    }

    private static void configure(Configurer configurer, ProcessorProperties properties,
                                  TransactionManager transactionManager, ConnectionProvider connectionProvider,
                                  DeadLetterSchema deadLetterSchema, Instances instances, Duration claimTimeout) {
        // Several instances (docs/operations.md, "Several instances"): each claims its fair share of segments,
        // looks for unclaimed ones every token-claim-interval, and renews idle claims well within the timeout.
        long claimExtension = Math.max(100, Math.min(5000, claimTimeout.toMillis() / 3));
        configurer.eventProcessing(processing -> processing
                .usingPooledStreamingEventProcessors((config, builder) -> builder
                        .batchSize(properties.batchSize())
                        .initialSegmentCount(properties.initialSegmentCount())
                        .maxSegmentProvider(instances::fairShare)
                        .tokenClaimInterval(properties.tokenClaimInterval().toMillis())
                        .claimExtensionThreshold(claimExtension)
                        .enableCoordinatorClaimExtension()
                        .transactionManager(transactionManager))
                .registerDeadLetterQueueProvider(withSequenceIdentifierCache(processing, group -> config -> JdbcSequencedDeadLetterQueue.builder()
                        .processingGroup(group)
                        .connectionProvider(connectionProvider)
                        .transactionManager(transactionManager)
                        .schema(deadLetterSchema)
                        .genericSerializer(config.serializer())
                        .eventSerializer(config.eventSerializer())
                        // A long case parked early keeps all its later events: no overflow for realistic cases.
                        .maxSequences(properties.deadLetterMaxSequences())
                        .maxSequenceSize(properties.deadLetterMaxSequenceSize())
                        .build()))
                // Without a dead-letter queue (none is left out above) a projection must stop and retry, never
                // skip an event unseen; with one, a handler's failure parks the event instead.
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance())
                .registerDefaultErrorHandler(c -> PropagatingErrorHandler.instance()));
    }

    /**
     * Every group with a queue also gets the invoker's sequence-identifier cache. Without it the invoker asks the
     * queue's table about each event's case before handling it (one query per event and processor, the largest
     * cost of a replay); with it, only about cases it parked itself or, when the queue held letters as the
     * segment was claimed, cases it has not seen lately.
     */
    private static Function<String, Function<org.axonframework.config.Configuration,
            SequencedDeadLetterQueue<EventMessage<?>>>> withSequenceIdentifierCache(
            EventProcessingConfigurer processing,
            Function<String, Function<org.axonframework.config.Configuration,
                    SequencedDeadLetterQueue<EventMessage<?>>>> queues) {
        return group -> {
            processing.registerDeadLetteringEventHandlerInvokerConfiguration(
                    group, (config, invoker) -> invoker.enableSequenceIdentifierCache());
            return queues.apply(group);
        };
    }
}
