package dev.verdict.contract.events;

import java.time.Instant;
import java.util.List;

/**
 * The advertiser (or a moderator on its behalf, see the envelope's {@code onBehalfOf}) appealed a decision.
 *
 * <p>Version 2. Version 1 called {@code evidence} {@code attachments}; {@link EventUpcasters} reads it as version 2.
 *
 * @param evidence what the appellant submits with the appeal (the same shape as a decision's evidence)
 * @param deadline the end of the appeal window that this filing met
 */
public record AppealFiled(String appealId, String decisionId, String statement, List<Evidence> evidence,
                          Instant deadline) implements AdvertiserEvent {
}
