// One rule for what a label may be, used by import, relabelling and the UI.
export const MAX_LABEL_LENGTH = 1000;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export type LabelCheck = { ok: true; label: string | null } | { ok: false; reason: string };

/** Normalises a label: surrounding whitespace trimmed, empty means unlabelled. */
export function checkLabel(raw: string | null | undefined): LabelCheck {
  if (raw === null || raw === undefined) return { ok: true, label: null };
  const label = raw.normalize('NFC').trim();
  if (label === '') return { ok: true, label: null };
  if (CONTROL.test(label)) return { ok: false, reason: 'label contains control characters' };
  if (label.length > MAX_LABEL_LENGTH) return { ok: false, reason: `label is longer than ${MAX_LABEL_LENGTH} characters` };
  return { ok: true, label };
}
