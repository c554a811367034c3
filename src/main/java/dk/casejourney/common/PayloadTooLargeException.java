package dk.casejourney.common;

import java.io.IOException;

/** A request body grew beyond the configured limit while it was being read. */
class PayloadTooLargeException extends IOException {

    private final long limit;

    PayloadTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes");
        this.limit = limit;
    }

    long limit() {
        return limit;
    }
}
