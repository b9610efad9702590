-- JWT Keyring cluster schema, version 1: the key ring and the token ledger.

-- One row: the version of the ring. Every change of the ring locks this row (SELECT ... FOR UPDATE), so that
-- exactly one node applies each transition, and raises the version by one.
CREATE TABLE keyring_ring (
    id          SMALLINT PRIMARY KEY CHECK (id = 1),
    version     BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO keyring_ring (id, version) VALUES (1, 0);

-- The keys of the ring. Secret material only ever appears encrypted with AES-256-GCM under a key-encryption key
-- that the database never sees (kek_id names which one); public keys are public.
CREATE TABLE keyring_key (
    kid                  TEXT PRIMARY KEY,
    position             INTEGER NOT NULL,
    algorithm            TEXT NOT NULL,
    state                TEXT NOT NULL,
    created              TIMESTAMPTZ NOT NULL,
    activates            TIMESTAMPTZ NOT NULL,
    retires              TIMESTAMPTZ NOT NULL,
    destroy_after        TIMESTAMPTZ,
    revoked              TIMESTAMPTZ,
    max_issued_lifetime  TEXT NOT NULL,
    public_key           BYTEA,
    wrapped_material     BYTEA,
    kek_id               TEXT,
    CHECK ((wrapped_material IS NULL) = (kek_id IS NULL))
);

-- Revoked access tokens, by jti, until they expire.
CREATE TABLE keyring_revoked_token (
    jti         TEXT PRIMARY KEY,
    keep_until  TIMESTAMPTZ NOT NULL
);

-- Subjects whose tokens issued until cutoff are revoked.
CREATE TABLE keyring_revoked_subject (
    subject     TEXT PRIMARY KEY,
    cutoff      TIMESTAMPTZ NOT NULL,
    keep_until  TIMESTAMPTZ NOT NULL
);

-- Refresh-token families (one per login) and the hashes of their tokens; never a token itself.
CREATE TABLE keyring_refresh_family (
    id          TEXT PRIMARY KEY,
    subject     TEXT NOT NULL,
    groups      TEXT[] NOT NULL,
    created     TIMESTAMPTZ NOT NULL,
    generation  INTEGER NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ,
    keep_until  TIMESTAMPTZ NOT NULL
);

CREATE TABLE keyring_refresh_token (
    hash        TEXT PRIMARY KEY,
    family_id   TEXT NOT NULL,
    generation  INTEGER NOT NULL,
    keep_until  TIMESTAMPTZ NOT NULL
);
CREATE INDEX keyring_refresh_token_family ON keyring_refresh_token (family_id);

-- The feed other nodes follow: every ledger change, in commit order (appends are serialized by an advisory lock),
-- kept for a while after it was made. A node that has not read up to pruned_through reloads the whole ledger.
CREATE TABLE keyring_ledger_change (
    seq         BIGSERIAL PRIMARY KEY,
    payload     BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE keyring_ledger_feed (
    id              SMALLINT PRIMARY KEY CHECK (id = 1),
    pruned_through  BIGINT NOT NULL
);
INSERT INTO keyring_ledger_feed (id, pruned_through) VALUES (1, 0);
