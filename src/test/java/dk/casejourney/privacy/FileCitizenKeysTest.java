package dk.casejourney.privacy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileCitizenKeysTest {

    private static final String OLD = kek("old-kek-old-kek-old-kek-old-kek!");
    private static final String NEW = kek("new-kek-new-kek-new-kek-new-kek!");

    @TempDir
    Path directory;

    @Test
    void givenACitizen_whenTheStoreIsOpenedAgain_thenLookupPseudonymAndKeyAreThereButNeverTheRawKey()
            throws Exception {
        FileCitizenKeys store = store(Map.of("2026-01", OLD));
        CitizenKeys.CitizenKey citizen = store.citizen("lookup-1");

        FileCitizenKeys reopened = store(Map.of("2026-01", OLD));

        assertThat(citizen.pseudonym()).matches("P-[0-9a-f]{24}").isNotEqualTo("lookup-1");
        assertThat(reopened.pseudonym("lookup-1")).contains(citizen.pseudonym());
        assertThat(reopened.citizen("lookup-1").key().keyId()).isEqualTo(citizen.key().keyId());
        assertThat(reopened.key(citizen.key().keyId())).hasValueSatisfying(
                key -> assertThat(key).isEqualTo(citizen.key().bytes()));
        assertThat(allFiles()).noneMatch(content -> contains(content, citizen.key().bytes())
                || contains(content, Base64.getEncoder().encode(citizen.key().bytes()))
                || contains(content, HexFormat.of().formatHex(citizen.key().bytes()).getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void givenTwoCitizens_whenOneIsDestroyed_thenTheirFileAndLookupAreGoneAndTheOtherStays() throws Exception {
        FileCitizenKeys store = store(Map.of("2026-01", OLD));
        CitizenKeys.CitizenKey erased = store.citizen("lookup-1");
        CitizenKeys.CitizenKey kept = store.citizen("lookup-2");

        assertThat(store.destroy(erased.pseudonym())).isEqualTo(1);

        FileCitizenKeys reopened = store(Map.of("2026-01", OLD));
        assertThat(reopened.pseudonym("lookup-1")).isEmpty();
        assertThat(reopened.key(erased.key().keyId())).isEmpty();
        assertThat(reopened.key(kept.key().keyId())).isPresent();
        assertThat(reopened.exists(erased.key().keyId())).isFalse();
        assertThat(reopened.exists(kept.key().keyId())).isTrue();
        assertThat(allFiles()).noneMatch(content -> contains(content, "lookup-1".getBytes(StandardCharsets.US_ASCII))
                || contains(content, erased.pseudonym().getBytes(StandardCharsets.US_ASCII))
                || contains(content, erased.key().keyId().getBytes(StandardCharsets.US_ASCII)));
        assertThat(reopened.destroy(erased.pseudonym())).isZero();
        assertThat(reopened.citizen("lookup-1").pseudonym()).as("a returning citizen is a new pseudonym")
                                                          .isNotEqualTo(erased.pseudonym());
    }

    @Test
    void givenKeysWrappedByAnOldKek_whenANewerOneIsAdded_thenTheyAreRewrappedAndTheOldOneCanBeRemoved() {
        CitizenKeys.CitizenKey citizen = store(Map.of("2026-01", OLD)).citizen("lookup-1");

        FileCitizenKeys rotated = store(Map.of("2026-01", OLD, "2026-06", NEW));
        assertThat(rotated.rewrap()).isEqualTo(1);
        assertThat(rotated.citizen("lookup-2")).isNotNull();

        FileCitizenKeys withoutOld = store(Map.of("2026-06", NEW));
        assertThat(withoutOld.key(citizen.key().keyId())).hasValueSatisfying(
                key -> assertThat(key).isEqualTo(citizen.key().bytes()));
        assertThat(withoutOld.rewrap()).isZero();
    }

    @Test
    void givenKeysWrappedByAKekThatIsNotConfigured_whenRead_thenRefusedNamingTheKek() {
        CitizenKeys.CitizenKey citizen = store(Map.of("2026-01", OLD)).citizen("lookup-1");

        FileCitizenKeys other = store(Map.of("2026-06", NEW));

        assertThatThrownBy(() -> other.key(citizen.key().keyId())).hasMessageContaining("2026-01");
        assertThat(other.exists(citizen.key().keyId())).as("kept, though this instance cannot unwrap it").isTrue();
    }

    @Test
    void givenOneCitizensKeyBeingForcedToDisk_whenOtherCitizensAreOpenedAndRead_thenTheyDoNotWaitForIt()
            throws Exception {
        FileCitizenKeys store = store(Map.of("2026-01", OLD));
        CitizenKeys.CitizenKey known = store.citizen("lookup-known");
        CountDownLatch forcing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.forcing = file -> {
            if (Thread.currentThread().getName().equals("slow-writer")) {
                forcing.countDown();
                await(release);
            }
        };
        AtomicReference<CitizenKeys.CitizenKey> slow = new AtomicReference<>();
        Thread writer = new Thread(() -> slow.set(store.citizen("lookup-slow")), "slow-writer");
        writer.start();
        assertThat(forcing.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            ExecutorService others = Executors.newSingleThreadExecutor();
            try {
                // On the slow citizen's stripe or not: every other citizen goes on (64 stripes, 200 citizens).
                Future<Integer> opened = others.submit(() -> {
                    int distinct = 0;
                    for (int citizen = 0; citizen < 200; citizen++) {
                        if (Math.floorMod(("lookup-" + citizen).hashCode(), 64) != Math.floorMod("lookup-slow".hashCode(), 64)) {
                            store.citizen("lookup-" + citizen);
                            distinct++;
                        }
                    }
                    assertThat(store.key(known.key().keyId())).hasValue(known.key().bytes());
                    assertThat(store.pseudonym("lookup-slow")).as("not durable yet, so not known").isEmpty();
                    return distinct;
                });
                assertThat(opened.get(10, TimeUnit.SECONDS)).isGreaterThan(150);
            } finally {
                others.shutdownNow();
            }
        } finally {
            release.countDown();
        }
        writer.join(10_000);
        assertThat(store(Map.of("2026-01", OLD)).citizen("lookup-slow").key().keyId())
                .isEqualTo(slow.get().key().keyId());
    }

    @Test
    void givenManyThreadsOpeningTheSameCitizens_whenTheyRace_thenEachCitizenGetsOneKeyAndOnePseudonym()
            throws Exception {
        FileCitizenKeys store = store(Map.of("2026-01", OLD));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<CitizenKeys.CitizenKey>> answers = new java.util.ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (int citizen = 0; citizen < 20; citizen++) {
                    String lookup = "lookup-" + citizen;
                    answers.add(threads.submit(() -> store.citizen(lookup)));
                }
            }
            Map<String, String> keyIdByPseudonym = new java.util.HashMap<>();
            for (Future<CitizenKeys.CitizenKey> answer : answers) {
                CitizenKeys.CitizenKey key = answer.get(30, TimeUnit.SECONDS);
                assertThat(keyIdByPseudonym.putIfAbsent(key.pseudonym(), key.key().keyId()))
                        .isIn(null, key.key().keyId());
            }
            assertThat(keyIdByPseudonym).hasSize(20);
            FileCitizenKeys reopened = store(Map.of("2026-01", OLD));
            for (int citizen = 0; citizen < 20; citizen++) {
                String pseudonym = reopened.pseudonym("lookup-" + citizen).orElseThrow();
                assertThat(reopened.citizen("lookup-" + citizen).key().keyId())
                        .isEqualTo(keyIdByPseudonym.get(pseudonym));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private FileCitizenKeys store(Map<String, String> keks) {
        return new FileCitizenKeys(directory, new KeyEncryptionKeys(keks, null), Clock.systemUTC());
    }

    private List<byte[]> allFiles() throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).map(file -> {
                try {
                    return Files.readAllBytes(file);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static boolean contains(byte[] content, byte[] pattern) {
        outer:
        for (int i = 0; i <= content.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (content[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String kek(String thirtyTwo) {
        return Base64.getEncoder().encodeToString(thirtyTwo.getBytes(StandardCharsets.US_ASCII));
    }
}
