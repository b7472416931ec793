package io.github.eventsstats.platform;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every log line of the process while open, as "LEVEL message thrown": for the tests that check what
 * is logged, and what never is (a token).
 */
public final class CapturedLogs extends ExtHandler implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CapturedLogs() {
    }

    public static CapturedLogs start() {
        CapturedLogs logs = new CapturedLogs();
        LogContext.getLogContext().getLogger("").addHandler(logs);
        return logs;
    }

    @Override
    protected void doPublish(ExtLogRecord record) {
        lines.add(record.getLevel() + " " + record.getFormattedMessage() + " " + record.getThrown());
    }

    public List<String> lines() {
        return new ArrayList<>(lines);
    }

    @Override
    public void close() {
        LogContext.getLogContext().getLogger("").removeHandler(this);
    }
}
