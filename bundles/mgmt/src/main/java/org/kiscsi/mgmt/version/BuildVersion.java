package org.kiscsi.mgmt.version;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of this kiscsi build, as the daemon, its launcher and the command-line tools print it
 * ({@code -v}). Stamped once, by the build, into {@code version.properties} beside this class.
 */
public final class BuildVersion {
    private static final String VERSION = read();

    private BuildVersion() {
    }

    /** The build's version (e.g. {@code 0.1.0-SNAPSHOT}); {@code unknown} when the stamp is missing. */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
