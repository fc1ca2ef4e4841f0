package org.kiscsi.discovery.isns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** A registration is renewed every half period, and at least every 30 s (so a restarted server has us back within that). */
class IsnsWatchRefreshTest {
    @Test
    void halfThePeriodAtMostThirtySeconds() {
        assertEquals(Duration.ofSeconds(2), IsnsWatch.refreshAfter(4));
        assertEquals(Duration.ofMillis(500), IsnsWatch.refreshAfter(1));
        assertEquals(Duration.ofSeconds(30), IsnsWatch.refreshAfter(60));
        assertEquals(Duration.ofSeconds(30), IsnsWatch.refreshAfter(3600), "isnsd's default period");
        assertEquals(Duration.ofSeconds(30), IsnsWatch.refreshAfter(0), "no period granted");
    }
}
