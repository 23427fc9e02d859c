// Parses a file of model predictions (`winnow import-predictions`), one row per sample path,
// and checks it before anything is stored. Accepted shapes:
//
//   CSV, per-class probabilities:  path,cat,dog,bird        (a header, then one row per sample)
//   CSV, top-1 + confidence:       path,label,confidence    (confidence optional, default 1)
//   JSON, per-class probabilities: {"classes": ["cat", …], "predictions": [{"path": …, "probabilities": [0.9, …]}]}
//                                  or [{"path": …, "probabilities": {"cat": 0.9, …}}, …]
//   JSON, top-1 + confidence:      [{"path": …, "label": "cat", "confidence": 0.9}, …]
//
// Every problem found is reported (up to a few examples of each) in one PredictionsError, so a
// user fixes the file once; the caller stores nothing unless the whole file is valid.

export interface ParsedPredictions {
  /** Class names as the file names them, in column order. */
  classes: string[];
  paths: string[];
  /** paths.length × classes.length, rows summing to 1. */
  probs: Float32Array;
  /** 'probabilities' when the file gave every class, 'top-1' when it gave a label and a confidence. */
  kind: 'probabilities' | 'top-1';
}

export class PredictionsError extends Error {}

/** Rows whose probabilities sum further than this from 1 are refused (rounding in a CSV is fine). */
export const SUM_TOLERANCE = 0.02;
const EXAMPLES = 3;

class Problems {
  private readonly byKind = new Map<string, { count: number; examples: string[] }>();
  add(kind: string, example: string): void {
    const e = this.byKind.get(kind) ?? { count: 0, examples: [] };
    e.count++;
    if (e.examples.length < EXAMPLES) e.examples.push(example);
    this.byKind.set(kind, e);
  }
  throwIfAny(file: string): void {
    if (!this.byKind.size) return;
    const lines = [...this.byKind].map(([kind, e]) => `${kind}: ${e.count} (${e.examples.join('; ')}${e.count > e.examples.length ? '; …' : ''})`);
    throw new PredictionsError(`${file}: not imported, ${lines.join(' | ')}`);
  }
}

export function parsePredictions(text: string, file: string): ParsedPredictions {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) throw new PredictionsError(`${file}: the file is empty`);
  return trimmed.startsWith('{') || trimmed.startsWith('[') ? parseJson(trimmed, file) : parseCsv(trimmed, file);
}

/** Top-1 label + confidence → a distribution: the rest of the mass spread evenly over the other classes. */
function topOneRow(C: number, c: number, confidence: number, out: Float32Array, o: number): void {
  const rest = C > 1 ? (1 - confidence) / (C - 1) : 0;
  for (let t = 0; t < C; t++) out[o + t] = t === c ? (C > 1 ? confidence : 1) : rest;
}

function checkProbability(v: unknown): number | undefined {
  const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(x) && x >= 0 && x <= 1 ? x : undefined;
}

function finish(classes: string[], paths: string[], rows: Array<number[] | { label: string; confidence: number }>, where: (r: number) => string, file: string, problems: Problems): ParsedPredictions {
  const seenClass = new Set<string>();
  for (const c of classes) {
    if (!c.trim()) problems.add('empty class name', 'a class column has no name');
    else if (seenClass.has(c)) problems.add('class named twice', `"${c}"`);
    seenClass.add(c);
  }
  const seen = new Map<string, number>();
  paths.forEach((p, r) => {
    if (!p.trim()) problems.add('rows without a path', where(r));
    else if (seen.has(p)) problems.add('paths given twice', `"${p}" (${where(seen.get(p)!)} and ${where(r)})`);
    else seen.set(p, r);
  });
  if (!paths.length) problems.add('no prediction rows', 'only a header');
  const C = classes.length;
  if (C < 1) problems.add('no classes', 'the file names no class');
  const probs = new Float32Array(paths.length * C);
  const index = new Map(classes.map((c, t) => [c, t]));
  let kind: ParsedPredictions['kind'] = 'probabilities';
  rows.forEach((row, r) => {
    if (Array.isArray(row)) {
      const sum = row.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > SUM_TOLERANCE) problems.add(`probabilities that do not sum to 1 (±${SUM_TOLERANCE})`, `${where(r)} sums to ${sum.toFixed(3)}`);
      row.forEach((v, t) => (probs[r * C + t] = v / (sum || 1)));
    } else {
      kind = 'top-1';
      const c = index.get(row.label);
      if (c !== undefined) topOneRow(C, c, row.confidence, probs, r * C);
    }
  });
  problems.throwIfAny(file);
  return { classes, paths, probs, kind };
}

// ---- CSV -------------------------------------------------------------------------------------

/** RFC 4180 fields: quotes around fields with commas, quotes ("") or line breaks. */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = '', record: string[] = [], quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') { record.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  record.push(field);
  records.push(record);
  return records.filter((r) => r.length > 1 || r[0] !== '');
}

function parseCsv(text: string, file: string): ParsedPredictions {
  const [header, ...body] = csvRecords(text);
  const cols = header.map((h) => h.trim());
  const lower = cols.map((h) => h.toLowerCase());
  const pathCol = lower.indexOf('path');
  if (pathCol < 0) throw new PredictionsError(`${file}: the header has no "path" column (columns: ${cols.join(', ')}); expected path,<class>,<class>,… or path,label,confidence`);
  const problems = new Problems();
  const where = (r: number) => `line ${r + 2}`;
  const paths = body.map((rec) => (rec[pathCol] ?? '').trim());
  const labelCol = lower.indexOf('label');
  body.forEach((rec, r) => {
    if (rec.length !== cols.length) problems.add('rows with the wrong number of fields', `${where(r)} has ${rec.length}, the header ${cols.length}`);
  });
  if (labelCol >= 0) {
    const confCol = lower.indexOf('confidence');
    const extra = cols.filter((_, t) => t !== pathCol && t !== labelCol && t !== confCol);
    if (extra.length) throw new PredictionsError(`${file}: a label column and class columns (${extra.join(', ')}) together; give either path,label,confidence or path,<class>,<class>,…`);
    const rows = body.map((rec, r) => {
      const label = (rec[labelCol] ?? '').trim();
      if (!label) problems.add('rows without a label', where(r));
      let confidence = 1;
      if (confCol >= 0) {
        const c = checkProbability(rec[confCol]);
        if (c === undefined) problems.add('confidences that are not numbers between 0 and 1', `${where(r)}: "${rec[confCol] ?? ''}"`);
        else confidence = c;
      }
      return { label, confidence };
    });
    const classes = [...new Set(rows.map((r) => r.label).filter((l) => l))].sort();
    return finish(classes, paths, rows, where, file, problems);
  }
  const classCols = cols.map((_, t) => t).filter((t) => t !== pathCol);
  // A row of the wrong length is reported once, not again for each value it lacks.
  const rows = body.map((rec, r) =>
    rec.length !== cols.length ? classCols.map(() => 1 / classCols.length) : classCols.map((t) => {
      const v = checkProbability(rec[t]);
      if (v === undefined) problems.add('values that are not probabilities between 0 and 1', `${where(r)}, column "${cols[t]}": "${rec[t] ?? ''}"`);
      return v ?? 0;
    }),
  );
  return finish(classCols.map((t) => cols[t]), paths, rows, where, file, problems);
}

// ---- JSON ------------------------------------------------------------------------------------

function parseJson(text: string, file: string): ParsedPredictions {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new PredictionsError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  let classes: string[] | undefined;
  let items: unknown[];
  if (Array.isArray(doc)) items = doc;
  else {
    const o = doc as { classes?: unknown; predictions?: unknown };
    if (!Array.isArray(o.predictions)) throw new PredictionsError(`${file}: expected an array of predictions, or {"classes": [...], "predictions": [...]}`);
    if (o.classes !== undefined) {
      if (!Array.isArray(o.classes) || !o.classes.every((c) => typeof c === 'string')) throw new PredictionsError(`${file}: "classes" must be an array of class names`);
      classes = o.classes as string[];
    }
    items = o.predictions;
  }
  const problems = new Problems();
  const where = (r: number) => `prediction ${r + 1}`;
  const paths: string[] = [];
  const rows: Array<number[] | { label: string; confidence: number }> = [];
  // Classes from object-valued probabilities, in first-seen order, when no list is given.
  const named = classes ? undefined : new Map<string, number>();
  const objects: Array<Record<string, unknown> | undefined> = [];
  items.forEach((item, r) => {
    const it = (item ?? {}) as { path?: unknown; probabilities?: unknown; label?: unknown; confidence?: unknown };
    paths.push(typeof it.path === 'string' ? it.path : '');
    objects.push(undefined);
    if (typeof item !== 'object' || item === null) { problems.add('entries that are not objects', where(r)); rows.push([]); return; }
    if (it.probabilities !== undefined) {
      if (Array.isArray(it.probabilities)) {
        if (!classes) problems.add('probability arrays without a "classes" list', where(r));
        else if (it.probabilities.length !== classes.length) problems.add('probability arrays of the wrong length', `${where(r)} has ${it.probabilities.length}, classes ${classes.length}`);
        rows.push(it.probabilities.map((v, t) => {
          const p = checkProbability(v);
          if (p === undefined) problems.add('values that are not probabilities between 0 and 1', `${where(r)}[${t}]: ${JSON.stringify(v)}`);
          return p ?? 0;
        }));
      } else if (typeof it.probabilities === 'object' && it.probabilities !== null) {
        const o = it.probabilities as Record<string, unknown>;
        objects[r] = o;
        for (const c of Object.keys(o)) if (named && !named.has(c)) named.set(c, named.size);
        rows.push([]);
      } else {
        problems.add('"probabilities" that are neither an array nor an object', where(r));
        rows.push([]);
      }
    } else if (typeof it.label === 'string' && it.label.trim()) {
      let confidence = 1;
      if (it.confidence !== undefined) {
        const c = checkProbability(it.confidence);
        if (c === undefined) problems.add('confidences that are not numbers between 0 and 1', `${where(r)}: ${JSON.stringify(it.confidence)}`);
        else confidence = c;
      }
      rows.push({ label: it.label.trim(), confidence });
    } else {
      problems.add('entries with neither "probabilities" nor "label"', where(r));
      rows.push([]);
    }
  });
  const hasTop = rows.some((r) => !Array.isArray(r));
  const hasProbs = rows.some((r, t) => Array.isArray(r) && (r.length > 0 || objects[t]));
  if (hasTop && hasProbs) problems.add('a mix of label entries and probability entries', 'use one shape for the whole file');
  const cls = classes ?? (named && named.size ? [...named.keys()] : [...new Set(rows.flatMap((r) => (Array.isArray(r) ? [] : [r.label])))].sort());
  const index = new Map(cls.map((c, t) => [c, t]));
  objects.forEach((o, r) => {
    if (!o) return;
    const row = new Array<number>(cls.length).fill(0);
    for (const [c, v] of Object.entries(o)) {
      const p = checkProbability(v);
      if (p === undefined) problems.add('values that are not probabilities between 0 and 1', `${where(r)}.${c}: ${JSON.stringify(v)}`);
      const t = index.get(c);
      if (t === undefined) problems.add('probabilities for classes not in "classes"', `${where(r)}: "${c}"`);
      else row[t] = p ?? 0;
    }
    rows[r] = row;
  });
  return finish(cls, paths, rows, where, file, problems);
}
