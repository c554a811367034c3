package dk.casejourney.privacy;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PseudonymizerTest {

    private static final String SECRET = "a pseudonym secret of the test";
    private final Pseudonymizer pseudonymizer = new Pseudonymizer(SECRET);

    @Test
    void givenACprNumber_whenPseudonymized_thenItIsTheKeyedHashAndNotTheNumber() throws Exception {
        String pseudonym = pseudonymizer.pseudonymOf("2906841357");

        assertThat(pseudonym).isEqualTo("P-" + HexFormat.of().formatHex(reference("2906841357"), 0, 12))
                             .doesNotContain("2906841357");
        assertThat(new Pseudonymizer("another secret of sixteen").pseudonymOf("2906841357")).isNotEqualTo(pseudonym);
    }

    @Test
    void givenManyThreadsAtOnce_whenEachPseudonymizesItsOwnNumbers_thenEveryAnswerIsTheKeyedHashOfItsOwnNumber()
            throws Exception {
        int threads = 8;
        int rounds = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int round = 0; round < rounds; round++) {
                        String cpr = String.format("%02d%08d", thread, round);
                        byte[] data = ("fingerprint " + cpr).getBytes(StandardCharsets.UTF_8);
                        assertThat(pseudonymizer.pseudonymOf(cpr))
                                .isEqualTo("P-" + HexFormat.of().formatHex(reference(cpr), 0, 12));
                        assertThat(pseudonymizer.fingerprint(data)).isEqualTo(HexFormat.of().formatHex(reference(data)));
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> future : done) {
                assertThat(future.get()).isEqualTo(rounds);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenAShortSecret_whenCreated_thenRefused() {
        assertThatThrownBy(() -> new Pseudonymizer("too short")).isInstanceOf(IllegalArgumentException.class)
                                                                 .hasMessageContaining("16 characters");
    }

    private static byte[] reference(String cpr) throws Exception {
        return reference(cpr.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] reference(byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(data);
    }
}
