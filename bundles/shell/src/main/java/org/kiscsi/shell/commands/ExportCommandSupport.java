package org.kiscsi.shell.commands;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.export.ExportService;

/**
 * The {@code iscsi:export-*} commands: on the daemon's {@link ExportService} (they are there while the
 * NBD export runs). A refused operation ends the command as failed with the service's message.
 */
public abstract class ExportCommandSupport implements Action {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @Reference
    ExportService exports;

    /** The text to print. */
    protected abstract String run() throws CommandException;

    @Override
    public Object execute() throws Exception {
        String text;
        try {
            text = run();
        } catch (IscsiException e) {
            throw new CommandException(e.getMessage());
        }
        System.out.print(text);
        System.out.flush();
        return null;
    }

    <T> T await(CompletionStage<T> stage) throws CommandException {
        return IscsiCommandSupport.await(stage, REQUEST_TIMEOUT);
    }
}
