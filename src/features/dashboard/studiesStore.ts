/**
 * The dashboard's crowd studies: the list, the participants (the same rows as the participants
 * export), and the study links made in this visit (the server keeps only a link's hash, so a
 * link is shown when it is made: on creation, or with "New link"). Refreshed when the panel
 * opens and after each change of progress (an enrolment or a submission changes it), one
 * refresh at a time.
 */
import { create } from 'zustand';
import type { ParticipantRow, Study, StudyCreate, StudyPatch } from '../../core/formats/studyLead.ts';
import { createStudy as postStudy, participants as fetchParticipants, patchStudy, previewStudy as postPreview, studies as fetchStudies } from './leadApi.ts';
import { act, leadConnection } from './leadStore.ts';

interface StudiesState {
  readonly studies: readonly Study[] | null;
  readonly participants: readonly ParticipantRow[];
  /** Study id -> its link, for links made in this visit. */
  readonly links: Readonly<Record<string, string>>;
  /** Why the last refresh failed (null: it did not). */
  readonly problem: string | null;
}

export const useStudiesStore = create<StudiesState>()(() => ({ studies: null, participants: [], links: {}, problem: null }));
const set = useStudiesStore.setState;

let refreshing = false;
let again = false;

export async function refreshStudies(): Promise<void> {
  const conn = leadConnection();
  if (!conn) return;
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = true;
  try {
    const [studies, participants] = await Promise.all([fetchStudies(conn), fetchParticipants(conn)]);
    set({ studies, participants, problem: null });
  } catch (e) {
    set({ problem: e instanceof Error ? e.message : String(e) });
  } finally {
    refreshing = false;
  }
  if (again) {
    again = false;
    await refreshStudies();
  }
}

function madeLink(study: Study): void {
  if (study.url !== undefined) set((s) => ({ links: { ...s.links, [study.id]: study.url! } }));
}

export function createStudy(body: StudyCreate): Promise<boolean> {
  return act('The study could not be created', async (conn) => {
    madeLink(await postStudy(conn, body));
    await refreshStudies();
  });
}

export function changeStudy(id: string, patch: StudyPatch): Promise<boolean> {
  return act('The study could not be changed', async (conn) => {
    madeLink(await patchStudy(conn, id, patch));
    await refreshStudies();
  });
}

/**
 * The lead's preview of a study (README "Running a crowd study"): a participant of their own
 * (`preview-N`) whose work never counts, opened in `tab` (a tab opened by the click itself, so
 * no pop-up blocker stops it). The link, or null when the server refused (the problem is shown).
 */
export async function previewStudy(id: string, tab: Window | null): Promise<string | null> {
  let url: string | null = null;
  await act('The preview could not be made', async (conn) => {
    url = (await postPreview(conn, id)).url;
  });
  if (url !== null && tab) {
    tab.opener = null;
    tab.location.href = url;
  } else tab?.close();
  return url;
}
