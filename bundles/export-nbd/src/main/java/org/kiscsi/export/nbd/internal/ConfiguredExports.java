package org.kiscsi.export.nbd.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.export.ExportSpec;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Writes exports into the service's configuration through Config Admin, as {@code config:property-set}
 * does: Karaf's file installer writes the change back into {@code etc/org.kiscsi.export.nbd.cfg} (its
 * comments kept), so the export is there again after a restart. The change comes back to the component
 * as a modified configuration.
 */
final class ConfiguredExports {
    static final String PID = "org.kiscsi.export.nbd";

    private ConfiguredExports() {
    }

    /** Adds or replaces {@code export.<name>}. */
    static void keep(ConfigurationAdmin admin, ExportSpec spec) {
        change(admin, spec.name(), ExportLines.format(spec), "keep export '" + spec.name() + "'");
    }

    /** Removes {@code export.<name>}; nothing when it is not there. */
    static void forget(ConfigurationAdmin admin, String name) {
        change(admin, name, null, "remove export '" + name + "'");
    }

    private static void change(ConfigurationAdmin admin, String name, String line, String what) {
        if (admin == null) {
            throw new IscsiException(IscsiError.IDBM, "cannot " + what + " in the configuration (" + PID
                    + "): no Config Admin service" + (line == null ? "" : "; add it for this run only (nonpersistent)"));
        }
        try {
            Configuration c = admin.getConfiguration(PID, "?");
            Dictionary<String, Object> props = c.getProperties();
            if (props == null) {
                props = new Hashtable<>();
            }
            String key = ExportLines.PREFIX + name;
            if (line == null) {
                if (props.get(key) == null) {
                    return;
                }
                props.remove(key);
            } else {
                props.put(key, line);
            }
            c.update(props);
        } catch (IOException | RuntimeException e) {
            throw new IscsiException(IscsiError.IDBM, "cannot " + what + " in the configuration (" + PID + "): " + e.getMessage());
        }
    }
}
