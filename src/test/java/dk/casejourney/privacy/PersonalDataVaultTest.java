package dk.casejourney.privacy;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersonalDataVaultTest {

    private final InMemoryCitizenKeys keys = new InMemoryCitizenKeys();
    private final PersonalDataVault vault = new PersonalDataVault(keys);

    @Test
    void sealedTextOpensWithItsKeyAndDoesNotShowThePlainText() {
        PersonalDataVault.Sealed sealed = vault.seal("P-1", "2906841357");

        assertThat(sealed.text()).doesNotContain("2906841357");
        assertThat(vault.open(sealed.keyId(), sealed.text())).contains("2906841357");
    }

    @Test
    void aCitizenKeepsOneKeyAndEverySealingDiffers() {
        PersonalDataVault.Sealed first = vault.seal("P-1", "2906841357");
        PersonalDataVault.Sealed second = vault.seal("P-1", "2906841357");

        assertThat(second.keyId()).isEqualTo(first.keyId());
        assertThat(second.text()).isNotEqualTo(first.text());
        assertThat(vault.seal("P-2", "0101901234").keyId()).isNotEqualTo(first.keyId());
    }

    @Test
    void erasureMakesEverySealedCopyUnreadableAndOnlyThatCitizens() {
        PersonalDataVault.Sealed erased = vault.seal("P-1", "2906841357");
        PersonalDataVault.Sealed other = vault.seal("P-2", "0101901234");

        assertThat(vault.erase("P-1")).isEqualTo(1);

        assertThat(vault.open(erased.keyId(), erased.text())).isEmpty();
        assertThat(vault.readable(erased.keyId())).isFalse();
        assertThat(vault.open(other.keyId(), other.text())).contains("0101901234");
        assertThat(vault.erase("P-1")).isZero();
    }

    @Test
    void givenAKeptKey_whenAskedWhetherItsDataIsReadable_thenTheKeyIsLookedUpNotUnwrapped() {
        AtomicInteger unwrapped = new AtomicInteger();
        InMemoryCitizenKeys counting = new InMemoryCitizenKeys() {
            @Override
            public synchronized Optional<byte[]> key(String keyId) {
                unwrapped.incrementAndGet();
                return super.key(keyId);
            }
        };
        PersonalDataVault countingVault = new PersonalDataVault(counting);
        PersonalDataVault.Sealed sealed = countingVault.seal("P-1", "2906841357");
        unwrapped.set(0);

        assertThat(countingVault.readable(sealed.keyId())).isTrue();
        assertThat(countingVault.readable("no-such-key")).isFalse();
        assertThat(unwrapped).hasValue(0);
    }

    @Test
    void aCitizenWhoReturnsAfterErasureGetsANewKey() {
        PersonalDataVault.Sealed before = vault.seal("P-1", "2906841357");
        vault.erase("P-1");

        PersonalDataVault.Sealed after = vault.seal("P-1", "2906841357");

        assertThat(after.keyId()).isNotEqualTo(before.keyId());
        assertThat(vault.open(after.keyId(), after.text())).contains("2906841357");
    }

    @Test
    void tamperedOrMovedTextFailsAuthentication() {
        PersonalDataVault.Sealed sealed = vault.seal("P-1", "2906841357");
        PersonalDataVault.Sealed other = vault.seal("P-2", "0101901234");
        byte[] bytes = Base64.getDecoder().decode(sealed.text());
        bytes[bytes.length - 1] ^= 1;

        assertThatThrownBy(() -> vault.open(sealed.keyId(), Base64.getEncoder().encodeToString(bytes)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> vault.open(other.keyId(), sealed.text()))
                .isInstanceOf(IllegalStateException.class);
    }
}
