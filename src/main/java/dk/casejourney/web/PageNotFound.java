package dk.casejourney.web;

/** A page that does not exist (an unknown case, form or projection); the message is a message key. */
class PageNotFound extends RuntimeException {

    PageNotFound(String messageKey) {
        super(messageKey, null, false, false);
    }
}
