package dev.sluice.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.progress.ProgressPublisher;
import dev.sluice.progress.ProgressSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How one event loop's watchers of a feed get its events: the same encoded bytes for all, in order,
 * a slow connection caught up when it drains, and one too far behind closed rather than skipped.
 * Plain JUnit on the loop's own methods (one thread plays the event loop).
 */
class EventFanOutTest {
    private static final UUID JOB = UUID.randomUUID();
    private Vertx vertx;
    private FeedLoop loop;
    private long frames;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ObjectMapper json = new ObjectMapper();
        ImportEvents events = new ImportEvents(
                null,
                new ProgressPublisher(null, null, json, meters),
                null,
                Duration.ofSeconds(15),
                Duration.ofSeconds(2),
                meters);
        loop = new FeedLoop(vertx.getOrCreateContext(), new EventFeed(JOB, events));
    }

    @AfterEach
    void tearDown() {
        vertx.close();
    }

    /** A connection that records what it is sent and can be made to refuse more. */
    static final class Sink implements EventSink {
        final List<Buffer> sent = new ArrayList<>();
        boolean full;
        boolean ended;
        boolean closed;
        boolean opened;
        Runnable drained;

        @Override
        public void open() {
            opened = true;
        }

        @Override
        public boolean writeQueueFull() {
            return full;
        }

        @Override
        public void send(Buffer frame) {
            sent.add(frame);
        }

        @Override
        public void finish(Buffer frame) {
            sent.add(frame);
            ended = true;
        }

        @Override
        public void fail(Throwable e) {
            closed = true;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public boolean closed() {
            return closed;
        }

        @Override
        public void handlers(Runnable drained, Runnable gone) {
            this.drained = drained;
        }

        List<Long> ids() {
            return sent.stream()
                    .map(b -> b.toString(StandardCharsets.UTF_8))
                    .map(s -> Long.parseLong(s.substring(3, s.indexOf('\n'))))
                    .toList();
        }
    }

    private Frame frame(String name, long id, long runnerSeq) {
        ProgressSnapshot s = new ProgressSnapshot(
                id,
                JOB,
                "end".equals(name) ? "completed" : "running",
                "write",
                0,
                id * 10,
                1000L,
                id,
                id,
                0,
                0,
                0,
                0,
                10.0,
                5L,
                null);
        ImportEvents.Item item = new ImportEvents.Item(name, id, s, runnerSeq);
        return new Frame(frames++, item, SseFrames.event(name, id, "{\"seq\":" + id + "}"));
    }

    private Sink watch(long lastEventId) {
        Sink sink = new Sink();
        loop.add(new Watcher(sink, lastEventId), null);
        return sink;
    }

    @Test
    void everyWatcherIsWrittenTheVeryBytesEncodedOnceForTheEvent() {
        Sink a = watch(0), b = watch(0);
        Frame f = frame("progress", 1, 1);
        loop.onFrame(f);
        assertThat(a.sent).hasSize(1);
        assertThat(a.sent.getFirst()).isSameAs(f.bytes());
        assertThat(b.sent.getFirst()).isSameAs(f.bytes());
        assertThat(f.bytes().toString(StandardCharsets.UTF_8))
                .isEqualTo("id:1\nevent:progress\nretry:3000\ndata:{\"seq\":1}\n\n");
    }

    @Test
    void aLateWatcherStartsFromTheCurrentEventThenGetsEveryOneAfterIt() {
        loop.onFrame(frame("progress", 1, 1));
        loop.onFrame(frame("progress", 2, 2));
        Sink late = watch(0);
        loop.onFrame(frame("progress", 3, 3));
        loop.onFrame(frame("end", 4, 4));
        assertThat(late.ids()).containsExactly(2L, 3L, 4L);
        assertThat(late.ended).isTrue();
    }

    @Test
    void aWatcherWhoseConnectionIsFullCatchesUpInOrderWhenItDrains() {
        Sink slow = watch(0), fast = watch(0);
        loop.onFrame(frame("progress", 1, 1));
        slow.full = true;
        for (long id = 2; id <= 10; id++) loop.onFrame(frame("progress", id, id));
        assertThat(slow.ids()).containsExactly(1L);
        slow.full = false;
        slow.drained.run();
        assertThat(slow.ids()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(fast.ids()).isEqualTo(slow.ids());
        assertThat(slow.closed).isFalse();
    }

    @Test
    void aWatcherMoreEventsBehindThanTheLimitIsClosedNotSkippedAhead() {
        Sink stuck = watch(0), fine = watch(0);
        loop.onFrame(frame("progress", 1, 1));
        stuck.full = true;
        for (long id = 2; id <= FeedLoop.BEHIND_LIMIT + 1; id++) loop.onFrame(frame("progress", id, id));
        assertThat(stuck.closed).as("still within the limit").isFalse();
        loop.onFrame(frame("progress", FeedLoop.BEHIND_LIMIT + 2, FeedLoop.BEHIND_LIMIT + 2));
        assertThat(stuck.closed).isTrue();
        assertThat(stuck.ids())
                .as("nothing after the first: no gap inside the stream")
                .containsExactly(1L);
        assertThat(fine.ids()).hasSize(FeedLoop.BEHIND_LIMIT + 2);
        assertThat(loop.isEmpty()).isFalse();
    }

    @Test
    void aResumingWatcherIsNotSentTheRunnersSnapshotItHasAndGetsItsOwnCopyAboveItsIdOnlyWhenNeeded() {
        loop.onFrame(frame("progress", 5, 5));
        Sink resumed = watch(5);
        assertThat(resumed.sent).as("it has 5").isEmpty();
        assertThat(resumed.opened).as("but the stream is open").isTrue();
        Frame six = frame("progress", 6, 6);
        loop.onFrame(six);
        assertThat(resumed.sent).containsExactly(six.bytes());

        // From another replica's numbering: the feed's current event is below what the client has.
        Sink ahead = watch(9);
        Frame seven = frame("progress", 7, 0); // a database snapshot: no runner's number
        loop.onFrame(seven);
        Frame eight = frame("progress", 8, 8);
        loop.onFrame(eight);
        assertThat(ahead.ids())
                .as("6 skipped (it has it), then its own numbers")
                .containsExactly(10L, 11L);
        assertThat(ahead.sent.get(1)).as("its own copy").isNotSameAs(eight.bytes());
        assertThat(ahead.sent.get(1).toString(StandardCharsets.UTF_8)).contains("\"seq\":11");
        Frame twelve = frame("progress", 12, 12);
        loop.onFrame(twelve);
        assertThat(ahead.sent.getLast())
                .as("shared again once the feed is above it")
                .isSameAs(twelve.bytes());
    }

    @Test
    void aFeedRaisedAboveAResumingClientStillSendsItsCurrentSnapshotAndNumbersAboveTheClient() {
        var e = new ImportEvents.Emitter(0);
        e.raise(40);
        ProgressSnapshot runner =
                new ProgressSnapshot(7, JOB, "running", "write", 0, 70, 1000L, 7, 7, 0, 0, 0, 0, 10.0, 5L, null);
        List<ImportEvents.Item> first = e.published(runner);
        assertThat(first).hasSize(1);
        assertThat(first.getFirst().id()).isEqualTo(41);
        assertThat(first.getFirst().data().seq()).isEqualTo(41);
        assertThat(first.getFirst().runnerSeq())
                .as("the runner's own number, for resuming clients")
                .isEqualTo(7);
    }
}
