-- moderation-service's own read model of each advertiser, updated in the same transaction as the events
-- (a subscribing processor), so that GET /advertisers/{id} and its ETag always match the event store.
CREATE TABLE advertiser_view (
    advertiser_id VARCHAR(64)  NOT NULL PRIMARY KEY,
    legal_name    VARCHAR(300) NOT NULL,
    country       CHAR(2)      NOT NULL,
    account_type  VARCHAR(16)  NOT NULL,
    version       BIGINT       NOT NULL,
    registered_at TIMESTAMPTZ  NOT NULL
);

CREATE TABLE decision_view (
    decision_id    UUID         NOT NULL PRIMARY KEY,
    advertiser_id  VARCHAR(64)  NOT NULL REFERENCES advertiser_view (advertiser_id),
    kind           VARCHAR(16)  NOT NULL,
    scope          TEXT[]       NOT NULL,
    policy_id      VARCHAR(128) NOT NULL,
    policy_version VARCHAR(64)  NOT NULL,
    clause         VARCHAR(32)  NOT NULL,
    statement      TEXT         NOT NULL,
    effective_from TIMESTAMPTZ  NOT NULL,
    expires_at     TIMESTAMPTZ,
    recorded_at    TIMESTAMPTZ  NOT NULL
);
CREATE INDEX decision_view_advertiser ON decision_view (advertiser_id, recorded_at);

CREATE TABLE appeal_view (
    appeal_id     UUID        NOT NULL PRIMARY KEY,
    decision_id   UUID        NOT NULL REFERENCES decision_view (decision_id),
    advertiser_id VARCHAR(64) NOT NULL,
    status        VARCHAR(16) NOT NULL,
    filed_at      TIMESTAMPTZ NOT NULL,
    deadline      TIMESTAMPTZ NOT NULL
);
CREATE INDEX appeal_view_decision ON appeal_view (decision_id);
