package dk.casejourney.privacy;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

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
        AtOnce.run(8, thread -> {
            for (int round = 0; round < 5_000; round++) {
                String cpr = String.format("%02d%08d", thread, round);
                byte[] data = ("fingerprint " + cpr).getBytes(StandardCharsets.UTF_8);
                assertThat(pseudonymizer.pseudonymOf(cpr))
                        .isEqualTo("P-" + HexFormat.of().formatHex(reference(cpr), 0, 12));
                assertThat(pseudonymizer.fingerprint(data)).isEqualTo(HexFormat.of().formatHex(reference(data)));
            }
        });
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
