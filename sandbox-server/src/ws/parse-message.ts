import { ClientMessage, type ErrorCode, isSourceTooLargeIssue, MAX_SOURCE_BYTES } from '@jaillab/protocol';
import type { RawData } from 'ws';

export type ParsedMessage = { ok: true; msg: ClientMessage } | { ok: false; code: ErrorCode; message: string; requestId?: string };

/** The requestId of a message that failed validation, if it has a usable one: the error reply can still be matched. */
function salvageRequestId(json: unknown): string | undefined {
  const id = (json as { requestId?: unknown } | null)?.requestId;
  return typeof id === 'string' && id.length > 0 ? id.slice(0, 64) : undefined;
}

/**
 * One incoming socket message, validated against the protocol. Anything that
 * is not a valid message becomes the error to answer with; an oversized
 * source — a run's, a save's or a shell's — is `source-too-large`, so the
 * browser can say so in words.
 */
export function parseClientMessage(data: RawData, isBinary: boolean): ParsedMessage {
  if (isBinary) return { ok: false, code: 'bad-message', message: 'binary messages are not accepted: send JSON text' };
  let json: unknown;
  try {
    json = JSON.parse(data.toString());
  } catch {
    return { ok: false, code: 'bad-message', message: 'not valid JSON' };
  }
  const parsed = ClientMessage.safeParse(json);
  if (parsed.success) return { ok: true, msg: parsed.data };
  const requestId = salvageRequestId(json);
  const tooLarge = parsed.error.issues.find(isSourceTooLargeIssue);
  if (tooLarge) return { ok: false, code: 'source-too-large', message: `your program is larger than ${MAX_SOURCE_BYTES >> 10} KiB`, ...(requestId ? { requestId } : {}) };
  const issue = parsed.error.issues[0];
  return { ok: false, code: 'bad-message', message: issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid message', ...(requestId ? { requestId } : {}) };
}
