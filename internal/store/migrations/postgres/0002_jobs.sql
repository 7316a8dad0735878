-- Background jobs, as SQLite's 0014_jobs.sql (which explains the columns).
CREATE TABLE jobs (
    id           TEXT COLLATE "C" PRIMARY KEY,
    kind         TEXT COLLATE "C" NOT NULL,
    title        TEXT COLLATE "C" NOT NULL,
    file_name    TEXT COLLATE "C" NOT NULL,
    user_id      BIGINT NOT NULL,
    params       TEXT COLLATE "C" NOT NULL DEFAULT '{}',
    state        TEXT COLLATE "C" NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    node         TEXT COLLATE "C" NOT NULL DEFAULT '',
    attempt      BIGINT NOT NULL DEFAULT 0,
    lease_ms     BIGINT NOT NULL DEFAULT 0,
    done         BIGINT NOT NULL DEFAULT 0,
    total        BIGINT NOT NULL DEFAULT 0,
    error        TEXT COLLATE "C" NOT NULL DEFAULT '',
    result       TEXT COLLATE "C" NOT NULL DEFAULT '',
    started_at   TEXT COLLATE "C" NOT NULL,
    ended_at     TEXT COLLATE "C" NOT NULL DEFAULT '',
    finished_seq BIGINT NOT NULL DEFAULT 0,
    size         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX jobs_state ON jobs(state, started_at);
CREATE INDEX jobs_user ON jobs(user_id, started_at);

CREATE TABLE job_chunks (
    job_id  TEXT COLLATE "C" NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    attempt BIGINT NOT NULL,
    n       BIGINT NOT NULL,
    data    BYTEA NOT NULL,
    PRIMARY KEY (job_id, attempt, n)
);
