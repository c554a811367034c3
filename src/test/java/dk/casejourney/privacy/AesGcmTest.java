package dk.casejourney.privacy;

import org.junit.jupiter.api.Test;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AesGcmTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final AesGcm gcm = new AesGcm();

    @Test
    void givenManyThreadsSealingAndOpeningAtOnce_whenEachUsesItsOwnKey_thenEveryTextOpensToWhatWasSealedAndOnlyUnderItsKey()
            throws Exception {
        AtOnce.run(8, thread -> {
            SecretKeySpec mine = key();
            SecretKeySpec other = key();
            for (int round = 0; round < 5_000; round++) {
                byte[] iv = iv();
                byte[] aad = ("key-" + thread).getBytes(StandardCharsets.UTF_8);
                byte[] plain = ("text " + thread + "/" + round).getBytes(StandardCharsets.UTF_8);
                byte[] sealed = gcm.seal(mine, iv, aad, plain);
                assertThat(gcm.open(mine, iv, aad, sealed, 0, sealed.length)).isEqualTo(plain);
                if (round % 50 == 0) {
                    assertThatThrownBy(() -> gcm.open(other, iv, aad, sealed, 0, sealed.length))
                            .isInstanceOf(AEADBadTagException.class);
                }
            }
        });
    }

    @Test
    void givenATextOpened_whenItsCipherIsIdleAgain_thenTheCipherNoLongerHoldsTheKey() throws Exception {
        SecretKeySpec citizens = key();
        byte[] iv = iv();
        byte[] aad = "key-1".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = gcm.seal(citizens, iv, aad, "2906841357".getBytes(StandardCharsets.UTF_8));
        assertThat(gcm.open(citizens, iv, aad, sealed, 0, sealed.length)).isNotEmpty();

        Cipher idle = gcm.idle().orElseThrow();

        // Left as the opening left it, the cipher would open the same text again without being given the key.
        idle.updateAAD(aad);
        assertThatThrownBy(() -> idle.doFinal(sealed)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void givenAnAlteredText_whenOpened_thenItFailsAndTheNextOpeningStillWorks() throws Exception {
        SecretKeySpec key = key();
        byte[] iv = iv();
        byte[] aad = "key-1".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = gcm.seal(key, iv, aad, "text".getBytes(StandardCharsets.UTF_8));
        byte[] altered = Arrays.copyOf(sealed, sealed.length);
        altered[0] ^= 1;

        assertThatThrownBy(() -> gcm.open(key, iv, aad, altered, 0, altered.length))
                .isInstanceOf(AEADBadTagException.class);
        assertThat(gcm.open(key, iv, aad, sealed, 0, sealed.length)).isEqualTo("text".getBytes(StandardCharsets.UTF_8));
    }

    private static SecretKeySpec key() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new SecretKeySpec(bytes, "AES");
    }

    private static byte[] iv() {
        byte[] iv = new byte[AesGcm.IV_BYTES];
        RANDOM.nextBytes(iv);
        return iv;
    }
}
