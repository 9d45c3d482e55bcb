package dev.sluice.spreadsheet;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * One ZIP entry's bytes, inflated as they are read from a {@link RangeSource} stream that starts at
 * the entry's data: memory is the inflater's window and two buffers, whatever the entry's size.
 * Guards against ZIP bombs: past {@link XlsxLimits#maxInflated()} bytes, or past {@link
 * XlsxLimits#maxRatio()} times the compressed bytes read (beyond a floor), or past the size the
 * directory declares, reading fails. Blocking (network reads and inflation): worker threads only.
 * Errors surface as {@link XlsxException}, unchecked, so they pass through the XML parser unchanged.
 */
public final class EntryInput extends InputStream {
    private final ZipDirectory.Entry entry;
    private final XlsxLimits limits;
    private final InputStream raw;
    private final Inflater inflater;
    private final long dataStart;
    private final byte[] in = new byte[64 * 1024];
    private long compressedRead;
    private long inflated;
    private boolean closed;

    private EntryInput(ZipDirectory.Entry entry, XlsxLimits limits, InputStream raw, long dataStart) {
        this.entry = entry;
        this.limits = limits;
        this.raw = raw;
        this.dataStart = dataStart;
        this.inflater = entry.method() == 8 ? new Inflater(true) : null;
    }

    public static EntryInput open(RangeSource source, ZipDirectory.Entry entry, XlsxLimits limits) {
        if (entry.encrypted()) {
            throw new XlsxException("The workbook is password-protected (entry " + entry.name()
                    + " is encrypted): save it without a password and upload it again");
        }
        if (entry.method() != 0 && entry.method() != 8) {
            throw new XlsxException("The workbook uses a ZIP compression method Sluice can't read (" + entry.method()
                    + ", entry " + entry.name() + "): save it again as .xlsx");
        }
        byte[] local = source.read(entry.localHeaderOffset(), 30);
        if (local.length < 30 || ZipDirectory.int32(local, 0) != 0x04034b50) {
            throw ZipDirectory.corrupt("entry " + entry.name() + " is not where the directory says");
        }
        long dataStart =
                entry.localHeaderOffset() + 30 + ZipDirectory.uint16(local, 26) + ZipDirectory.uint16(local, 28);
        if (dataStart + entry.compressedSize() > source.size()) throw ZipDirectory.truncated();
        return new EntryInput(entry, limits, source.stream(dataStart, entry.compressedSize()), dataStart);
    }

    /** The file offset just after the compressed bytes consumed so far (a progress figure). */
    public long position() {
        return dataStart + compressedRead;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) return 0;
        try {
            int n = inflater == null ? readStored(b, off, len) : readDeflated(b, off, len);
            if (n > 0) count(n);
            return n;
        } catch (IOException e) {
            throw e instanceof EOFException ? ZipDirectory.truncated() : ZipDirectory.corrupt(e.getMessage());
        } catch (DataFormatException e) {
            throw ZipDirectory.corrupt("entry " + entry.name() + " does not inflate (" + e.getMessage() + ")");
        }
    }

    private int readStored(byte[] b, int off, int len) throws IOException {
        if (compressedRead >= entry.compressedSize()) return -1;
        int n = raw.read(b, off, (int) Math.min(len, entry.compressedSize() - compressedRead));
        if (n < 0) throw new EOFException();
        compressedRead += n;
        return n;
    }

    private int readDeflated(byte[] b, int off, int len) throws IOException, DataFormatException {
        while (true) {
            int n = inflater.inflate(b, off, len);
            if (n > 0) return n;
            if (inflater.finished()) return -1;
            if (inflater.needsDictionary()) throw new DataFormatException("a preset dictionary is needed");
            if (inflater.needsInput()) {
                if (compressedRead >= entry.compressedSize()) throw new EOFException();
                int r = raw.read(in, 0, (int) Math.min(in.length, entry.compressedSize() - compressedRead));
                if (r < 0) throw new EOFException();
                compressedRead += r;
                inflater.setInput(in, 0, r);
            }
        }
    }

    private void count(int n) {
        inflated += n;
        if (inflated > limits.maxInflated()) {
            throw bomb("inflates to more than " + limits.maxInflated() + " bytes");
        }
        if (entry.size() >= 0 && inflated > entry.size()) {
            throw bomb("inflates to more than the " + entry.size() + " bytes its directory declares");
        }
        if (inflated > limits.ratioFloor() && inflated > (double) limits.maxRatio() * Math.max(1, compressedRead)) {
            throw bomb("inflates more than " + limits.maxRatio() + " times its compressed size");
        }
    }

    private XlsxException bomb(String what) {
        return new XlsxException(
                "The workbook looks like a ZIP bomb and was not read: its part " + entry.name() + " " + what);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (inflater != null) inflater.end();
        try {
            raw.close();
        } catch (IOException ignored) {
            // the network stream is being dropped anyway
        }
    }
}
