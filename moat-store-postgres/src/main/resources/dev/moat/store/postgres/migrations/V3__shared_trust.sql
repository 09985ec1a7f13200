-- Moat schema version 3: trusted roots and revocations shared by every replica.

-- Root issuers trusted fleet-wide (agent ids), besides each policy's own trusted_roots.
CREATE TABLE moat_trusted_roots (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    added_at   timestamptz NOT NULL DEFAULT now()
);

-- Revoked agents (kind 'agent', value an agent id) and tokens (kind 'token', value a token id).
CREATE TABLE moat_revocations (
    kind       text NOT NULL CHECK (kind IN ('agent', 'token')),
    value      text NOT NULL,
    revoked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, value)
);

-- One row: bumped by every statement that changes either table (also one typed by hand in psql),
-- so a replica knows whether what it holds is current with one cheap read.
CREATE TABLE moat_trust_epoch (
    one   boolean PRIMARY KEY DEFAULT true CHECK (one),
    epoch bigint  NOT NULL
);
INSERT INTO moat_trust_epoch (one, epoch) VALUES (true, 0);

-- Every change bumps the epoch in the changing transaction and notifies the replicas (LISTEN
-- moat_trust) when it commits; replicas that miss the notification see the epoch when they poll.
CREATE FUNCTION moat_trust_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE moat_trust_epoch SET epoch = epoch + 1;
    PERFORM pg_notify('moat_trust', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER moat_trusted_roots_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON moat_trusted_roots
    FOR EACH STATEMENT EXECUTE FUNCTION moat_trust_changed();
CREATE TRIGGER moat_revocations_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON moat_revocations
    FOR EACH STATEMENT EXECUTE FUNCTION moat_trust_changed();
