package dk.casejourney.privacy.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the file key store keeps the citizens' wrapped data keys, and how a backup takes them along. The keys
 * live beside the database, not in it (so that erasure can really delete them): a backup of the database alone
 * would restore every citizen as erased.
 */
public final class CitizenKeyFiles {

    /** The name of the folder under the data directory (and inside a backup) that holds the key files. */
    public static final String FOLDER = "citizen-keys";
    /** The ending of a whole key file; anything else there is a write in progress. */
    public static final String SUFFIX = ".key";

    private CitizenKeyFiles() {
    }

    /** The key folder of a data directory, unless {@code configured} (ledger.privacy.key-directory) names one. */
    public static Path directory(String dataDir, String configured) {
        return configured == null || configured.isBlank() ? Path.of(dataDir, FOLDER) : Path.of(configured);
    }

    /**
     * Copies every whole key file of {@code directory} into {@code target} (a folder, e.g. inside a zip file
     * system). A key erased while the copy runs is left out, as the erasure asks. Keys are written before the
     * events that use them are stored, so copying them after the database backup covers every case in it.
     *
     * @return how many key files were copied (0 when the store keeps its keys in the database)
     */
    public static int copy(Path directory, Path target) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        Files.createDirectories(target);
        List<Path> keys;
        try (Stream<Path> files = Files.list(directory)) {
            keys = files.filter(file -> file.getFileName().toString().endsWith(SUFFIX)).toList();
        }
        int copied = 0;
        for (Path key : keys) {
            try {
                Files.copy(key, target.resolve(key.getFileName().toString()));
                copied++;
            } catch (NoSuchFileException erasedMeanwhile) {
                // Erased after the listing: it must not come back with the backup.
            }
        }
        return copied;
    }
}
