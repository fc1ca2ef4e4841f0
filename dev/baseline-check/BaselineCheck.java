import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.Baseline.Info;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import aQute.bnd.service.diff.Delta;

/**
 * bnd's semantic-version check of one bundle's exported packages against the same bundle built from
 * the baseline commit (baseline.commit; dev/baseline builds and caches its jars). Run by every
 * bundle module in verify. Fails when the baseline is missing, when an exported package changed
 * without the version bump its change needs, or when an exported package disappeared.
 *
 * <p>Arguments: the bundle jar, its artifactId, the file naming the baseline commit, the cache of
 * baselines (one directory per commit), the module's packaging (a pom has nothing to check).
 */
public final class BaselineCheck {
    public static void main(String[] args) throws Exception {
        if (args.length > 4 && args[4].equals("pom")) {
            return;
        }
        Path jarFile = Path.of(args[0]);
        String artifact = args[1];
        Path commitFile = Path.of(args[2]);
        if (!Files.isRegularFile(commitFile)) {
            fail(commitFile + " is missing: it names the commit whose exported packages this build is checked against");
        }
        String commit = Files.readString(commitFile).strip();
        if (!commit.matches("[0-9a-f]{40}")) {
            fail(commitFile + " must hold one full commit hash, not '" + commit + "'");
        }
        Path dir = Path.of(args[3]).resolve(commit);
        Path complete = dir.resolve("complete");
        if (!Files.isRegularFile(complete)) {
            fail("no baseline for commit " + commit + " in " + dir + ": run dev/baseline (dev/test and dev/run do) first");
        }
        Path old = dir.resolve(artifact + ".jar");
        List<String> built = Files.readAllLines(complete);
        try (Jar newer = new Jar(jarFile.toFile())) {
            String exports = newer.getManifest().getMainAttributes().getValue("Export-Package");
            if (exports == null || exports.isBlank()) {
                System.out.println("[baseline] " + artifact + ": exports nothing");
                return;
            }
            if (!built.contains(artifact)) {
                System.out.println("[baseline] " + artifact + ": new since " + shortHash(commit) + ", all its packages are new");
                return;
            }
            if (!Files.isRegularFile(old)) {
                fail("the baseline of " + artifact + " (" + old + ") is missing although " + complete + " lists it: remove "
                        + dir + " and run dev/baseline again");
            }
            try (Processor reporter = new Processor(); Jar older = new Jar(old.toFile())) {
                Set<Info> infos = new Baseline(reporter, new DiffPluginImpl()).baseline(newer, older, null);
                int bad = 0;
                for (Info i : infos) {
                    Delta d = i.packageDiff.getDelta();
                    boolean removed = d == Delta.REMOVED;
                    if (removed) {
                        Optional<Path> home = movedTo(commitFile.getParent(), jarFile, i.packageName);
                        if (home.isPresent()) {
                            bad += checkMoved(home.get(), older, i.packageName, artifact, commit);
                            continue;
                        }
                    }
                    if (i.mismatch || removed) {
                        bad++;
                        System.out.println("[baseline] ERROR " + artifact + ": package " + i.packageName + " has a " + d
                                + " change against " + shortHash(commit) + (removed ? ": it is no longer exported"
                                : ": version " + i.newerVersion + " must be at least " + i.suggestedVersion)
                                + (i.reason == null ? "" : " (" + i.reason.strip().replace('\n', ';') + ")"));
                    } else if (d != Delta.UNCHANGED) {
                        System.out.println("[baseline] " + artifact + ": " + i.packageName + " " + d + " change, "
                                + i.olderVersion + " -> " + i.newerVersion);
                    }
                }
                for (String e : reporter.getErrors()) {
                    System.out.println("[baseline] ERROR " + artifact + ": " + e);
                    bad++;
                }
                if (bad > 0) {
                    fail(bad + " exported package(s) of " + artifact + " break their version against baseline " + shortHash(commit));
                }
                System.out.println("[baseline] " + artifact + ": " + infos.size() + " exported package(s) checked against "
                        + shortHash(commit));
            }
        }
    }

    /**
     * The reactor module jar that exports {@code pkg} now, if it moved there from this one: a package
     * may change bundles (the bundle is not its identity), but not lose its version line.
     */
    private static Optional<Path> movedTo(Path root, Path self, String pkg) throws Exception {
        List<Path> jars;
        try (Stream<Path> s = Files.find(root.resolve("bundles"), 3, (p, a) -> p.getParent().getFileName().toString().equals("target")
                && p.getFileName().toString().endsWith(".jar") && !p.getFileName().toString().endsWith("-sources.jar")
                && !p.getFileName().toString().endsWith("-tests.jar") && !p.equals(self))) {
            jars = s.toList();
        }
        for (Path j : jars) {
            try (Jar jar = new Jar(j.toFile())) {
                String exports = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Export-Package");
                if (exports != null && new aQute.bnd.header.Parameters(exports).containsKey(pkg)) {
                    return Optional.of(j);
                }
            }
        }
        return Optional.empty();
    }

    /** A moved package is checked in its new bundle against the old one's baseline. */
    private static int checkMoved(Path home, Jar older, String pkg, String artifact, String commit) throws Exception {
        try (Processor reporter = new Processor(); Jar newer = new Jar(home.toFile())) {
            for (Info i : new Baseline(reporter, new DiffPluginImpl()).baseline(newer, older, new aQute.bnd.osgi.Instructions(pkg))) {
                if (!i.packageName.equals(pkg)) {
                    continue;
                }
                if (i.mismatch || i.packageDiff.getDelta() == Delta.REMOVED) {
                    System.out.println("[baseline] ERROR " + artifact + ": package " + pkg + " moved to " + home.getFileName()
                            + " with a " + i.packageDiff.getDelta() + " change against " + shortHash(commit) + ": version "
                            + i.newerVersion + " must be at least " + i.suggestedVersion);
                    return 1;
                }
                System.out.println("[baseline] " + artifact + ": " + pkg + " moved to " + home.getFileName() + ", "
                        + i.packageDiff.getDelta() + " change, " + i.olderVersion + " -> " + i.newerVersion);
                return 0;
            }
        }
        return 0;
    }

    private static String shortHash(String commit) {
        return commit.length() > 10 ? commit.substring(0, 10) : commit;
    }

    private static void fail(String message) {
        System.err.println("[baseline] " + message);
        System.exit(1);
    }
}
