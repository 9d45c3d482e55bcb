package dev.sluice.spreadsheet;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamReader;

/**
 * The first items of the shared-strings table, in memory, read only as far as lookups need: for
 * checking a header or previewing the first rows, which refer to the first strings. A lookup past
 * {@code maxItems} throws {@link TooFar} rather than read on.
 */
public final class PrefixSharedStrings implements SharedStrings {
    /** A lookup reached further into the table than a probe may read. */
    public static final class TooFar extends RuntimeException {
        TooFar() {
            super("shared string beyond the probe's reach", null, false, false);
        }
    }

    private final InputStream in;
    private final XMLStreamReader x;
    private final StringItems items;
    private final int maxItems;
    private final List<String> read = new ArrayList<>();
    private boolean ended;

    public PrefixSharedStrings(InputStream in, String part, int maxItems) {
        this.in = in;
        this.x = Xml.open(in, part);
        this.items = new StringItems(x, part);
        this.maxItems = maxItems;
    }

    @Override
    public String get(int index) {
        if (index < 0) return null;
        if (index >= maxItems) throw new TooFar();
        while (!ended && read.size() <= index) {
            String s = items.next();
            if (s == null) ended = true;
            else read.add(s);
        }
        return index < read.size() ? read.get(index) : null;
    }

    @Override
    public void close() {
        Xml.close(x);
        try {
            in.close();
        } catch (java.io.IOException ignored) {
            // nothing held
        }
    }
}
