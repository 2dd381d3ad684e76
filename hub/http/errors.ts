/** Errors the API answers with: a status, a stable code, a message for people, and the field to blame. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const badRequest = (message: string, field?: string) => new HttpError(400, 'invalid_body', message, field);
export const conflict = (code: string, message: string, field?: string) => new HttpError(409, code, message, field);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);

/** The one JSON shape of every error the hub answers, Fastify's and Node's own included. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

export const errorBody = (code: string, message: string, field?: string): ErrorBody => ({ error: { code, message, ...(field ? { field } : {}) } });

// Fastify's own client errors (body parsing, content type, framework limits), in our words and naming the part of
// the request to blame. Anything not listed keeps its status and gets a generic code.
const FASTIFY_ERRORS: Record<string, { code: string; field?: string; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', field: 'body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', field: 'body', message: 'the body is empty; send a JSON object' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'body_too_large', field: 'body' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', field: 'Content-Type', message: 'send the body as application/json' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'unsupported_media_type', field: 'Content-Type', message: 'send the body as application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid_content_length', field: 'Content-Length' },
  FST_ERR_CTP_INVALID_PARSER: { code: 'unsupported_media_type', field: 'Content-Type' },
  FST_ERR_BAD_URL: { code: 'invalid_url', field: 'url', message: 'the URL is not validly encoded' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'uri_too_long', field: 'url', message: 'a path parameter is longer than any id' },
};

/** A client error Fastify raised, as our status, code, message and field. */
export function fromFastifyError(err: Error & { statusCode?: number; code?: string }): { status: number; body: ErrorBody } {
  const known = err.code ? FASTIFY_ERRORS[err.code] : undefined;
  // JSON.parse's own SyntaxError (and secure-json-parse's prototype-poisoning refusal) come without a code.
  const json = !known && err instanceof SyntaxError;
  const status = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : (err.statusCode ?? 400);
  if (json) return { status, body: errorBody('invalid_json', err.message, 'body') };
  return { status, body: errorBody(known?.code ?? 'bad_request', known?.message ?? err.message, known?.field) };
}
