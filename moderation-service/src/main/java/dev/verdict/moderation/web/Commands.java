package dev.verdict.moderation.web;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;

/** Sends a command with its provenance and waits for the outcome, surfacing the rejection the handler threw. */
@Component
public class Commands {

    private final CommandGateway gateway;

    public Commands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public <R> R send(Object command, MetaData metaData) {
        try {
            return gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).withMetaData(metaData));
        } catch (CommandExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
