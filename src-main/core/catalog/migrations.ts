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
  // 2: embeddings, maps, scores, slices
  `
  -- One set per (model, spec): sets are never mixed.
  CREATE TABLE embedding_sets (
    id INTEGER PRIMARY KEY,
    model_key TEXT NOT NULL UNIQUE,
    model_name TEXT NOT NULL,
    model_sha256 TEXT NOT NULL,
    model_path TEXT NOT NULL,
    spec TEXT NOT NULL,
    dim INTEGER NOT NULL,
    provider TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  CREATE TABLE embeddings (
    set_id INTEGER NOT NULL REFERENCES embedding_sets(id) ON DELETE CASCADE,
    sample_id INTEGER NOT NULL REFERENCES samples(id),
    vector BLOB,
    error TEXT,
    PRIMARY KEY (set_id, sample_id)
  ) WITHOUT ROWID;

  -- A map: k-NN graph and 2-D positions of one embedding set, rows in sample-id order.
  CREATE TABLE maps (
    id INTEGER PRIMARY KEY,
    set_id INTEGER NOT NULL REFERENCES embedding_sets(id) ON DELETE CASCADE,
    params TEXT NOT NULL,
    sample_ids BLOB NOT NULL,
    positions BLOB,
    knn_k INTEGER NOT NULL,
    knn_indices BLOB NOT NULL,
    knn_distances BLOB NOT NULL,
    timings TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );

  CREATE TABLE scores (
    map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    sample_id INTEGER NOT NULL REFERENCES samples(id),
    sparseness REAL,
    noise REAL,
    suggested_label TEXT,
    suggested_confidence REAL,
    dup_group INTEGER,
    exact_dup_group INTEGER,
    cluster INTEGER,
    PRIMARY KEY (map_id, sample_id)
  ) WITHOUT ROWID;

  -- Slices are versioned: the same name again makes version n+1, never an overwrite.
  CREATE TABLE slices (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    mode TEXT NOT NULL,
    params TEXT NOT NULL,
    seed INTEGER,
    map_id INTEGER REFERENCES maps(id),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (name, version)
  );
  CREATE TABLE slice_members (
    slice_id INTEGER NOT NULL REFERENCES slices(id) ON DELETE CASCADE,
    sample_id INTEGER NOT NULL REFERENCES samples(id),
    rank INTEGER NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (slice_id, sample_id)
  ) WITHOUT ROWID;

  ALTER TABLE samples ADD COLUMN excluded INTEGER NOT NULL DEFAULT 0;
  `,
  // 3: grouped edits for undo/redo; every change (and every undo) is a history row
  `
  CREATE TABLE edits (
    id INTEGER PRIMARY KEY,
    actor TEXT NOT NULL,
    description TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('done', 'undone', 'dropped')),
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  ALTER TABLE label_history ADD COLUMN edit_id INTEGER REFERENCES edits(id);
  ALTER TABLE label_history ADD COLUMN field TEXT NOT NULL DEFAULT 'label';
  ALTER TABLE label_history ADD COLUMN action TEXT NOT NULL DEFAULT 'edit';
  CREATE INDEX label_history_edit ON label_history(edit_id);
  `,
  // 4: appearance signatures for near duplicates (core/curate/engine/signature.ts), computed once per
  // sample and recomputed when its content hash or the signature version changes; data NULL =
  // the sample's image could not be read, so it has no signature
  `
  CREATE TABLE signatures (
    sample_id INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL,
    data BLOB
  );
  `,
  // 5: the appearance tile (core/curate/engine/appearance-tile.ts) beside the signature, from the same
  // decode; rows without a tile_version are stale and recomputed on the next scoring
  `
  ALTER TABLE signatures ADD COLUMN tile_version INTEGER;
  ALTER TABLE signatures ADD COLUMN tile BLOB;
  `,
  // 6: the embedding's clustering projection (core/curate/engine/pca.ts, PCA to 32-d), computed once by
  // the map job so that every curate run of that map skips it; NULL = compute on demand
  `
  ALTER TABLE maps ADD COLUMN cluster_dim INTEGER;
  ALTER TABLE maps ADD COLUMN cluster_space BLOB;
  `,
  // 7: near-duplicate groups by appearance (core/curate/appearance-groups-cache.ts), keyed by
  // a hash of the signatures and the threshold; a cache, so any row may be dropped
  `
  CREATE TABLE appearance_groups (
    key TEXT PRIMARY KEY,
    group_of BLOB NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  `,
  // 8: a model's predictions imported by the user (core/curate/predictions-store.ts): one set,
  // replaced whole by each import; probs = float32 per class in prediction_set.classes order.
  // The scores gain the "model disagrees" column and the model's label.
  `
  CREATE TABLE prediction_set (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    file TEXT NOT NULL,
    kind TEXT NOT NULL,
    classes TEXT NOT NULL CHECK (json_valid(classes)),
    imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  CREATE TABLE predictions (
    sample_id INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
    probs BLOB NOT NULL
  );
  ALTER TABLE scores ADD COLUMN model_disagree REAL;
  ALTER TABLE scores ADD COLUMN model_label TEXT;
  `,
  // 9: review decisions (core/review/): a reviewed flag per sample, undoable like a label, and the
  // suggestion each history row was decided against
  `
  ALTER TABLE samples ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE label_history ADD COLUMN suggested_label TEXT;
  `,
  // 10: the review loop (core/review/): where the reviewer stopped in each queue (a slice ref, or
  // "selection"), and which edits were review decisions (accept, label, keep, exclude, accept-all)
  // so the review summary reads them from the history; the slices of one sample (review evidence)
  // are looked up by sample, which the (slice_id, sample_id) key cannot serve
  `
  CREATE TABLE review_positions (
    key TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  ALTER TABLE edits ADD COLUMN review TEXT;
  CREATE INDEX slice_members_sample ON slice_members(sample_id);
  `,
  // 11: duplicate groups of the last leak check or split (core/splits/): samples sharing a grp
  // are copies, so the query field `leaks` compares their current splits; leak_check records
  // that a check ran and which rules it used
  `
  CREATE TABLE leak_groups (
    sample_id INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
    grp INTEGER NOT NULL
  );
  CREATE INDEX leak_groups_grp ON leak_groups(grp);
  CREATE TABLE leak_check (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    sources TEXT NOT NULL CHECK (json_valid(sources)),
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  `,
  // 12: the newest scores of each map, whole, with the key of their inputs (core/curate/score-cache.ts),
  // so a scores or curate run with nothing changed since the map job reads them back; a cache,
  // so any row may be dropped
  `
  CREATE TABLE score_cache (
    map_id INTEGER PRIMARY KEY REFERENCES maps(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    data BLOB NOT NULL
  );
  `,
  // 13: column caches for the renderer's first reads at a million samples: the samples' columns and
  // the overview's counts (catalog/sample-columns-store.ts; counts first, so reading them skips the
  // blob) and each map's score columns (curate/score-columns.ts), each one blob of typed arrays
  // instead of a million rows. The samples' row is dropped by triggers on any write to a column it
  // depends on, whatever code path writes (the WHEN makes a row of a big import cost about 1.7 µs
  // more instead of 3); the score blob is written with its rows.
  `
  CREATE TABLE sample_columns (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    counts TEXT NOT NULL CHECK (json_valid(counts)),
    data BLOB NOT NULL
  );
  CREATE TRIGGER sample_columns_insert AFTER INSERT ON samples WHEN EXISTS (SELECT 1 FROM sample_columns) BEGIN DELETE FROM sample_columns; END;
  CREATE TRIGGER sample_columns_update AFTER UPDATE OF id, dataset_id, label, original_label, excluded, reviewed, split ON samples WHEN EXISTS (SELECT 1 FROM sample_columns) BEGIN DELETE FROM sample_columns; END;
  CREATE TRIGGER sample_columns_delete AFTER DELETE ON samples WHEN EXISTS (SELECT 1 FROM sample_columns) BEGIN DELETE FROM sample_columns; END;
  CREATE TABLE score_columns (
    map_id INTEGER PRIMARY KEY REFERENCES maps(id) ON DELETE CASCADE,
    data BLOB NOT NULL
  );
  `,
  // 14: more than one built-in demo set (MNIST, Fashion-MNIST: core/import/idx.ts): datasets without
  // a root are told apart by their name; folder datasets stay one per folder, whatever their name
  `
  DROP INDEX datasets_root;
  CREATE UNIQUE INDEX datasets_key ON datasets(kind, IFNULL(root, ''), CASE WHEN root IS NULL THEN name ELSE '' END);
  `,
  // 15: each embedding set's revision, one more per transaction that writes its vectors
  // (embed/embedding-store.ts), so a cache of the vectors can tell it is current without reading
  // them: counting a million 544-d rows took 0.8–0.9 s, and a count misses vectors replaced in place
  `
  ALTER TABLE embedding_sets ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
  `,
  // 16: the luminance quantisation table of a JPEG file whose thumbnail holds its own pixels (not
  // resized; core/images/jpeg-quant.ts): the near-duplicate comparison excuses what that
  // compression explains (curate/engine/jpeg-recompression.ts); NULL for every other image
  `
  ALTER TABLE images ADD COLUMN jpeg_quant BLOB;
  `,
  // 17: the whitening an embedding set's model fits on the project's own images (spec.whiten:
  // embed/whitening.ts), applied to every vector of the set; without it the set's vectors could
  // not be extended or compared with a new image
  `
  CREATE TABLE embedding_whitening (
    set_id INTEGER PRIMARY KEY REFERENCES embedding_sets(id) ON DELETE CASCADE,
    data BLOB NOT NULL
  );
  `,
];
