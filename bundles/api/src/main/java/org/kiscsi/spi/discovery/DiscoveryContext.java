package org.kiscsi.spi.discovery;

import java.time.Duration;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.session.SessionManager;

/**
 * What a discovery method gets from the host that runs it.
 *
 * @param initiatorName this initiator's name
 * @param sessions the session engine, for discovery methods that need a discovery session
 * @param timeout how long the whole discovery may take
 */
public record DiscoveryContext(IscsiName initiatorName, SessionManager sessions, Duration timeout) {
}
