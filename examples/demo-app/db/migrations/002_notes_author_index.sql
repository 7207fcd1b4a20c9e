-- Lists of an author's notes are the app's main query. CONCURRENTLY keeps writes flowing while it builds, so it
-- runs outside a transaction (migrate recognises it from the parse tree).
CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_author_id_idx ON notes (author_id);
