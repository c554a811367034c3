package dk.casejourney.audit;

import java.nio.charset.StandardCharsets;

/**
 * What keying the chain costs on the append path: the link computation of the ChainingInterceptor, plain
 * SHA-256 (before) against HMAC-SHA256 with the chain key (after), for events shaped like the ledger's
 * (a ~400-byte payload, ~150 bytes of canonical metadata). A main class, not a test. Run:
 * {@code java -cp target/test-classes:target/classes:<test classpath> dk.casejourney.audit.ChainCostBenchmark}.
 */
public final class ChainCostBenchmark {

    private ChainCostBenchmark() {
    }

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        byte[] payload = ("{\"caseId\":\"0f6c2d4e-1b7a-4c55-9e0b-2d1f3a4b5c6d\",\"entryId\":\"8a9b0c1d-2e3f-4a5b-6c7d-8e9f0a1b2c3d\","
                + "\"channel\":\"PHONE\",\"direction\":\"INBOUND\",\"unit\":\"KBH-KC\",\"staffId\":\"cc-17\","
                + "\"purpose\":\"APPLICATION\",\"queuedAt\":\"2024-03-04T07:10:00Z\",\"startedAt\":\"2024-03-04T07:15:00Z\","
                + "\"endedAt\":\"2024-03-04T07:25:00Z\",\"padding\":\"" + "x".repeat(120) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String metaData = "{\"idempotencyFingerprint\":\"" + "a".repeat(64) + "\",\"recordedBy\":\"caseworker\"}";
        LedgerKeys keys = new LedgerKeys(null, null);
        javax.crypto.Mac mac = keys.chainMac();
        // Interleaved rounds, best of each: on a shared machine the fastest round is the one least disturbed.
        long bestPlain = Long.MAX_VALUE;
        long bestKeyed = Long.MAX_VALUE;
        for (int round = 0; round < 15; round++) {
            bestPlain = Math.min(bestPlain, run(events, payload, metaData, null));
            bestKeyed = Math.min(bestKeyed, run(events, payload, metaData, mac));
        }
        System.out.printf("%,d links, best of 15 interleaved rounds: plain SHA-256 %,.0f links/s (%.2f us each), "
                                  + "HMAC-SHA256 %,.0f links/s (%.2f us each); load average %.1f%n", events,
                          events / (bestPlain / 1e9), bestPlain / 1e3 / events, events / (bestKeyed / 1e9),
                          bestKeyed / 1e3 / events,
                          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static long run(int events, byte[] payload, String metaData, javax.crypto.Mac mac) {
        long started = System.nanoTime();
        String previous = "";
        for (int i = 0; i < events; i++) {
            EventChain.Link link = new EventChain.Link("CaseAggregate", "case-" + (i / 10), i % 10, "event-" + i,
                                                       "2024-03-04T07:25:00.000Z", "dk.casejourney.journey.api.ContactRecorded",
                                                       "1", payload, metaData);
            String payloadDigest = EventChain.payloadDigest(link.payloadType(), link.payloadRevision(), payload);
            previous = mac == null ? EventChain.digest(previous, link, payloadDigest)
                    : EventChain.keyedDigest(mac, previous, link, payloadDigest);
        }
        if (previous.isEmpty()) {
            throw new IllegalStateException();
        }
        return System.nanoTime() - started;
    }
}
