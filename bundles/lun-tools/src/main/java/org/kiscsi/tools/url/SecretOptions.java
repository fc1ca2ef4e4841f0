package org.kiscsi.tools.url;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where CHAP secrets come from besides the URL and libiscsi's environment variables: a file (first line)
 * or a prompt, which keep them out of shell history and {@code /proc/PID/cmdline}.
 *
 * @param passwordFile the initiator's CHAP secret, or null
 * @param targetPasswordFile the target's secret for mutual CHAP, or null
 * @param prompt ask for the secrets (of the users the URL or the environment names) on the terminal
 * @param prompter how to ask; null when {@code prompt} is false
 */
public record SecretOptions(Path passwordFile, Path targetPasswordFile, boolean prompt, Prompter prompter) {
    public static final SecretOptions NONE = new SecretOptions(null, null, false, null);

    /** Reads a secret without echo, e.g. from {@link java.io.Console#readPassword}. */
    @FunctionalInterface
    public interface Prompter {
        /** The secret typed, or null when there is no terminal to ask on. */
        char[] ask(String question);
    }

    public SecretOptions {
        if (prompt && prompter == null) {
            throw new IllegalArgumentException("a prompt needs a prompter");
        }
    }

    boolean givesInitiatorSecret() {
        return passwordFile != null || prompt;
    }

    String initiatorSecret(String user) {
        return passwordFile != null ? readFile(passwordFile, "--password-file") : ask("CHAP password of user " + user + ": ");
    }

    boolean givesTargetSecret() {
        return targetPasswordFile != null || prompt;
    }

    String targetSecret(String user) {
        return targetPasswordFile != null ? readFile(targetPasswordFile, "--target-password-file")
                : ask("CHAP password of target user " + user + " (mutual CHAP): ");
    }

    private String ask(String question) {
        char[] typed = prompter.ask(question);
        if (typed == null) {
            throw new UrlException("--password-prompt: no terminal to ask on (give the secret in a file with --password-file)");
        }
        return new String(typed);
    }

    /** The file's first line, without its line end. The message names the file, never its contents. */
    static String readFile(Path file, String option) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UrlException(option + " " + file + ": cannot read it (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new UrlException(option + " " + file + ": the first line is empty, it should hold the secret");
        }
        return lines.get(0);
    }
}
