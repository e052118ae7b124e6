/**
 * The lead's endpoints of `/api/v1` (README "Collection server"), on the client's own `send`,
 * `json` and error kinds (collection/api.ts); answers validated with core/formats/apiLead.ts.
 * Only the dashboard's chunk loads this.
 */
import { API_PATH } from '../../core/formats/api.ts';
import {
  decisionAnswerSchema,
  invitesSchema,
  packAnswerSchema,
  progressSchema,
  revokedSchema,
  type DecisionAnswer,
  type Invite,
  type PackAnswer,
  type Progress,
} from '../../core/formats/apiLead.ts';
import { comparisonReportSchema, type ComparisonReport } from '../../core/formats/comparisonReport.ts';
import { qualitySchema, qualityThresholdsSchema, type Quality, type QualityThresholds } from '../../core/formats/quality.ts';
import { ApiError, failure, json, parse, parseJson, send, TIMEOUT_MS, type Connection } from '../collection/api.ts';
import {
  participantsAnswerSchema,
  previewAnswerSchema,
  studiesAnswerSchema,
  studyAnswerSchema,
  type ParticipantRow,
  type PreviewAnswer,
  type Study,
  type StudyCreate,
  type StudyPatch,
} from '../../core/formats/studyLead.ts';

export const progress = (c: Connection): Promise<Progress> => json(c, 'GET', '/progress', progressSchema);

export const pack = (c: Connection): Promise<PackAnswer> => json(c, 'GET', '/pack', packAnswerSchema);

/** `GET /export/comparison`: the comparison report of the server's records (core's engine, as `richhf compare`). */
export const comparison = (c: Connection): Promise<ComparisonReport> => json(c, 'GET', '/export/comparison', comparisonReportSchema, { timeoutMs: TIMEOUT_MS.export });

export async function invite(c: Connection, annotators: readonly string[]): Promise<Invite[]> {
  return (await json(c, 'POST', '/invites', invitesSchema, { body: { annotators } })).invites;
}

export async function revoke(c: Connection, annotator: string): Promise<void> {
  await json(c, 'DELETE', `/invites/${encodeURIComponent(annotator)}`, revokedSchema);
}

export const studies = async (c: Connection): Promise<Study[]> => (await json(c, 'GET', '/studies', studiesAnswerSchema)).studies;

export const createStudy = async (c: Connection, body: StudyCreate): Promise<Study> => (await json(c, 'POST', '/studies', studyAnswerSchema, { body })).study;

export const previewStudy = async (c: Connection, id: string): Promise<PreviewAnswer> => json(c, 'POST', `/studies/${encodeURIComponent(id)}/preview`, previewAnswerSchema);

export const patchStudy = async (c: Connection, id: string, body: StudyPatch): Promise<Study> =>
  (await json(c, 'PATCH', `/studies/${encodeURIComponent(id)}`, studyAnswerSchema, { body })).study;

/** The participants export as JSON (the dashboard's table shows the same figures). */
export const participants = async (c: Connection): Promise<ParticipantRow[]> => (await json(c, 'GET', '/export/participants', participantsAnswerSchema)).participants;

/** A lead's download: an annotator's `richhf-annotations` file, the dataset the server builds, or its Parquet files with the images (a ZIP). */
export async function download(c: Connection, what: { annotator: string } | 'dataset' | 'parquet' | 'participants', signal?: AbortSignal): Promise<Blob> {
  const path =
    what === 'dataset'
      ? '/export/dataset'
      : what === 'parquet'
        ? '/export/parquet'
        : what === 'participants'
          ? '/export/participants?format=csv'
          : `/export/annotations?annotator=${encodeURIComponent(what.annotator)}`;
  const res = await send(c, 'GET', path, { timeoutMs: TIMEOUT_MS.export, signal });
  try {
    return await res.blob();
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError('offline', `the download of ${path} was cut off`);
  }
}

/**
 * Calls `onProgress` with each event of the live progress stream until the stream ends
 * (resolves) or fails (rejects). EventSource cannot send the Authorization header, so the
 * stream is read with fetch.
 */
export async function progressStream(c: Connection, onProgress: (p: Progress) => void, signal: AbortSignal): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${c.base ?? ''}${API_PATH}/progress/stream`, { headers: { Authorization: `Bearer ${c.token}`, Accept: 'text/event-stream' }, cache: 'no-store', signal });
  } catch (e) {
    if (signal.aborted) throw e;
    throw new ApiError('offline', 'the server cannot be reached (offline, or the server is stopped)');
  }
  if (res.status < 500) c.onAnswer?.();
  if (!res.ok) throw await failure('GET', '/progress/stream', res);
  if (!res.body) throw new ApiError('invalid', 'GET /progress/stream: the answer has no body');
  await readEvents(res.body, (event, data) => {
    if (event === 'progress') onProgress(parse('GET', '/progress/stream', parseJson(data), progressSchema));
  });
}

/**
 * Server-Sent Events from a byte stream: calls `onEvent(event, data)` for each event (data lines
 * joined with newlines, `message` when no event name), until the stream ends. A cut connection
 * rejects as 'offline'.
 */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: string, data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  // A CR at the end of a chunk may be the first half of a CRLF: it waits for the next chunk.
  let cr = '';
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw new ApiError('offline', 'the live progress stream was cut off');
    }
    if (chunk.done) return;
    let text = cr + decoder.decode(chunk.value, { stream: true });
    cr = text.endsWith('\r') ? '\r' : '';
    if (cr) text = text.slice(0, -1);
    buffer += text.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) onEvent(event, data.join('\n'));
    }
  }
}

/** `GET /quality`: the core model on the server's records, with the lead's thresholds. */
export const quality = (c: Connection): Promise<Quality> => json(c, 'GET', '/quality', qualitySchema);

export async function saveThresholds(c: Connection, thresholds: QualityThresholds): Promise<void> {
  await json(c, 'PUT', '/quality/thresholds', qualityThresholdsSchema, { body: thresholds });
}

/** Reject (with a reason) or accept an annotator. */
export async function decide(c: Connection, annotator: string, action: 'reject' | 'accept', reason?: string): Promise<DecisionAnswer> {
  return json(c, 'POST', `/annotators/${encodeURIComponent(annotator)}/${action}`, decisionAnswerSchema, { body: reason === undefined ? {} : { reason } });
}
