package dk.casejourney.security;

/** What a signed-in person may do; granted as Spring authorities {@code ROLE_<name>}. */
public enum Role {
    /** Records events on cases and reads cases. */
    CASEWORKER,
    /** Reads everything, including audit views and the access log; writes nothing. */
    AUDITOR,
    /** Reads the evaluation and analysis exports only: never a case history or a CPR number. */
    MANAGER,
    /** Runs rebuilds, imports and erasure. */
    ADMIN
}
