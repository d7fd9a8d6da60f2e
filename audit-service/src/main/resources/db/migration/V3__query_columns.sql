-- Columns the audit queries need, extracted from each envelope on ingestion (the envelope itself stays verbatim):
-- audit_seq orders events by arrival, so cursor pages across advertisers stay stable while events keep arriving;
-- policy_id, decision_id and replacement_decision_id let search and the decision view find events by what they
-- are about.
ALTER TABLE audit_event
    ADD COLUMN audit_seq               BIGSERIAL,
    ADD COLUMN policy_id               TEXT,
    ADD COLUMN decision_id             UUID,
    ADD COLUMN replacement_decision_id UUID;
CREATE UNIQUE INDEX audit_event_audit_seq ON audit_event (audit_seq);
CREATE INDEX audit_event_type_seq ON audit_event (event_type, audit_seq);
CREATE INDEX audit_event_actor_seq ON audit_event (actor_id, audit_seq);
CREATE INDEX audit_event_policy_seq ON audit_event (policy_id, audit_seq) WHERE policy_id IS NOT NULL;
CREATE INDEX audit_event_decision ON audit_event (decision_id) WHERE decision_id IS NOT NULL;
CREATE INDEX audit_event_replacement ON audit_event (replacement_decision_id) WHERE replacement_decision_id IS NOT NULL;
