package org.kiscsi.export.nbd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The exports a server offers, by name. The default export (the name "") is the export named "" or,
 * where there is exactly one export, that one, as qemu-nbd serves its only image under any empty name.
 */
final class Exports {
    private final Map<String, NbdExport> byName = new ConcurrentSkipListMap<>();

    void add(NbdExport e) {
        if (byName.putIfAbsent(e.name(), e) != null) {
            throw new IllegalArgumentException("an export named '" + e.name() + "' exists already");
        }
    }

    Optional<NbdExport> remove(String name) {
        return Optional.ofNullable(byName.remove(name));
    }

    Optional<NbdExport> find(String name) {
        NbdExport e = byName.get(name);
        if (e == null && name.isEmpty()) {
            List<NbdExport> all = list();
            if (all.size() == 1) {
                e = all.get(0);
            }
        }
        return Optional.ofNullable(e);
    }

    List<NbdExport> list() {
        return new ArrayList<>(byName.values());
    }
}
