package dev.verdict.moderation.idempotency;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.contract.EventJson;
import dev.verdict.moderation.provenance.Provenance;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * For a command that carries an Idempotency-Key, stores its answer in the command's own transaction, after the
 * handler ran: the events and the record commit together or not at all. When the key was already recorded, the
 * command fails with {@link AlreadyAnswered} and its events are rolled back.
 */
public class IdempotencyInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    /** Metadata of a command sent with an Idempotency-Key (not inherited by its events). */
    public static final String REQUEST_HASH = "idempotencyRequestHash";
    public static final String RESPONSE = "idempotencyResponse";
    public static final String LOCATION = "idempotencyLocation";

    private final IdempotencyRecords records;

    public IdempotencyInterceptor(IdempotencyRecords records) {
        this.records = records;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        var meta = unitOfWork.getMessage().getMetaData();
        Object key = meta.get(Provenance.IDEMPOTENCY_KEY);
        Object result = chain.proceed();
        if (key != null && meta.get(REQUEST_HASH) != null) {
            ObjectNode response = (ObjectNode) EventJson.mapper().readTree(meta.get(RESPONSE).toString());
            if (result instanceof Number version) {
                response.put("version", version.longValue());
            }
            String principal = meta.get(Provenance.ACTOR_ID).toString();
            if (!records.insert(principal, key.toString(), meta.get(REQUEST_HASH).toString(), response.toString(),
                    meta.get(LOCATION).toString())) {
                throw new AlreadyAnswered();
            }
        }
        return result;
    }

    /** The key was recorded by an earlier request; this command's effects are rolled back. */
    public static final class AlreadyAnswered extends RuntimeException {
        AlreadyAnswered() {
            super("an earlier request with this Idempotency-Key was answered", null, false, false);
        }
    }
}
