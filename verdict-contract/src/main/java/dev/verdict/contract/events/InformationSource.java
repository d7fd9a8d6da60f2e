package dev.verdict.contract.events;

/**
 * Where the information that led to a decision came from (DSA Art. 17(3)(b)), in the Transparency Database's terms:
 * a notice under Art. 16, a trusted flagger, another notification (e.g. an authority), or the platform's own
 * initiative. {@code identity} names the notifier when that may be disclosed; never personal data.
 */
public record InformationSource(Type type, String identity) {

    public enum Type {
        SOURCE_ARTICLE_16,
        SOURCE_TRUSTED_FLAGGER,
        SOURCE_TYPE_OTHER_NOTIFICATION,
        SOURCE_VOLUNTARY
    }
}
