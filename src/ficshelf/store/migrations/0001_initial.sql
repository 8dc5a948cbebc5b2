-- ficshelf library schema, version 1.
-- Works are stored once: metadata as columns (for filters and sorts) plus the
-- model's JSON (everything else, exactly as imported); chapter text in `chapters`.
-- Everything below the "derived" line is rebuilt by Store.rebuild_index().

PRAGMA application_id = 1718182771;  -- 'fics'

CREATE TABLE works (
    id              INTEGER PRIMARY KEY,
    archive_host    TEXT,                 -- archiveofourown.org, or another OTW archive
    ao3_id          TEXT,
    title           TEXT NOT NULL,
    title_key       TEXT NOT NULL,        -- folded title, for sorting
    author_key      TEXT NOT NULL,        -- folded first author, for sorting
    rating          TEXT,                 -- model.Rating value
    language_key    TEXT,                 -- search.normalize_language()
    complete        INTEGER,              -- 1, 0, or NULL when unknown
    single_chapter  INTEGER NOT NULL,
    chapter_count   INTEGER NOT NULL,
    words           INTEGER NOT NULL,     -- stated count, else counted from the text
    kudos           INTEGER,
    hits            INTEGER,
    bookmarks       INTEGER,
    comments        INTEGER,
    published       TEXT,                 -- ISO dates
    updated         TEXT,                 -- updated, else published
    meta            TEXT NOT NULL,        -- model.work_to_dict() without chapters
    source          TEXT,                 -- where it was last imported from
    added_at        TEXT NOT NULL,
    changed_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX works_ao3 ON works (archive_host, ao3_id) WHERE ao3_id IS NOT NULL;
CREATE INDEX works_title ON works (title_key);
CREATE INDEX works_author ON works (author_key);
CREATE INDEX works_published ON works (published);
CREATE INDEX works_updated ON works (updated);
CREATE INDEX works_words ON works (words);
CREATE INDEX works_kudos ON works (kudos);
CREATE INDEX works_hits ON works (hits);
CREATE INDEX works_bookmarks ON works (bookmarks);
CREATE INDEX works_comments ON works (comments);

CREATE TABLE chapters (
    work_id     INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    title       TEXT,
    summary     TEXT,
    notes       TEXT,
    end_notes   TEXT,
    text        TEXT NOT NULL,
    html        TEXT,
    PRIMARY KEY (work_id, number)
);

CREATE TABLE user_data (
    work_id     INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,            -- JSON
    PRIMARY KEY (work_id, key)
) WITHOUT ROWID;

-- Tag wrangling: `tag` (folded key) is a synonym of `canonical`.
CREATE TABLE synonyms (
    key             TEXT PRIMARY KEY,
    tag             TEXT NOT NULL,
    canonical       TEXT NOT NULL,
    canonical_key   TEXT NOT NULL
) WITHOUT ROWID;

-- ---------------------------------------------------------------- derived ---

CREATE TABLE tags (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,            -- rating, warning, category, fandom, relationship, character, freeform
    name        TEXT NOT NULL,            -- first spelling seen
    key         TEXT NOT NULL,            -- text.fold_for_match(name)
    canon_key   TEXT NOT NULL,            -- key of the canonical tag (synonyms applied)
    uses        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, key)
);
CREATE INDEX tags_canon ON tags (canon_key, kind);

CREATE TABLE work_tags (
    work_id     INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    tag_id      INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (work_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX work_tags_tag ON work_tags (tag_id, work_id);

CREATE TRIGGER work_tags_counted AFTER INSERT ON work_tags BEGIN
    UPDATE tags SET uses = uses + 1 WHERE id = NEW.tag_id;
END;
CREATE TRIGGER work_tags_uncounted AFTER DELETE ON work_tags BEGIN
    UPDATE tags SET uses = uses - 1 WHERE id = OLD.tag_id;
END;

-- Normalised text fingerprints of every capture imported, for dedupe by text.
CREATE TABLE fingerprints (
    fingerprint TEXT PRIMARY KEY,
    work_id     INTEGER NOT NULL REFERENCES works (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX fingerprints_work ON fingerprints (work_id);

-- Full-text search. The index stores no text of its own: its external content
-- is this view over the stored works. ficshelf_index_text() (registered by the
-- store on every connection) joins its non-empty arguments with newlines and
-- deletes apostrophes, so "don't", "don’t" and "dont" index alike;
-- ficshelf_meta_text() does the same for the authors or all tag names of the
-- JSON in works.meta (json_each() cannot be used here: FTS5's 'rebuild' fails
-- on a content view that calls a table-valued function).
CREATE VIEW search_source AS
SELECT
    w.id AS id,
    ficshelf_index_text(w.title) AS title,
    ficshelf_meta_text(w.meta, 'authors') AS creators,
    ficshelf_index_text(json_extract(w.meta, '$.summary')) AS summary,
    ficshelf_index_text(
        json_extract(w.meta, '$.notes'),
        json_extract(w.meta, '$.end_notes'),
        (SELECT group_concat(coalesce(c.title, '') || char(10) || coalesce(c.summary, '') || char(10)
                             || coalesce(c.notes, '') || char(10) || coalesce(c.end_notes, ''),
                             char(10))
         FROM chapters c WHERE c.work_id = w.id)
    ) AS notes,
    ficshelf_meta_text(w.meta, 'tags') AS tags,
    ficshelf_index_text(
        (SELECT group_concat(text, char(10) || char(10))
         FROM (SELECT c.text FROM chapters c WHERE c.work_id = w.id ORDER BY c.number))
    ) AS body
FROM works w;

CREATE VIRTUAL TABLE search_index USING fts5 (
    title, creators, summary, notes, tags, body,
    content = 'search_source',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO search_index (search_index, rank) VALUES ('rank', 'bm25(10.0, 5.0, 4.0, 1.0, 3.0, 1.0)');
