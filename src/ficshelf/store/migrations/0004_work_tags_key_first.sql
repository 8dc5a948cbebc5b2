-- ficshelf library schema, version 4: work_tags declares its key columns first.
-- SQLite 3.40's integrity check misreads a WITHOUT ROWID table whose key
-- columns are not declared first: it reported "NULL value in work_tags.kind"
-- for rows that hold no NULL, so Store.integrity_check() could not be trusted.

DROP TRIGGER work_tags_counted;
DROP TRIGGER work_tags_uncounted;

CREATE TABLE work_tags_new (
    work_id     INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags (id),
    kind        TEXT NOT NULL,
    PRIMARY KEY (work_id, tag_id)
) WITHOUT ROWID;
INSERT INTO work_tags_new (work_id, tag_id, kind) SELECT work_id, tag_id, kind FROM work_tags;
DROP TABLE work_tags;
ALTER TABLE work_tags_new RENAME TO work_tags;
CREATE INDEX work_tags_tag ON work_tags (tag_id, work_id);

CREATE TRIGGER work_tags_counted AFTER INSERT ON work_tags BEGIN
    UPDATE tags SET uses = uses + 1 WHERE id = NEW.tag_id;
END;
CREATE TRIGGER work_tags_uncounted AFTER DELETE ON work_tags BEGIN
    UPDATE tags SET uses = uses - 1 WHERE id = OLD.tag_id;
END;
