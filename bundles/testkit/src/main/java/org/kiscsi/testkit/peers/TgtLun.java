package org.kiscsi.testkit.peers;

import java.nio.file.Path;
import java.util.Optional;

/** A LUN created on a tgtd target; {@code file} is its backing file, empty for the null store. */
public record TgtLun(int tid, String targetIqn, int lun, LunBacking backing, Optional<Path> file) {
}
