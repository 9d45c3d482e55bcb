package dev.sluice.imports;

import dev.sluice.common.Bom;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a CSV byte stream into chunks of whole records, knowing the exact byte offset where each
 * chunk ends: that offset is the resume point of a checkpoint. Works on bytes, before decoding:
 * in UTF-8, Windows-1252 and every other ASCII-compatible charset the bytes for quote, delimiter,
 * CR and LF never occur inside a multi-byte character. A record ends at a LF outside quotes
 * ({@link CsvQuoteState}; CRLF works: the CR stays with the record for the parser). Blank records are skipped (the parser skips blank lines
 * too), so every record counted here is one row for the parser. Memory: one chunk plus one partial
 * record; a record longer than {@code maxRecordBytes} fails the stream instead of growing without bound.
 */
public final class RecordFramer {
    private static final byte LF = '\n', CR = '\r';

    private final int recordsPerChunk;
    private final int maxRecordBytes;
    private byte[] buf = new byte[64 * 1024];
    private int len; // bytes held
    private long bufferStartOffset; // file offset of buf[0]
    private final CsvQuoteState quotes;
    private long line; // physical lines (LFs) before `len`
    private int recordStart; // start of the record being scanned
    private long recordStartLine;
    private boolean bomChecked;
    private int dataStart; // where the next chunk's bytes start
    // Complete, non-blank records not yet cut: end offsets (in buf), start lines, and lines before each end.
    private int[] ends = new int[16];
    private long[] startLines = new long[16];
    private long[] endLines = new long[16];
    private int count;

    /** Starts at {@code startOffset} (0 or a checkpoint), with {@code linesBefore} physical lines before it. */
    public RecordFramer(
            int recordsPerChunk, int maxRecordBytes, long startOffset, long linesBefore, Character delimiter) {
        this.quotes = new CsvQuoteState(delimiter);
        this.recordsPerChunk = recordsPerChunk;
        this.maxRecordBytes = maxRecordBytes;
        this.bufferStartOffset = startOffset;
        this.line = linesBefore;
        this.recordStartLine = linesBefore;
        this.bomChecked = startOffset > 0;
    }

    /** Feeds bytes; returns the chunks they completed (often none). */
    public List<Chunk> feed(ByteBuffer bytes) {
        int n = bytes.remaining();
        ensureCapacity(len + n);
        int from = len;
        bytes.get(buf, len, n);
        len += n;
        if (!bomChecked) {
            if (len < 3) return List.of();
            bomChecked = true;
            if (Bom.startsWith(buf, len)) {
                recordStart = dataStart = Bom.LENGTH; // the BOM belongs to no record
                from = Math.max(from, Bom.LENGTH);
            }
        }
        for (int i = from; i < len; i++) {
            byte b = buf[i];
            if (b == LF) line++;
            if (quotes.step(b)) endRecord(i + 1);
        }
        if (len - recordStart > maxRecordBytes) {
            throw new ImportFailure("Line " + (recordStartLine + 1) + ": a record is longer than " + maxRecordBytes
                    + " bytes" + (quotes.inQuotes() ? " (probably a quote that is never closed)" : ""));
        }
        List<Chunk> out = new ArrayList<>(1);
        while (count >= recordsPerChunk) out.add(cut(recordsPerChunk, false));
        if (!out.isEmpty()) compact();
        return out;
    }

    /** End of input: the last record may lack a trailing newline. Returns the final chunks (possibly one empty). */
    public List<Chunk> finish() {
        bomChecked = true;
        if (recordStart < len) {
            line++; // the unterminated last line
            endRecord(len);
        }
        List<Chunk> out = new ArrayList<>(2);
        while (count > recordsPerChunk) out.add(cut(recordsPerChunk, false));
        out.add(cut(count, true));
        return out;
    }

    /** True when the input so far ends inside a quoted field. */
    public boolean inQuotes() {
        return quotes.inQuotes();
    }

    private void endRecord(int end) {
        if (!blank(recordStart, end)) {
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, count * 2);
                startLines = Arrays.copyOf(startLines, count * 2);
                endLines = Arrays.copyOf(endLines, count * 2);
            }
            ends[count] = end;
            startLines[count] = recordStartLine + 1;
            endLines[count] = line;
            count++;
        } else if (count == 0) {
            dataStart = end; // leading blank lines are not part of the next chunk
        }
        recordStart = end;
        recordStartLine = line;
    }

    private boolean blank(int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b != LF && b != CR && b != ' ' && b != '\t') return false;
        }
        return true;
    }

    /** Cuts the first k records into a chunk. */
    private Chunk cut(int k, boolean last) {
        int end = k == 0 ? dataStart : ends[k - 1];
        byte[] data = Arrays.copyOfRange(buf, dataStart, end);
        long[] lines = Arrays.copyOf(startLines, k);
        long endLine = k == 0 ? recordStartLine : endLines[k - 1];
        long endOffset = bufferStartOffset + end;
        if (last) {
            endOffset = bufferStartOffset + len;
            endLine = line;
        }
        System.arraycopy(ends, k, ends, 0, count - k);
        System.arraycopy(startLines, k, startLines, 0, count - k);
        System.arraycopy(endLines, k, endLines, 0, count - k);
        count -= k;
        dataStart = end;
        return new Chunk(data, lines, endOffset, endLine, last);
    }

    /** Drops bytes already handed out in chunks. */
    private void compact() {
        int shift = dataStart;
        if (shift == 0) return;
        System.arraycopy(buf, shift, buf, 0, len - shift);
        for (int i = 0; i < count; i++) ends[i] -= shift;
        len -= shift;
        recordStart -= shift;
        bufferStartOffset += shift;
        dataStart = 0;
    }

    private void ensureCapacity(int needed) {
        if (needed > buf.length) buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
    }

    /**
     * Whole records: {@code data} holds them (and any blank lines between them), {@code lines} the
     * 1-based file line where each starts, {@code endOffset} the file offset just after the last
     * one and {@code endLine} the physical lines before that offset.
     */
    public record Chunk(byte[] data, long[] lines, long endOffset, long endLine, boolean last) {
        public int records() {
            return lines.length;
        }
    }
}
