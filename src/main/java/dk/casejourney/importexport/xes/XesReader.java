package dk.casejourney.importexport.xes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streaming XES reader (StAX). Memory stays flat in the size of the file: only the trace being read is
 * held. Input may be gzip-compressed (detected by its magic bytes) or plain XML. DTDs and external
 * entities are refused.
 *
 * <p>A trace is handed out only after it has been read completely and validated; an invalid trace raises
 * {@link XesFormatException} instead, so a case is never half-imported. Instances are immutable and
 * thread-safe; each {@code open}/{@code read} is an independent single-threaded pass.
 */
public final class XesReader {

    private final boolean timestampsRequired;

    /** A reader that requires {@code time:timestamp} on every event. */
    public XesReader() {
        this(true);
    }

    private XesReader(boolean timestampsRequired) {
        this.timestampsRequired = timestampsRequired;
    }

    /** A copy of this reader that does (default) or does not reject events without {@code time:timestamp}. */
    public XesReader requireTimestamps(boolean required) {
        return new XesReader(required);
    }

    public boolean timestampsRequired() {
        return timestampsRequired;
    }

    /**
     * Pulls traces lazily. The caller keeps ownership of {@code in}: closing the iterator releases the
     * parser and decompressor but does not close {@code in}.
     */
    public XesTraceIterator open(InputStream in) {
        return XesTraceIterator.open(in, timestampsRequired, null);
    }

    /** Pulls traces lazily from a file, which is closed with the iterator. */
    public XesTraceIterator open(Path file) {
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return XesTraceIterator.open(in, timestampsRequired, in);
        } catch (RuntimeException e) {
            try {
                in.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Reads the whole log, calling the handler for the header and then for each trace; stops at the first
     * error. Does not close {@code in}.
     *
     * @return the final progress (traces, events, bytes read)
     * @throws XesFormatException if the input is not a valid XES log; traces before the bad one have
     *                            been delivered, the bad one has not
     */
    public XesProgress read(InputStream in, XesTraceHandler handler) {
        try (XesTraceIterator traces = open(in)) {
            handler.onLog(traces.log());
            while (traces.hasNext()) {
                XesTrace trace = traces.next();
                handler.onTrace(trace, traces.progress());
            }
            return traces.progress();
        }
    }
}
