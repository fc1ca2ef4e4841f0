package org.kiscsi.testkit.peers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** isnsadm talking to one {@link Isnsd} through its own config file (server address, source name, no security). */
public final class Isnsadm {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Path config;

    Isnsadm(Path config) {
        this.config = config;
    }

    /** {@code --register entity=E portal=host:port target=iqn...} (DevAttrReg). */
    public void register(String entity, String portal, List<String> targets) {
        List<String> a = new ArrayList<>(List.of("--register", "entity=" + entity, "portal=" + portal));
        targets.forEach(t -> a.add("target=" + t));
        check(a);
    }

    /** {@code --list nodes|entities|portals|portal-groups|dds} (DevGetNext loop). */
    public List<IsnsObject> list(String type) {
        return IsnsObject.parse(check(List.of("--list", type)).stdout());
    }

    /** {@code --query attr=value}, e.g. {@code iscsi-name=iqn...} (DevAttrQry). */
    public List<IsnsObject> query(String attributeEqualsValue) {
        return IsnsObject.parse(check(List.of("--query", attributeEqualsValue)).stdout());
    }

    /** {@code --deregister attr=value} (DevDereg). */
    public void deregister(String attributeEqualsValue) {
        check(List.of("--deregister", attributeEqualsValue));
    }

    /** {@code isnsadm --config <ours> <args>}, whatever the exit code. */
    public CommandResult run(String... args) {
        return Commands.run(command(List.of(args)));
    }

    public Path configFile() {
        return config;
    }

    private CommandResult check(List<String> args) {
        return Commands.run(command(args)).requireSuccess("isnsadm " + String.join(" ", args));
    }

    private Command command(List<String> args) {
        List<String> a = new ArrayList<>(List.of("--config", config.toString()));
        a.addAll(args);
        return Command.of(Tool.ISNSADM.path(), a).withTimeout(TIMEOUT);
    }
}
