package dev.sluice.spreadsheet;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/** A file in memory as a {@link RangeSource}, counting the bytes each kind of read fetched. */
final class BytesSource implements RangeSource {
    final byte[] bytes;
    final AtomicLong ranged = new AtomicLong();
    final AtomicLong streamed = new AtomicLong();

    BytesSource(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public byte[] read(long offset, int length) {
        if (offset >= bytes.length) return new byte[0];
        byte[] out = Arrays.copyOfRange(bytes, (int) offset, (int) Math.min(bytes.length, offset + length));
        ranged.addAndGet(out.length);
        return out;
    }

    @Override
    public InputStream stream(long offset, long length) {
        int from = (int) offset, len = (int) Math.min(length, bytes.length - offset);
        streamed.addAndGet(len);
        return new ByteArrayInputStream(bytes, from, len);
    }
}
