/** The enrolment through a study link: only the study's page (StudyEnrol.tsx, a lazily loaded chunk) loads this. */
import { API_PATH } from '../../core/formats/api.ts';
import { enrolAnswerSchema, type EnrolRequest } from '../../core/formats/study.ts';
import { ApiError, failure, parse, readJson, TIMEOUT_MS } from './api.ts';

/**
 * `POST /studies/enrol`: the study link's token is the permission (no Authorization header).
 * The same participant again gets the same annotator and a fresh token.
 */
export async function enrol(request: EnrolRequest, base = ''): Promise<{ annotator: string; token: string }> {
  const path = '/studies/enrol';
  let res: Response;
  try {
    res = await fetch(base + API_PATH + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
      cache: 'no-store',
      signal: AbortSignal.timeout(TIMEOUT_MS.short),
    });
  } catch {
    throw new ApiError('offline', 'the server cannot be reached (offline, or the server is stopped)');
  }
  if (!res.ok) throw await failure('POST', path, res);
  return parse('POST', path, await readJson(res), enrolAnswerSchema);
}
