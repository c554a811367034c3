package dk.casejourney.importexport.xes;

/** Callback for {@link XesReader#read}: receives each trace once it is completely read and valid. */
@FunctionalInterface
public interface XesTraceHandler {

    /** Called once, before the first trace (or at the end for a log without traces). */
    default void onLog(XesLog log) {
    }

    void onTrace(XesTrace trace, XesProgress progress);
}
