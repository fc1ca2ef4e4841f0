package org.kiscsi.discovery.sendtargets.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.discovery.DiscoveredTarget;

/**
 * A SendTargets answer as a target sends it (the Text Response's key=value text): either the
 * targets and portals it lists or an {@link IscsiException} naming the malformed text, nothing else.
 */
class SendTargetsAnswerFuzzTest {
    private static final Portal DISCOVERY = Portal.parse("192.0.2.10:3260");

    /**
     * Input: the answer's text, NUL-separated key=value pairs, handed over as the discovery session
     * hands it (decoded as UTF-8, split at the NULs, empty strings dropped).
     */
    @FuzzTest(maxDuration = "30s")
    void answer(byte[] input) {
        try {
            List<String> pairs = new ArrayList<>();
            for (String s : new String(input, StandardCharsets.UTF_8).split("\0")) {
                if (!s.isEmpty()) {
                    pairs.add(s);
                }
            }
            List<DiscoveredTarget> found = SendTargetsAnswer.parse(pairs, DISCOVERY);
            for (DiscoveredTarget t : found) {
                if (t.portals().isEmpty()) {
                    throw new AssertionError(t.name() + " listed without a portal");
                }
            }
        } catch (IscsiException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("refusal without a message", e);
            }
        }
    }
}
