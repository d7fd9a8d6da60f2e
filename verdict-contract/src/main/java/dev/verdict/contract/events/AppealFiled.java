package dev.verdict.contract.events;

import java.time.Instant;
import java.util.List;

/**
 * The advertiser (or a moderator on its behalf, see the envelope's {@code onBehalfOf}) appealed a decision.
 *
 * @param deadline the end of the appeal window that this filing met
 */
public record AppealFiled(String appealId, String decisionId, String statement, List<Evidence> attachments,
                          Instant deadline) implements AdvertiserEvent {
}
