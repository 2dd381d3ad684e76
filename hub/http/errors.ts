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
