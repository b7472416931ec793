package io.github.eventsstats.coverage;

import java.util.OptionalDouble;

/**
 * Chapman's capture–recapture estimate of a closed population from two samples: the firehose
 * poller and GH Archive each catch some of an hour's events, and the share of the archive's
 * events that the firehose caught too tells how many there were in all:
 * {@code N = (n1 + 1)(n2 + 1) / (m + 1) - 1}.
 *
 * <p>It assumes the two samples are independent, the hour's events are a fixed set (closed
 * population), and every event is as likely as any other to be caught by each sampler.
 */
public final class Chapman {

    private Chapman() {
    }

    /**
     * The estimate from {@code n1} and {@code n2} events caught by each sample and {@code m} by both;
     * empty without a recapture ({@code m = 0}), where the formula still answers but says nothing.
     */
    public static OptionalDouble estimate(long n1, long n2, long m) {
        if (n1 < 0 || n2 < 0 || m < 0 || m > Math.min(n1, n2)) {
            throw new IllegalArgumentException("need 0 <= m <= min(n1, n2); got n1=" + n1 + " n2=" + n2 + " m=" + m);
        }
        if (m == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((double) (n1 + 1) * (n2 + 1) / (m + 1) - 1);
    }
}
