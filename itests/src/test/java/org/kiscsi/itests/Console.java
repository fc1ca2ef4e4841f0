package org.kiscsi.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.karaf.shell.support.parsing.CommandLineImpl;

/**
 * Inside the container: Karaf's console as a user with given roles runs it (the command ACLs apply),
 * and the distribution's own bin/iscsiadm beside it, both giving what they printed on standard
 * output and standard error and their exit code.
 */
final class Console {
    /** What a command printed and how it ended: a failed iscsi:* command ends with iscsiadm's exit code. */
    record Ran(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + ", stdout:\n" + stdout + "stderr:\n" + stderr;
        }
    }

    private final SessionFactory factory;
    private final String[] roles;

    Console(SessionFactory factory, String... roles) {
        this.factory = factory;
        this.roles = roles;
    }

    private Subject subject() {
        Subject s = new Subject();
        s.getPrincipals().add(new UserPrincipal("itest"));
        for (String r : roles) {
            s.getPrincipals().add(new RolePrincipal(r));
        }
        return s;
    }

    /**
     * Runs a console command; an {@code iscsi:*} failure gives its iscsiadm stderr and exit code,
     * any other exception (refused by an ACL, unknown command) is thrown.
     */
    Ran run(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Session session = factory.create(new ByteArrayInputStream(new byte[0]), o, e);
        try {
            Subject.doAs(subject(), (PrivilegedExceptionAction<Object>) () -> session.execute(command));
            o.flush();
            e.flush();
            return new Ran(0, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (java.security.PrivilegedActionException pae) {
            Exception x = pae.getException();
            if (x.getClass().getSimpleName().equals("IscsiadmFailure") || x.getClass().getSimpleName().equals("LunToolFailure")) {
                int code = (Integer) x.getClass().getMethod("exitCode").invoke(x);
                String stderr = (String) x.getClass().getMethod("stderr").invoke(x);
                return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8) + stderr);
            }
            throw x;
        } finally {
            session.close();
        }
    }

    /** The candidates the command's completer offers for the last word of {@code line} (complete up to its end). */
    List<String> complete(String line) throws Exception {
        List<String> words = new ArrayList<>(List.of(line.split(" ", -1)));
        String name = words.get(0);
        Session session = factory.create(new ByteArrayInputStream(new byte[0]), System.out, System.err);
        try {
            Command command = null;
            for (Command c : factory.getRegistry().getCommands()) {
                if ((c.getScope() + ":" + c.getName()).equals(name)) {
                    command = c;
                }
            }
            if (command == null) {
                throw new AssertionError("no command " + name);
            }
            String last = words.get(words.size() - 1);
            CommandLineImpl cl = new CommandLineImpl(words.toArray(new String[0]), words.size() - 1, last.length(), line.length(), line);
            List<String> candidates = new ArrayList<>();
            Command c = command;
            Subject.doAs(subject(), (PrivilegedExceptionAction<Object>) () -> c.getCompleter(true).complete(session, cl, candidates));
            List<String> trimmed = new ArrayList<>();
            for (String s : candidates) {
                trimmed.add(s.trim());
            }
            return trimmed;
        } finally {
            session.close();
        }
    }

    /** The distribution's bin/iscsiadm, run in its installation directory. */
    static Ran iscsiadm(String... args) throws Exception {
        return bin("iscsiadm", args);
    }

    /** A script of the distribution's bin/ (iscsiadm, kiscsi-inq, ...), run in its installation directory. */
    static Ran bin(String script, String... args) throws Exception {
        Path home = Path.of(System.getProperty("karaf.home"));
        List<String> cmd = new ArrayList<>(List.of("bash", home.resolve("bin").resolve(script).toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("iscsiadm-", ".out");
        Path err = Files.createTempFile("iscsiadm-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process p = pb.start();
            if (!p.waitFor(150, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(cmd + " did not end within 150 s");
            }
            return new Ran(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
