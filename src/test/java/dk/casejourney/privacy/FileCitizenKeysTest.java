package dk.casejourney.privacy;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CopyOnWriteArrayList;
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

    /**
     * Inside a database transaction a new citizen's file is forced just before the commit, with the
     * transaction's other new files and the directory once; readers know the citizen only after that.
     */
    @Nested
    class ForcedWithTheTransaction {

        private final JdbcDataSource database = new JdbcDataSource();
        private final List<Path> forces = new CopyOnWriteArrayList<>();
        private TransactionTemplate transactions;
        private FileCitizenKeys store;

        @BeforeEach
        void database() throws Exception {
            database.setURL("jdbc:h2:mem:keys-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
            try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE recorded (lookup VARCHAR(40) PRIMARY KEY)");
            }
            transactions = new TransactionTemplate(new DataSourceTransactionManager(database));
            store = transactional();
        }

        @AfterEach
        void dropDatabase() throws Exception {
            try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
        }

        @Test
        void givenFiftyNewCitizensInOneBatch_whenItCommits_thenOneFileOfTheirsIsForcedBeforeTheCommitAndTheDirectoryOnce()
                throws Exception {
            List<String> committedWhenForced = new CopyOnWriteArrayList<>();
            store.forcing = path -> {
                forces.add(path);
                committedWhenForced.add(recorded() + " rows committed");
            };
            JdbcClient jdbc = JdbcClient.create(database);
            Map<String, String> pseudonyms = new java.util.HashMap<>();

            KeyBatches.run(() -> transactions.execute(status -> {
                for (int citizen = 0; citizen < 50; citizen++) {
                    String lookup = "lookup-" + citizen;
                    pseudonyms.put(lookup, store.citizen(lookup).pseudonym());
                    jdbc.sql("INSERT INTO recorded VALUES (?)").param(lookup).update();
                }
                assertThat(store.citizen("lookup-7").pseudonym()).as("one citizen, one key, also before the force")
                                                                  .isEqualTo(pseudonyms.get("lookup-7"));
                assertThat(forces).as("nothing forced before the commit").isEmpty();
                assertThat(store.pseudonym("lookup-7")).as("readers do not know a citizen not yet durable").isEmpty();
                return null;
            }));

            assertThat(recorded()).isEqualTo(50);
            assertThat(keyFiles()).as("the batch's citizens in one file").hasSize(1);
            assertThat(forces).as("that file, then the directory").containsExactly(keyFiles().get(0), directory);
            assertThat(committedWhenForced).as("every force before the commit").containsOnly("0 rows committed");
            FileCitizenKeys reopened = store(Map.of("2026-01", OLD));
            pseudonyms.forEach((lookup, pseudonym) -> {
                assertThat(store.pseudonym(lookup)).contains(pseudonym);
                assertThat(reopened.pseudonym(lookup)).contains(pseudonym);
            });
        }

        @Test
        void givenAForceThatFails_whenTheTransactionCommits_thenItRollsBackAndTheNextTransactionMakesTheSameKeyDurable()
                throws Exception {
            store.forcing = path -> {
                throw new java.io.UncheckedIOException(new java.io.IOException("disk full"));
            };
            AtomicReference<CitizenKeys.CitizenKey> first = new AtomicReference<>();
            assertThatThrownBy(() -> KeyBatches.run(() -> transactions.execute(status -> {
                first.set(store.citizen("lookup-1"));
                return JdbcClient.create(database).sql("INSERT INTO recorded VALUES ('lookup-1')").update();
            }))).hasMessageContaining("disk full");
            assertThat(recorded()).as("rolled back").isZero();
            assertThat(store.pseudonym("lookup-1")).isEmpty();

            store.forcing = forces::add;
            CitizenKeys.CitizenKey second = KeyBatches.run(
                    () -> transactions.execute(status -> store.citizen("lookup-1")));

            assertThat(second.pseudonym()).isEqualTo(first.get().pseudonym());
            assertThat(second.key().keyId()).isEqualTo(first.get().key().keyId());
            assertThat(forces).as("the first batch's file, where the key was written")
                              .containsExactly(keyFiles().get(0), directory);
            assertThat(store.pseudonym("lookup-1")).contains(second.pseudonym());
        }

        @Test
        void givenATransactionOfItsOwnInsideAnother_whenItCommits_thenItForcesItsOwnFilesAndNotTheOuterOnes()
                throws Exception {
            store.forcing = forces::add;
            TransactionTemplate ofItsOwn = new TransactionTemplate(transactions.getTransactionManager());
            ofItsOwn.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
            AtomicReference<String> inner = new AtomicReference<>();
            AtomicReference<List<Path>> forcedByInner = new AtomicReference<>();

            String outer = KeyBatches.run(() -> transactions.execute(status -> {
                String pseudonym = store.citizen("lookup-outer").pseudonym();
                inner.set(ofItsOwn.execute(innerStatus -> store.citizen("lookup-inner").pseudonym()));
                forcedByInner.set(List.copyOf(forces));
                return pseudonym;
            }));

            Path innerFile = fileHolding(inner.get());
            Path outerFile = fileHolding(outer);
            assertThat(innerFile).isNotEqualTo(outerFile);
            assertThat(forcedByInner.get()).containsExactly(innerFile, directory);
            assertThat(forces).containsExactly(innerFile, directory, outerFile, directory);
        }

        @Test
        void givenACitizenOfARolledBackTransaction_whenErased_thenTheirFileIsGone() throws Exception {
            CitizenKeys.CitizenKey citizen = KeyBatches.run(() -> transactions.execute(status -> {
                CitizenKeys.CitizenKey created = store.citizen("lookup-1");
                status.setRollbackOnly();
                return created;
            }));

            assertThat(store.destroy(citizen.pseudonym())).isEqualTo(1);

            byte[] pseudonym = citizen.pseudonym().getBytes(StandardCharsets.US_ASCII);
            assertThat(allFiles()).noneMatch(content -> contains(content, pseudonym));
            assertThat(store.citizen("lookup-1").pseudonym()).isNotEqualTo(citizen.pseudonym());
        }

        @Test
        void givenATransactionThatIsNotABatch_whenANewCitizenIsOpened_thenTheirFileIsForcedBeforeTheKeyIsAnswered() {
            store.forcing = forces::add;

            transactions.executeWithoutResult(status -> {
                CitizenKeys.CitizenKey citizen = store.citizen("lookup-1");
                assertThat(forces).containsExactly(directory.resolve(citizen.pseudonym() + ".key"), directory);
                assertThat(store.pseudonym("lookup-1")).contains(citizen.pseudonym());
            });
        }

        @Test
        void givenNoTransaction_whenANewCitizenIsOpened_thenTheirFileIsForcedBeforeTheKeyIsAnswered() {
            store.forcing = forces::add;

            CitizenKeys.CitizenKey citizen = store.citizen("lookup-1");

            assertThat(forces).containsExactly(directory.resolve(citizen.pseudonym() + ".key"), directory);
            assertThat(store.pseudonym("lookup-1")).contains(citizen.pseudonym());
        }

        @Test
        void givenAForceThatFailsOutsideABatch_whenANewCitizenIsOpened_thenNoFileIsLeftBehind()
                throws Exception {
            store.forcing = path -> {
                throw new java.io.UncheckedIOException(new java.io.IOException("disk full"));
            };
            assertThatThrownBy(() -> store.citizen("lookup-1")).hasMessageContaining("disk full");
            try (Stream<Path> files = Files.list(directory)) {
                assertThat(files).as("no second citizen of the lookup left behind").isEmpty();
            }

            store.forcing = forces::add;
            CitizenKeys.CitizenKey citizen = store.citizen("lookup-1");

            assertThat(store(Map.of("2026-01", OLD)).pseudonym("lookup-1")).contains(citizen.pseudonym());
        }

        @Test
        void givenABatchOfCitizens_whenSomeAreErased_thenTheirLinesAreZerosOnDiskTheOthersStayAndTheLastErasureTakesTheFile()
                throws Exception {
            List<CitizenKeys.CitizenKey> citizens = committedBatch("lookup-1", "lookup-2", "lookup-3");
            Path file = keyFiles().get(0);
            long size = Files.size(file);

            assertThat(store.destroy(citizens.get(1).pseudonym())).isEqualTo(1);

            assertThat(Files.size(file)).as("overwritten where it lies, not rewritten elsewhere").isEqualTo(size);
            assertThat(allFiles()).noneMatch(content -> mentions(content, "lookup-2", citizens.get(1)));
            FileCitizenKeys reopened = store(Map.of("2026-01", OLD));
            assertThat(reopened.pseudonym("lookup-2")).isEmpty();
            assertThat(reopened.exists(citizens.get(1).key().keyId())).isFalse();
            assertReadable(reopened, citizens.get(0), citizens.get(2));

            assertThat(reopened.destroy(citizens.get(0).pseudonym())).isEqualTo(1);
            assertThat(reopened.destroy(citizens.get(2).pseudonym())).isEqualTo(1);
            assertThat(keyFiles()).as("no entry left, no file").isEmpty();
        }

        @Test
        void givenACitizenErasedWhileTheirBatchIsStillOpen_whenTheBatchGoesOnAndCommits_thenOnlyTheOthersAreKept()
                throws Exception {
            ExecutorService eraser = Executors.newSingleThreadExecutor();
            try {
                CitizenKeys.CitizenKey kept = KeyBatches.run(() -> transactions.execute(status -> {
                    CitizenKeys.CitizenKey erased = store.citizen("lookup-erased");
                    try {
                        assertThat(eraser.submit(() -> store.destroy(erased.pseudonym())).get()).isEqualTo(1);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return store.citizen("lookup-kept");
                }));

                FileCitizenKeys reopened = store(Map.of("2026-01", OLD));
                assertThat(reopened.pseudonym("lookup-erased")).isEmpty();
                assertThat(reopened.key(kept.key().keyId()))
                        .hasValueSatisfying(key -> assertThat(key).isEqualTo(kept.key().bytes()));
                assertThat(allFiles()).noneMatch(content -> contains(content,
                                                                     "lookup-erased".getBytes(StandardCharsets.US_ASCII)));
            } finally {
                eraser.shutdownNow();
            }
        }

        @Test
        void givenABatchsFileWithALineCutShortByACrash_whenTheStoreOpens_thenTheWholeLinesAreKeptAndTheCutOneZeroed()
                throws Exception {
            List<CitizenKeys.CitizenKey> citizens = committedBatch("lookup-1", "lookup-2");
            Path file = keyFiles().get(0);
            byte[] whole = Files.readAllBytes(file);
            byte[] half = java.util.Arrays.copyOf(whole, whole.length / 4);
            Files.write(file, half, java.nio.file.StandardOpenOption.APPEND);

            FileCitizenKeys reopened = store(Map.of("2026-01", OLD));

            assertReadable(reopened, citizens.toArray(CitizenKeys.CitizenKey[]::new));
            byte[] after = Files.readAllBytes(file);
            assertThat(after).hasSize(whole.length + half.length);
            assertThat(java.util.Arrays.copyOfRange(after, whole.length, after.length)).containsOnly((byte) 0);
        }

        @Test
        void givenAnErasureOfABatchCitizenCutShortByACrash_whenTheStoreOpens_thenItIsFinishedAndTheOthersAreKept()
                throws Exception {
            List<CitizenKeys.CitizenKey> citizens = committedBatch("lookup-1", "lookup-2", "lookup-3");
            Path file = keyFiles().get(0);
            byte[] bytes = Files.readAllBytes(file);
            int second = indexOf(bytes, (byte) '\n', 0) + 1;
            int third = indexOf(bytes, (byte) '\n', second) + 1;
            // The first half of the second line overwritten with zeros, the rest not yet.
            java.util.Arrays.fill(bytes, second, second + (third - second) / 2, (byte) 0);
            Files.write(file, bytes);

            FileCitizenKeys reopened = store(Map.of("2026-01", OLD));

            assertThat(reopened.pseudonym("lookup-2")).isEmpty();
            assertThat(allFiles()).noneMatch(content -> mentions(content, "lookup-2", citizens.get(1)));
            assertReadable(reopened, citizens.get(0), citizens.get(2));
        }

        @Test
        void givenBatchCitizensWhoseKeysAreRewrapped_whenTheOldKekIsRemoved_thenEachHasAFileOfTheirOwnAndTheBatchFileIsGone()
                throws Exception {
            List<CitizenKeys.CitizenKey> citizens = committedBatch("lookup-1", "lookup-2");
            Path batchFile = keyFiles().get(0);

            FileCitizenKeys rotated = store(Map.of("2026-01", OLD, "2026-06", NEW));
            assertThat(rotated.rewrap()).isEqualTo(2);

            assertThat(batchFile).doesNotExist();
            FileCitizenKeys withoutOld = store(Map.of("2026-06", NEW));
            for (CitizenKeys.CitizenKey citizen : citizens) {
                assertThat(fileHolding(citizen.pseudonym())).hasFileName(citizen.pseudonym() + ".key");
                assertThat(withoutOld.key(citizen.key().keyId()))
                        .hasValueSatisfying(key -> assertThat(key).isEqualTo(citizen.key().bytes()));
            }
        }

        @Test
        void givenACitizenInBothABatchFileAndTheirOwn_whenTheStoreOpens_thenTheirOwnIsKeptAndTheBatchLineZeroed()
                throws Exception {
            CitizenKeys.CitizenKey citizen = KeyBatches.run(() -> transactions.execute(status -> store.citizen("lookup-1")));
            Path batchFile = keyFiles().get(0);
            // A crash between a change's rename and the release of the batch's line leaves both.
            byte[] line = Files.readAllBytes(batchFile);
            Files.write(directory.resolve(citizen.pseudonym() + ".key"), java.util.Arrays.copyOf(line, line.length - 1));

            FileCitizenKeys reopened = store(Map.of("2026-01", OLD));

            assertThat(reopened.key(citizen.key().keyId()))
                    .hasValueSatisfying(key -> assertThat(key).isEqualTo(citizen.key().bytes()));
            assertThat(batchFile).as("its only line superseded").doesNotExist();
            assertThat(reopened.destroy(citizen.pseudonym())).isEqualTo(1);
            assertThat(keyFiles()).isEmpty();
        }

        /** New citizens in one batch, committed. */
        private List<CitizenKeys.CitizenKey> committedBatch(String... lookups) {
            return KeyBatches.run(() -> transactions.execute(
                    status -> java.util.Arrays.stream(lookups).map(store::citizen).toList()));
        }

        /** The one key file that names the pseudonym. */
        private Path fileHolding(String pseudonym) throws Exception {
            byte[] name = pseudonym.getBytes(StandardCharsets.US_ASCII);
            List<Path> holding = keyFiles().stream().filter(file -> {
                try {
                    return contains(Files.readAllBytes(file), name);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertThat(holding).hasSize(1);
            return holding.get(0);
        }

        private FileCitizenKeys transactional() {
            return new FileCitizenKeys(directory, new KeyEncryptionKeys(Map.of("2026-01", OLD), null),
                                       Clock.systemUTC(), true);
        }

        /** Rows committed, as another connection sees them. */
        private int recorded() {
            try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM recorded")) {
                rows.next();
                return rows.getInt(1);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void givenKeyFilesACrashLeftUnfinished_whenTheStoreOpens_thenTheyAreRemovedAndTheWholeOnesKept() throws Exception {
        CitizenKeys.CitizenKey kept = store(Map.of("2026-01", OLD)).citizen("lookup-1");
        byte[] whole = Files.readAllBytes(directory.resolve(kept.pseudonym() + ".key"));
        Path empty = Files.write(directory.resolve("P-000000000000000000000001.key"), new byte[0]);
        Path zeros = Files.write(directory.resolve("P-000000000000000000000002.key"), new byte[whole.length]);
        Path cutShort = Files.write(directory.resolve("P-000000000000000000000003.key"),
                                    java.util.Arrays.copyOf(whole, whole.length / 2));

        FileCitizenKeys reopened = store(Map.of("2026-01", OLD));

        assertThat(reopened.key(kept.key().keyId()))
                .hasValueSatisfying(key -> assertThat(key).isEqualTo(kept.key().bytes()));
        assertThat(reopened.pseudonym("lookup-1")).contains(kept.pseudonym());
        assertThat(List.of(empty, zeros, cutShort)).noneMatch(Files::exists);
    }

    @Test
    void givenAWholeKeyFileThatIsNotTheProducts_whenTheStoreOpens_thenItRefusesNamingTheFile() throws Exception {
        store(Map.of("2026-01", OLD)).citizen("lookup-1");
        Files.writeString(directory.resolve("P-000000000000000000000009.key"), "{\"not\": \"a key\"]}");

        assertThatThrownBy(() -> store(Map.of("2026-01", OLD)))
                .hasStackTraceContaining("P-000000000000000000000009.key");
        assertThat(directory.resolve("P-000000000000000000000009.key")).exists();
    }

    private List<Path> keyFiles() throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    private static void assertReadable(FileCitizenKeys store, CitizenKeys.CitizenKey... citizens) {
        for (CitizenKeys.CitizenKey citizen : citizens) {
            assertThat(store.key(citizen.key().keyId()))
                    .hasValueSatisfying(key -> assertThat(key).isEqualTo(citizen.key().bytes()));
        }
    }

    /** Whether a file's content holds the lookup, the pseudonym or the key id of a citizen. */
    private static boolean mentions(byte[] content, String lookup, CitizenKeys.CitizenKey citizen) {
        return contains(content, lookup.getBytes(StandardCharsets.US_ASCII))
                || contains(content, citizen.pseudonym().getBytes(StandardCharsets.US_ASCII))
                || contains(content, citizen.key().keyId().getBytes(StandardCharsets.US_ASCII));
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

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int at = from; at < bytes.length; at++) {
            if (bytes[at] == wanted) {
                return at;
            }
        }
        return -1;
    }

    private static String kek(String thirtyTwo) {
        return Base64.getEncoder().encodeToString(thirtyTwo.getBytes(StandardCharsets.US_ASCII));
    }
}
