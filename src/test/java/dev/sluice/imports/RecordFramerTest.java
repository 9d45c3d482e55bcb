package dev.sluice.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framer alone: record boundaries, line numbers and resume offsets, however the bytes arrive. */
class RecordFramerTest {

    private static List<RecordFramer.Chunk> frame(
            byte[] data, int perChunk, int pieceSize, long startOffset, long lines) {
        RecordFramer f = new RecordFramer(perChunk, 1 << 20, startOffset, lines, null);
        List<RecordFramer.Chunk> out = new ArrayList<>();
        for (int i = 0; i < data.length; i += pieceSize) {
            out.addAll(f.feed(ByteBuffer.wrap(Arrays.copyOfRange(data, i, Math.min(data.length, i + pieceSize)))));
        }
        out.addAll(f.finish());
        return out;
    }

    private static String text(List<RecordFramer.Chunk> chunks) {
        StringBuilder sb = new StringBuilder();
        chunks.forEach(c -> sb.append(new String(c.data(), StandardCharsets.UTF_8)));
        return sb.toString();
    }

    private static final String FILE = "sku,name\r\n"
            + "A,\"two\nlines\"\r\n"
            + "\r\n"
            + "B,\"say \"\"hi\"\", ok\"\r\n"
            + "C,\"Broken \"quote\",x\n"
            + "D,Über\n"
            + "E,last-without-newline";

    @Test
    void findsEveryRecordWithItsLineWhateverThePieceSize() {
        byte[] data = FILE.getBytes(StandardCharsets.UTF_8);
        for (int piece : new int[] {1, 2, 3, 7, 64, 4096}) {
            List<RecordFramer.Chunk> chunks = frame(data, 2, piece, 0, 0);
            long[] lines =
                    chunks.stream().flatMapToLong(c -> Arrays.stream(c.lines())).toArray();
            // header=1, A=2 (two physical lines), blank=4, B=5, C=6, D=7, E=8
            assertThat(lines).as("piece %d", piece).containsExactly(1, 2, 5, 6, 7, 8);
            assertThat(chunks.getLast().endOffset()).isEqualTo(data.length);
            assertThat(chunks.getLast().endLine()).isEqualTo(8);
            // Nothing lost or reordered (a blank line between chunks may be dropped: the parser skips it anyway).
            assertThat(text(chunks).replace("\r\n\r\n", "\r\n")).isEqualTo(FILE.replace("\r\n\r\n", "\r\n"));
        }
    }

    @Test
    void resumingAtAChunkEndGivesTheSameRecordsAsOneRun() {
        byte[] data = FILE.getBytes(StandardCharsets.UTF_8);
        List<RecordFramer.Chunk> all = frame(data, 2, 5, 0, 0);
        RecordFramer.Chunk first = all.getFirst();
        byte[] rest = Arrays.copyOfRange(data, (int) first.endOffset(), data.length);
        List<RecordFramer.Chunk> resumed = frame(rest, 2, 5, first.endOffset(), first.endLine());
        long[] lines =
                resumed.stream().flatMapToLong(c -> Arrays.stream(c.lines())).toArray();
        assertThat(lines).containsExactly(5, 6, 7, 8);
        assertThat(resumed.getLast().endOffset()).isEqualTo(data.length);
        assertThat((new String(first.data(), StandardCharsets.UTF_8) + text(resumed)).replace("\r\n\r\n", "\r\n"))
                .isEqualTo(FILE.replace("\r\n\r\n", "\r\n"));
    }

    @Test
    void aBomBelongsToNoRecordButCountsInOffsets() {
        byte[] body = "sku,name\nA,B\n".getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[body.length + 3];
        data[0] = (byte) 0xEF;
        data[1] = (byte) 0xBB;
        data[2] = (byte) 0xBF;
        System.arraycopy(body, 0, data, 3, body.length);
        List<RecordFramer.Chunk> chunks = frame(data, 10, 1, 0, 0);
        assertThat(text(chunks)).isEqualTo("sku,name\nA,B\n");
        assertThat(chunks.getLast().endOffset()).isEqualTo(data.length);
    }

    @Test
    void anUnclosedQuoteFailsOnceTheRecordIsTooLong() {
        RecordFramer f = new RecordFramer(10, 100, 0, 0, null);
        f.feed(ByteBuffer.wrap("sku,name\nA,\"never closed\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(f.inQuotes()).isTrue();
        assertThatThrownBy(() -> f.feed(ByteBuffer.wrap(new byte[200])))
                .isInstanceOf(ImportFailure.class)
                .hasMessageContaining("Line 2")
                .hasMessageContaining("never closed");
    }

    @Test
    void chunksHoldTheRequestedNumberOfRecords() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 25; i++) sb.append("S").append(i).append(",n\n");
        List<RecordFramer.Chunk> chunks = frame(sb.toString().getBytes(StandardCharsets.UTF_8), 10, 3, 0, 0);
        assertThat(chunks.stream().mapToInt(RecordFramer.Chunk::records).toArray())
                .containsExactly(10, 10, 5);
        assertThat(chunks.getLast().last()).isTrue();
    }
}
