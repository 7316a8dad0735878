-- Background jobs (print runs, rehearsals), durable so that any node may run one and any node
-- serve its file (issue 16). A job is queued, claimed by one node (running, with a lease its
-- node keeps extending), and ends done (its file in job_chunks) or failed. A running job whose
-- lease has passed lost its node and is claimed again, from the start, by another.
CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    user_id      INTEGER NOT NULL,
    params       TEXT NOT NULL DEFAULT '{}',
    state        TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    node         TEXT NOT NULL DEFAULT '',
    -- attempt counts the claims; a node's heartbeat and outcome count only for its own attempt.
    attempt      INTEGER NOT NULL DEFAULT 0,
    -- lease_ms is when the running node's lease ends, in Unix milliseconds: compared as a
    -- number, which RFC 3339 text with trimmed fractions is not.
    lease_ms     INTEGER NOT NULL DEFAULT 0,
    done         INTEGER NOT NULL DEFAULT 0,
    total        INTEGER NOT NULL DEFAULT 0,
    error        TEXT NOT NULL DEFAULT '',
    result       TEXT NOT NULL DEFAULT '',
    started_at   TEXT NOT NULL,
    ended_at     TEXT NOT NULL DEFAULT '',
    -- finished_seq orders the finished jobs, newest last, for keeping the newest.
    finished_seq INTEGER NOT NULL DEFAULT 0,
    size         INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX jobs_state ON jobs(state, started_at);
CREATE INDEX jobs_user ON jobs(user_id, started_at);

-- A finished job's file, in pieces of at most a mebibyte, of the attempt that wrote it.
CREATE TABLE job_chunks (
    job_id  TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    n       INTEGER NOT NULL,
    data    BLOB NOT NULL,
    PRIMARY KEY (job_id, attempt, n)
) STRICT;
