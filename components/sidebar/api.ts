import type { Request, RequestType, Response } from '../../utils/messaging/protocol';

/**
 * How the sidebar talks to the background: the messaging client's `sendMessage` in the content script, a fake
 * in tests. The sidebar never calls the hub and never sees the token.
 */
export type Send = <T extends RequestType>(request: Request<T>) => Promise<Response<T>>;
