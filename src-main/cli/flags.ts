// Command-line flags are parsed by the contract's own schemas, so the CLI accepts exactly what
// the app accepts and says why in the same words; only the text → value step lives here.
import type { z } from 'zod';
import { CliError } from './output';

/** A numeric flag's value: absent stays absent; anything else goes to the schema as a number (NaN is refused there). */
export function numberFlag(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}

/**
 * Parses `input` with a contract schema; the first problem becomes one line naming the flag.
 * `flags` names the flag for a field path where it is not the field's own spelling
 * (e.g. `split.seed` → `seed`).
 */
export function parseFlags<S extends z.ZodType>(schema: S, input: unknown, flags: Record<string, string> = {}): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map(String);
  const override = flags[path.join('.')];
  if (override) throw new CliError(`--${override}: ${issue.message}`);
  const [field = 'arguments', ...inner] = path;
  throw new CliError(`--${flags[field] ?? flagName(field)}: ${inner.length ? `${inner.join('.')} ` : ''}${issue.message}`);
}

/** The command-line spelling of a contract field (appearanceWeight → appearance-weight). */
function flagName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
