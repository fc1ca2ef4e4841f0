package org.kiscsi.iscsid.internal.manage;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.DaemonStatus;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.LunService;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.spi.discovery.DiscoveryProvider;
import org.kiscsi.spi.store.NodeStore;

/**
 * What the management service needs from the daemon, asked afresh on every call: providers come
 * and go while it runs.
 *
 * @param store the node store open now
 * @param engine the session engine, if installed
 * @param luns the SCSI layer's LUN service, if installed
 * @param discovery the discovery method installed for each type, if any
 * @param transports names of the transports installed now
 * @param nodeDefaults iscsid.conf's {@code node.*} values for new node records
 * @param discoveryDefaults iscsid.conf's {@code discovery.*} values for new discovery records
 * @param initiatorName the initiator name, or empty
 * @param status what {@code iscsiadm -m daemon} shows
 * @param storeRoot where the store keeps its records (for messages)
 * @param workers where store calls run: never the caller's thread, never an I/O thread
 */
public record ManageContext(Supplier<Optional<NodeStore>> store, Supplier<Optional<SessionManager>> engine,
        Supplier<Optional<LunService>> luns, Function<DiscoveryType, Optional<DiscoveryProvider>> discovery,
        Supplier<Set<String>> transports, Supplier<RecordValues> nodeDefaults,
        Function<DiscoveryType, RecordValues> discoveryDefaults, Supplier<String> initiatorName,
        Supplier<DaemonStatus> status, Path storeRoot, Executor workers) {

    NodeStore requireStore() {
        return store.get().orElseThrow(() -> new IscsiException(IscsiError.IDBM,
                "the node store is not available (see iscsiadm -m daemon: node_store.state)"));
    }

    SessionManager requireEngine(String what) {
        return engine.get().orElseThrow(() -> new IscsiException(IscsiError.OP_NOT_SUPP,
                what + ": no session engine installed"));
    }
}
