package org.kiscsi.iscsid.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the daemon needs to know before it starts, resolved: flags over Config Admin over
 * defaults, paths made absolute against the installation.
 */
public record DaemonSettings(String version, Path configFile, Path initiatorNameFile, Path socket, String storeName,
        Path resyncFile, RunFlags flags, Duration requestTimeout, Duration shutdownLogoutTimeout,
        Duration discoveryTimeout) {

    /** The node database lives beside iscsid.conf, as open-iscsi's beside /etc/iscsi/iscsid.conf. */
    public Path storeRoot() {
        Path parent = configFile.toAbsolutePath().getParent();
        return parent != null ? parent : configFile.toAbsolutePath().getRoot();
    }

    /**
     * The settings (Config Admin names) that differ in {@code next} and that a running daemon only
     * takes up when it starts again; {@code node.store} is not among them (it is swapped live).
     */
    public List<String> restartOnlyChanges(DaemonSettings next) {
        List<String> changed = new ArrayList<>();
        note(changed, "socket", socket, next.socket);
        note(changed, "config.file", configFile, next.configFile);
        note(changed, "initiatorname.file", initiatorNameFile, next.initiatorNameFile);
        note(changed, "resync.file", resyncFile, next.resyncFile);
        note(changed, "request.timeout", requestTimeout, next.requestTimeout);
        note(changed, "shutdown.logout.timeout", shutdownLogoutTimeout, next.shutdownLogoutTimeout);
        note(changed, "discovery.timeout", discoveryTimeout, next.discoveryTimeout);
        return changed;
    }

    private static void note(List<String> changed, String key, Object now, Object next) {
        if (!Objects.equals(now, next)) {
            changed.add(key);
        }
    }

    /**
     * @param base karaf.base: relative configured paths resolve against it
     * @param etc karaf.etc
     * @param data karaf.data
     */
    public static DaemonSettings resolve(IscsidConfig cfg, RunFlags flags, Path base, Path etc, Path data, String version) {
        Path config = flags.config().orElseGet(() -> path(base, cfg.config_file(), etc.resolve("iscsi/iscsid.conf")));
        Path iname = flags.initiatorName().orElseGet(() -> path(base, cfg.initiatorname_file(),
                etc.resolve("iscsi/initiatorname.iscsi")));
        return new DaemonSettings(version, config.toAbsolutePath().normalize(), iname.toAbsolutePath().normalize(),
                path(base, cfg.socket(), base.resolve("run/iscsid.sock")), cfg.node_store().trim(),
                path(base, cfg.resync_file(), data.resolve("iscsid/sessions.resync")), flags,
                Duration.ofSeconds(Math.max(1, cfg.request_timeout())),
                Duration.ofSeconds(Math.max(0, cfg.shutdown_logout_timeout())),
                Duration.ofSeconds(Math.max(1, cfg.discovery_timeout())));
    }

    private static Path path(Path base, String configured, Path otherwise) {
        Path p = configured == null || configured.isBlank() ? otherwise : base.resolve(configured.trim());
        return p.toAbsolutePath().normalize();
    }
}
