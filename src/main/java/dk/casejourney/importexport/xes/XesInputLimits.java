package dk.casejourney.importexport.xes;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * Bounds what a log may cost before the XML parser buffers it: no run of more than {@link #MAX_MARKUP} bytes
 * without a {@code <} (one tag with its attribute values, or the text or comment between two tags; an 8 MB
 * attribute value is refused after 1 MiB, not held whole), and for compressed input no expansion beyond
 * {@link #MAX_EXPANSION} times the compressed bytes once past {@link #EXPANSION_FLOOR} (a gzip bomb is refused
 * early instead of being inflated). Real logs stay far below both: the receipt log expands 19 times.
 */
final class XesInputLimits extends FilterInputStream {

    static final int MAX_MARKUP = 1024 * 1024;
    static final int MAX_EXPANSION = 200;
    static final long EXPANSION_FLOOR = 32L * 1024 * 1024;

    /** Raised through the XML parser; the reader reports it as a broken file. */
    static final class LimitExceeded extends IOException {
        private static final long serialVersionUID = 1L;

        LimitExceeded(String message) {
            super(message);
        }
    }

    private final LongSupplier compressedBytes;
    private long decoded;
    private long sinceTag;

    /**
     * @param compressedBytes how many bytes of the compressed input were taken so far, or null for plain input
     */
    XesInputLimits(InputStream in, LongSupplier compressedBytes) {
        super(in);
        this.compressedBytes = compressedBytes;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            markup((byte) b);
            expanded(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        for (int i = offset; i < offset + n; i++) {
            markup(buffer[i]);
        }
        if (n > 0) {
            expanded(n);
        }
        return n;
    }

    private void markup(byte b) throws LimitExceeded {
        if (b == '<') {
            sinceTag = 0;
        } else if (++sinceTag > MAX_MARKUP) {
            throw new LimitExceeded("an element, attribute value, text or comment is longer than " + MAX_MARKUP
                    + " bytes");
        }
    }

    private void expanded(int n) throws LimitExceeded {
        decoded += n;
        if (compressedBytes != null && decoded > EXPANSION_FLOOR
                && decoded > MAX_EXPANSION * Math.max(1, compressedBytes.getAsLong())) {
            throw new LimitExceeded("the compressed log expands more than " + MAX_EXPANSION
                    + " times (a decompression bomb?)");
        }
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes are not inspected: read them instead.
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        int read = read(buffer, 0, buffer.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
