-- Whether this version of audit-service understands an event (a known type, at a version it can read). Events it
-- does not understand, from a newer producer, are stored verbatim like any other and listed for an operator.
ALTER TABLE audit_event ADD COLUMN understood BOOLEAN NOT NULL DEFAULT TRUE;
CREATE INDEX audit_event_not_understood ON audit_event (received_at) WHERE NOT understood;
