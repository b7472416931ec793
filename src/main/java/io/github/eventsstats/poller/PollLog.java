package io.github.eventsstats.poller;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.RowBinary;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * `poller_polls`: the firehose poller's successful polls, from which coverage finds the stretches
 * it was not polling. Recording never stops the poller: while ClickHouse does not take a success,
 * it waits here (the newest {@value #MAX_PENDING}) and goes along with the next one.
 */
@ApplicationScoped
public class PollLog {

    private static final Logger LOG = Logger.getLogger(PollLog.class);
    static final int MAX_PENDING = 10_000;

    /** One success and the interval the poller kept then. */
    public record Poll(Instant at, Duration interval) {
    }

    private final ClickHouse clickHouse;
    private final Deque<Poll> pending = new ArrayDeque<>();
    private Instant last;

    PollLog(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** Records a success once, however often the same one is reported. */
    public synchronized void success(Instant at, Duration interval) {
        if (at == null || at.equals(last)) {
            return;
        }
        last = at;
        if (pending.size() == MAX_PENDING) {
            pending.removeFirst();
        }
        pending.addLast(new Poll(at, interval));
        List<Poll> rows = new ArrayList<>(pending);
        try {
            ClickHouse.await(clickHouse.reservedClient().insert("poller_polls", List.of("polled_at", "interval_seconds"),
                    out -> write(out, rows), ClickHouseFormat.RowBinary, new InsertSettings())).close();
            pending.clear();
        } catch (RuntimeException e) {
            LOG.debugf("poller_polls: %d successes wait for ClickHouse (%s)", pending.size(), e.getMessage());
        }
    }

    private static void write(OutputStream raw, List<Poll> rows) throws IOException {
        RowBinary out = new RowBinary(raw);
        for (Poll p : rows) {
            out.uint64(p.at().toEpochMilli());
            out.uint32(p.interval().toSeconds());
        }
        out.flush();
    }

    /** Successes in [from, to), in time order. */
    public List<Poll> between(Instant from, Instant to) {
        List<Poll> polls = new ArrayList<>();
        for (var r : clickHouse.query("""
                SELECT toUnixTimestamp64Milli(polled_at) AS at, interval_seconds FROM poller_polls FINAL
                WHERE polled_at >= {from:DateTime64(3, 'UTC')} AND polled_at < {to:DateTime64(3, 'UTC')}
                ORDER BY polled_at""", Map.of("from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to)))) {
            polls.add(new Poll(Instant.ofEpochMilli(r.getLong("at")), Duration.ofSeconds(r.getLong("interval_seconds"))));
        }
        return polls;
    }
}
