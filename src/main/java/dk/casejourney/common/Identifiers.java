package dk.casejourney.common;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * Ids the ledger makes for what clients address later (cases, entries, imports, rebuilds, backups). A UUID's text
 * holds a CPR-shaped number about once in a thousand or two ("7e140229-8427-…": 140229-8427 is a date and four
 * digits), and the ledger refuses CPR-shaped text in every path, parameter and identifier it is sent
 * ({@link TextRules}), so such a case could be opened but never written to or read again. These ids never hold one.
 */
public final class Identifiers {

    private Identifiers() {
    }

    /** A random (version 4) UUID without a CPR-shaped number in its text. */
    public static String random() {
        return firstWithoutCpr(attempt -> UUID.randomUUID().toString());
    }

    /**
     * A name-based (version 3) UUID of the name: the same name gives the same id every time, so a retried request
     * names what its first attempt recorded. When the name's UUID holds a CPR-shaped number, the UUID of the name
     * with a counter appended is taken instead (the first without one), which is just as repeatable.
     */
    public static String named(String name) {
        return firstWithoutCpr(attempt -> UUID.nameUUIDFromBytes(
                (attempt == 0 ? name : name + "\n" + attempt).getBytes(StandardCharsets.UTF_8)).toString());
    }

    /** The first of the candidates 0, 1, 2, … whose text holds no CPR-shaped number. */
    public static String firstWithoutCpr(IntFunction<String> candidates) {
        for (int attempt = 0; ; attempt++) {
            String id = candidates.apply(attempt);
            if (!TextRules.containsCprShaped(id)) {
                return id;
            }
        }
    }
}
