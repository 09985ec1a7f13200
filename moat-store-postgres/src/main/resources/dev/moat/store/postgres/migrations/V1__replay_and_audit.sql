-- Moat schema version 1: replay state and the fleet's audit log.

-- Highest accepted message sequence number per verified sender, shared by every replica.
CREATE TABLE moat_sequences (
    sender text PRIMARY KEY,
    seq    bigint NOT NULL CHECK (seq >= 0)
);

-- One row per replica writing an audit chain: the key that signs its checkpoints (base64url).
CREATE TABLE moat_audit_replicas (
    replica    text PRIMARY KEY,
    log_key    text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Each replica's hash chain: line is the entry's canonical JSON (index, time, event, prev, hash),
-- exactly the bytes the file store writes; idx only orders the rows.
CREATE TABLE moat_audit_entries (
    replica text   NOT NULL REFERENCES moat_audit_replicas (replica),
    idx     bigint NOT NULL CHECK (idx >= 0),
    line    text   NOT NULL,
    PRIMARY KEY (replica, idx)
);

-- Signed checkpoints of each replica's chain, in the order they were written.
CREATE TABLE moat_audit_checkpoints (
    replica text   NOT NULL REFERENCES moat_audit_replicas (replica),
    pos     bigint NOT NULL CHECK (pos >= 0),
    count   bigint NOT NULL CHECK (count >= 0),
    line    text   NOT NULL,
    PRIMARY KEY (replica, pos)
);
