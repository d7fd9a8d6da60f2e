-- The advertiser's view holds everything a statement of reasons needs, and each decision's and appeal's fate.
ALTER TABLE decision_view
    ADD COLUMN terms          JSONB,
    ADD COLUMN extra_evidence JSONB       NOT NULL DEFAULT '[]',
    ADD COLUMN status         VARCHAR(16) NOT NULL DEFAULT 'IN_EFFECT',
    ADD COLUMN decided_by     VARCHAR(128),
    ADD COLUMN appeal_deadline TIMESTAMPTZ,
    ADD COLUMN ended_at       TIMESTAMPTZ,
    ADD COLUMN end_reason     TEXT;

ALTER TABLE appeal_view
    ADD COLUMN statement  TEXT,
    ADD COLUMN filed_by   VARCHAR(128),
    ADD COLUMN rationale  TEXT,
    ADD COLUMN decided_by VARCHAR(128),
    ADD COLUMN decided_at TIMESTAMPTZ;

CREATE TABLE note_view (
    note_id       UUID         NOT NULL PRIMARY KEY,
    advertiser_id VARCHAR(64)  NOT NULL REFERENCES advertiser_view (advertiser_id),
    decision_id   UUID,
    text          TEXT         NOT NULL,
    written_by    VARCHAR(128) NOT NULL,
    written_at    TIMESTAMPTZ  NOT NULL
);
CREATE INDEX note_view_advertiser ON note_view (advertiser_id, written_at);
