package dk.casejourney.importexport.xes;

/**
 * How far a read has come.
 *
 * @param traces    traces delivered so far
 * @param events    events in the delivered traces
 * @param bytesRead bytes consumed from the caller's input stream (compressed bytes for gzip input, so
 *                  it can be compared with the file size); the XML parser reads ahead, so this runs
 *                  slightly ahead of the delivered traces
 */
public record XesProgress(long traces, long events, long bytesRead) {
}
