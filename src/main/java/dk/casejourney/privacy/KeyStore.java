package dk.casejourney.privacy;

/** What the product's own key stores do besides {@link CitizenKeys}: take over older keys, follow rotation. */
interface KeyStore extends CitizenKeys {

    /** Takes over a key kept by an earlier version (unwrapped, in table citizen_key), under its citizen. */
    void adopt(String lookup, String pseudonym, String keyId, byte[] key);

    /** Rewraps every key not wrapped by the current key-encryption key; answers how many. */
    int rewrap();

    /** A new pseudonym: random, so that nothing derives it from the CPR number once the directory forgets it. */
    static String newPseudonym(java.security.SecureRandom random) {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "P-" + java.util.HexFormat.of().formatHex(bytes);
    }
}
