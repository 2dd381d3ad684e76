import type { Request, RequestType, Response } from '../../../utils/messaging/protocol';

export type Answers = { [T in RequestType]?: (r: Request<T>) => Response<T> | Promise<Response<T>> };

/** A stand-in for the background: answers the request types a test names, and records every request sent. */
export function fakeSend(answers: Answers) {
  const sent: Request[] = [];
  const send = async <T extends RequestType>(request: Request<T>): Promise<Response<T>> => {
    sent.push(request as Request);
    const answer = answers[request.type] as ((r: Request<T>) => Response<T>) | undefined;
    if (!answer) throw new Error(`unexpected ${request.type}`);
    return answer(request);
  };
  return { send, sent };
}
