package dev.sluice.spreadsheet;

import java.io.InputStream;

/**
 * Random access to a file that is not on this machine (an S3 object): a few bytes at an offset (a
 * ranged GET), or a stream of a byte range read as it is consumed. Calls block: use them on a
 * worker thread only.
 */
public interface RangeSource {
    long size();

    /** Exactly {@code length} bytes from {@code offset} (fewer only at the end of the file). */
    byte[] read(long offset, int length);

    /** The bytes from {@code offset} to {@code offset + length}, pulled from the network as they are read. */
    InputStream stream(long offset, long length);
}
