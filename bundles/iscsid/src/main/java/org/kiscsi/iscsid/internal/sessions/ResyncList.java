package org.kiscsi.iscsid.internal.sessions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionListener;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.iscsid.internal.files.FileModes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions that were logged in, kept in a 0600 file so that a daemon that stopped (or died)
 * logs them in again when it starts: kiscsi's equivalent of iscsid syncing the sessions it finds in
 * the kernel. One line per session, {@code <target> <portal,tpgt> <iface> <isid-hex>}: a record
 * with {@code node.session.nr_sessions} above 1 has a line for each of its sessions. Lines of older
 * lists without the ISID still load ({@link ResyncEntry}).
 *
 * <p>Listens to the session engine: a normal session that reaches LOGGED_IN is added, one that is
 * CLOSED is removed, and every other state leaves the list as it is (a session in recovery is still
 * a session to re-establish). At shutdown the list is {@link #freeze() frozen} before the sessions
 * are logged out, so it still holds them for the next start.
 */
public final class ResyncList implements SessionListener {
    private static final Logger LOG = LoggerFactory.getLogger(ResyncList.class);

    private final Path file;
    private final Executor writer;
    private final Set<ResyncEntry> entries = new LinkedHashSet<>();
    private boolean frozen;

    /** @param writer where the file is written (the daemon's timer thread): listeners must not block */
    public ResyncList(Path file, Executor writer) {
        this.file = file;
        this.writer = writer;
    }

    /** Reads the file; lines that do not parse are logged (file and line) and dropped. */
    public synchronized List<ResyncEntry> load() {
        entries.clear();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            LOG.warn("re-sync list {} cannot be read: {}; no session will be re-established", file, e.toString());
            return List.of();
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                entries.add(ResyncEntry.parse(line));
            } catch (IscsiException | IllegalArgumentException e) {
                LOG.warn("{}:{}: skipped ({})", file, i + 1, e.getMessage());
            }
        }
        return new ArrayList<>(entries);
    }

    public synchronized List<ResyncEntry> entries() {
        return new ArrayList<>(entries);
    }

    /** The records of the list, each once, in the order of their first entry. */
    public synchronized List<NodeKey> keys() {
        Set<NodeKey> keys = new LinkedHashSet<>();
        entries.forEach(e -> keys.add(e.node()));
        return new ArrayList<>(keys);
    }

    /** Forgets every entry of a record (it no longer exists). */
    public void remove(NodeKey key) {
        boolean changed;
        synchronized (this) {
            changed = !frozen && entries.removeIf(e -> e.node().equals(key));
        }
        if (changed) {
            writer.execute(this::save);
        }
    }

    @Override
    public void stateChanged(SessionInfo session, SessionState previous) {
        if (session.type() != SessionType.NORMAL) {
            return;
        }
        ResyncEntry entry = new ResyncEntry(session.node(), session.isid());
        // an entry of an older list stood for this record's sessions: the session's own entry replaces it
        ResyncEntry older = ResyncEntry.withoutIsid(session.node());
        boolean changed;
        synchronized (this) {
            if (frozen) {
                return;
            }
            if (session.state() == SessionState.LOGGED_IN) {
                changed = entries.remove(older) | entries.add(entry);
            } else if (session.state() == SessionState.CLOSED) {
                changed = entries.remove(older) | entries.remove(entry);
            } else {
                changed = false;
            }
        }
        if (changed) {
            writer.execute(this::save);
        }
    }

    /** From now on the list no longer follows the sessions (they are about to be logged out at shutdown). */
    public synchronized void freeze() {
        frozen = true;
    }

    /** Writes the list (0600, atomically). */
    public void save() {
        StringBuilder b = new StringBuilder("# kiscsi iscsid: sessions to re-establish at start-up (written by the daemon)\n");
        synchronized (this) {
            for (ResyncEntry e : entries) {
                b.append(e.format()).append('\n');
            }
        }
        try {
            FileModes.writeAtomically(file, b.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("re-sync list {} cannot be written: {}", file, e.toString());
        }
    }

    public Path file() {
        return file;
    }
}
