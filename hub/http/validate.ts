/**
 * Request validation with valibot. The first issue becomes a 400 that names the field as a path
 * (`participants[2].email`), so a client can point at exactly what was wrong.
 */
import * as v from 'valibot';
import { HttpError } from './errors.ts';

function pathOf(issue: v.BaseIssue<unknown>): string | undefined {
  if (!issue.path?.length) return undefined;
  let out = '';
  for (const item of issue.path) {
    const key = (item as { key?: unknown }).key;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || undefined;
}

export function parseOr400<S extends v.GenericSchema>(
  schema: S,
  data: unknown,
  where: 'body' | 'query' | 'params',
  code = where === 'body' ? 'invalid_body' : `invalid_${where}`,
): v.InferOutput<S> {
  const result = v.safeParse(schema, data, { abortPipeEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const field = pathOf(issue);
  // An unknown key is reported by strictObject on the object itself with the key as input.
  const unknownKey = issue.kind === 'schema' && issue.type === 'strict_object' && typeof issue.input === 'string';
  const name = field ?? (unknownKey ? String(issue.input) : undefined);
  const message = unknownKey ? `unknown field '${name}'` : name ? `${name}: ${issue.message}` : issue.message;
  throw new HttpError(where === 'params' ? 404 : 400, where === 'params' ? 'not_found' : code, message, name);
}
