/**
 * How the page starts. A token in the address (`?invite=TOKEN` for an annotator, `?lead=TOKEN`
 * for the project lead) is taken out of the address bar and the history entry at once
 * (history.replaceState) and kept in storage; otherwise a sign-in kept from before is used;
 * otherwise the page is the static, file-based app. `?pack=` or `?annotator=` ask for the static
 * mode explicitly, and win over a kept annotator sign-in. A crowd study's link
 * (`?study=TOKEN&PROLIFIC_PID=…`) is taken off the address bar the same way; the page then
 * enrols (StudyEnrol.tsx) and goes on as the annotator the server made for the participant.
 */
import { tokenSchema } from '../../core/formats/api.ts';
import { STUDY_LINK_PARAMETERS, studyLinkParameters, type StudyLinkPlatform } from '../../core/formats/studyLink.ts';
import type { AnnotatorSignIn, LeadSignIn } from '../../storage/records/signIn.ts';
import { loadAnnotatorSignIn, loadLeadSignIn, saveAnnotatorSignIn, saveLeadSignIn } from '../../storage/signIn.ts';

export interface StartMode {
  /** Work for the collection server as this annotator (null: the static mode). */
  readonly annotator: AnnotatorSignIn | null;
  /** The review page reads the collection server with this lead token (null: imported files). */
  readonly lead: LeadSignIn | null;
  /** An invite token in the address that is not one: what to tell the annotator. */
  readonly badInvite: string | null;
  /** The same for the lead's link. */
  readonly badLead: string | null;
  /** `?pack=` or `?annotator=`: the static app, asked for explicitly (even on a collection server). */
  readonly staticMode: boolean;
  /** A crowd study's link, to enrol through (null: none in the address). */
  readonly study: StudyLink | null;
}

export interface StudyLink {
  readonly token: string;
  /** From the platform's parameters; undefined: the page asks for it. */
  readonly participant: string | undefined;
  readonly platform: StudyLinkPlatform;
}

interface UrlTokens {
  readonly invite: string | null;
  readonly lead: string | null;
  readonly staticMode: boolean;
  readonly study: StudyLink | null;
}

/** Reads the tokens from the address and removes them from it (and from this history entry). */
function takeTokensFromUrl(): UrlTokens {
  const url = new URL(window.location.href);
  const q = url.searchParams;
  const link = studyLinkParameters((name) => q.get(name));
  const study = link ? { token: link.study, participant: link.participant, platform: link.platform } : null;
  const tokens = { invite: q.get('invite'), lead: q.get('lead'), staticMode: q.has('pack') || q.has('annotator'), study };
  if (tokens.invite === null && tokens.lead === null && study === null) return tokens;
  q.delete('invite');
  q.delete('lead');
  if (study) for (const name of STUDY_LINK_PARAMETERS) q.delete(name);
  // The lead's link opens the review page, whatever its hash says.
  if (tokens.lead !== null && !url.hash.startsWith('#/review')) url.hash = '#/review';
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  return tokens;
}

const badLinkMessage = (what: string, why: string) => `This ${what} link is damaged (its token ${why}): open the link exactly as it was sent, or ask for a new one.`;

/** Taken as this module loads, before the first render: a token never stays in the address bar. */
const fromUrl = takeTokensFromUrl();

/**
 * Which way of working the address alone says, before the kept sign-in is read (null: it does not
 * say): App.tsx starts loading that chunk at once. An invite wins over `?pack=`/`?annotator=`, as in
 * readStartMode; the review page (`#/review`) is neither.
 */
export function startModeHint(): 'static' | 'server' | null {
  if (window.location.hash.startsWith('#/review')) return null;
  if (fromUrl.invite !== null || fromUrl.study !== null) return 'server';
  return fromUrl.staticMode ? 'static' : null;
}

export async function readStartMode(): Promise<StartMode> {
  let badInvite: string | null = null;
  let badLead: string | null = null;
  const keep = (p: Promise<void>) => p.catch((e: unknown) => console.warn('richhf: the sign-in could not be kept in this browser', e));

  let lead = await loadLeadSignIn().catch(() => null);
  if (fromUrl.lead !== null) {
    const t = tokenSchema.safeParse(fromUrl.lead);
    if (t.success) {
      lead = { version: 1, token: t.data };
      await keep(saveLeadSignIn(lead));
    } else badLead = badLinkMessage("project lead's", t.error.issues[0]?.message ?? 'is not valid');
  }

  let annotator = await loadAnnotatorSignIn().catch(() => null);
  if (fromUrl.invite !== null) {
    const t = tokenSchema.safeParse(fromUrl.invite);
    if (t.success) {
      if (annotator?.token !== t.data) annotator = { version: 1, token: t.data, held: [] };
      await keep(saveAnnotatorSignIn(annotator));
    } else badInvite = badLinkMessage('invite', t.error.issues[0]?.message ?? 'is not valid');
  } else if (fromUrl.staticMode) annotator = null;
  return { annotator, lead, badInvite, badLead, staticMode: fromUrl.staticMode, study: fromUrl.study };
}
