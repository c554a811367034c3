package dk.casejourney.importexport.api;

/** One import's report; answers {@code Optional<ImportReport>}. */
public record FindImportQuery(String importId) {
}
