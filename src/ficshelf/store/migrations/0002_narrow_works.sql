-- ficshelf library schema, version 2: a narrow works table.
-- Filters and sorts read the works row of every matching work; with the model's
-- JSON inside, a row spans a kilobyte and a full-text query over half of a
-- 100,000-work library spent most of its time paging those rows in (measured:
-- 40-50 ms of rowid lookups against 9 ms for the same table without the JSON).
-- The JSON moves to work_meta, read only for the page of results shown.

CREATE TABLE work_meta (
    work_id     INTEGER PRIMARY KEY REFERENCES works (id) ON DELETE CASCADE,
    meta        TEXT NOT NULL             -- model.work_to_dict() without chapters
);
INSERT INTO work_meta (work_id, meta) SELECT id, meta FROM works;

DROP VIEW search_source;
ALTER TABLE works DROP COLUMN meta;

CREATE VIEW search_source AS
SELECT
    w.id AS id,
    ficshelf_index_text(w.title) AS title,
    ficshelf_meta_text(m.meta, 'authors') AS creators,
    ficshelf_index_text(json_extract(m.meta, '$.summary')) AS summary,
    ficshelf_index_text(
        json_extract(m.meta, '$.notes'),
        json_extract(m.meta, '$.end_notes'),
        (SELECT group_concat(coalesce(c.title, '') || char(10) || coalesce(c.summary, '') || char(10)
                             || coalesce(c.notes, '') || char(10) || coalesce(c.end_notes, ''),
                             char(10))
         FROM chapters c WHERE c.work_id = w.id)
    ) AS notes,
    ficshelf_meta_text(m.meta, 'tags') AS tags,
    ficshelf_index_text(
        (SELECT group_concat(text, char(10) || char(10))
         FROM (SELECT c.text FROM chapters c WHERE c.work_id = w.id ORDER BY c.number))
    ) AS body
FROM works w JOIN work_meta m ON m.work_id = w.id;
