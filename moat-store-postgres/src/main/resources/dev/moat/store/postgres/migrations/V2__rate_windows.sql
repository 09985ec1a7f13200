-- Moat schema version 2: shared sliding-window rate limits for verified senders.

-- Admission times (epoch nanoseconds) still inside the window, at most `limit` of them, per sender
-- and limit setting ("<limit>/<window nanos>").
CREATE TABLE moat_rate_windows (
    sender text     NOT NULL,
    scope  text     NOT NULL,
    times  bigint[] NOT NULL,
    PRIMARY KEY (sender, scope)
);
