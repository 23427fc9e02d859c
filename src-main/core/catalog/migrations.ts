// Schema versions, applied in order inside one transaction each. PRAGMA user_version holds
// the version reached; a newer file than this build understands is refused, never touched.
export const MIGRATIONS: string[] = [
  // 1: catalog, label history, jobs
  `
  CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('folder', 'mnist')),
    root TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  CREATE UNIQUE INDEX datasets_root ON datasets(kind, IFNULL(root, ''));

  CREATE TABLE samples (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    rel_path TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('file', 'blob')),
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    channels INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    label TEXT,
    original_label TEXT,
    split TEXT,
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    UNIQUE (dataset_id, rel_path)
  );
  CREATE INDEX samples_label ON samples(label);
  CREATE INDEX samples_split ON samples(split);
  CREATE INDEX samples_hash ON samples(content_hash);

  -- Built-in data (MNIST) keeps its pixels here; folder datasets keep only thumbnails.
  CREATE TABLE images (
    sample_id INTEGER PRIMARY KEY REFERENCES samples(id),
    kind TEXT NOT NULL CHECK (kind IN ('full', 'thumb')),
    format TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    data BLOB NOT NULL
  );

  CREATE TABLE metadata_fields (
    name TEXT PRIMARY KEY,
    index_name TEXT NOT NULL
  );

  CREATE TABLE label_history (
    id INTEGER PRIMARY KEY,
    sample_id INTEGER NOT NULL REFERENCES samples(id),
    old_label TEXT,
    new_label TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  CREATE INDEX label_history_sample ON label_history(sample_id);

  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    params TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    message TEXT,
    error TEXT,
    result TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );

  -- Per-file outcome of an import, so a summary survives a restart.
  CREATE TABLE import_problems (
    job_id TEXT NOT NULL REFERENCES jobs(id),
    path TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (job_id, path)
  );
  `,
];
