package org.kiscsi.iscsid.internal.conf;

/**
 * Something worth saying about a config file: {@code file:line: text}. Never holds a value that
 * could be a secret.
 */
public record ConfMessage(Level level, String text) {
    public enum Level { INFO, WARNING }

    @Override
    public String toString() {
        return level + " " + text;
    }
}
