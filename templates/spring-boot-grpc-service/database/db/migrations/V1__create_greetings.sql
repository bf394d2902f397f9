-- The first migration. Master builds apply db/migrations before each
-- production deployment ("Database migration" stage).
CREATE TABLE greetings (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  greeted_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
