/**
 * The parameters of a crowd study's link, read by the page as it starts: no schemas here (this
 * is in the annotator page's entry, which has a size budget); what they hold is validated by
 * study.ts's schemas where it enters, in the enrolment request.
 */

/** The platform's parameters kept on the participant's record (study.ts platformSchema checks them). */
export type StudyLinkPlatform = Partial<Record<'PROLIFIC_PID' | 'STUDY_ID' | 'SESSION_ID' | 'workerId' | 'assignmentId' | 'hitId', string>>;

/**
 * What the study link carries (`get` reads one URL parameter, e.g. URLSearchParams.get): `?study=TOKEN` and the platform's parameters. `participant` is
 * Prolific's PROLIFIC_PID, else MTurk's workerId, else the generic `participant`; undefined
 * when none is there (the page then asks for an id). MTurk's preview sends
 * `assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE` without a worker: no participant then either.
 */
export function studyLinkParameters(get: (name: string) => string | null): { study: string; participant: string | undefined; platform: StudyLinkPlatform } | undefined {
  const study = get('study');
  if (study === null || study === '') return undefined;
  const platform: Record<string, string> = {};
  for (const key of ['PROLIFIC_PID', 'STUDY_ID', 'SESSION_ID', 'workerId', 'assignmentId', 'hitId'] as const) {
    const value = get(key);
    if (value !== null && value !== '') platform[key] = value;
  }
  const generic = get('participant');
  const participant = platform.PROLIFIC_PID ?? platform.workerId ?? (generic !== null && generic !== '' ? generic : undefined);
  return { study, participant, platform };
}

/** The study parameters, to take off the address bar once read. */
export const STUDY_LINK_PARAMETERS = ['study', 'participant', 'PROLIFIC_PID', 'STUDY_ID', 'SESSION_ID', 'workerId', 'assignmentId', 'hitId', 'turkSubmitTo'] as const;
