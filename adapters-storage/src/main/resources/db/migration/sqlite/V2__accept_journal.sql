-- How far the accept journal (the directory <database file>.accepts) has been moved into
-- delivery_queue: a byte position in the journal, advanced in the same transaction as the rows.
CREATE TABLE accept_journal (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  applied_through INTEGER NOT NULL
);
INSERT INTO accept_journal (id, applied_through) VALUES (1, 0);
