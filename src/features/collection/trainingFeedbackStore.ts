/**
 * Feedback on training items waiting to be shown (issue 17). The reference of a training item
 * comes only with the server's acknowledgement of its submission (nothing before Submit may tell
 * a gold item apart), so it arrives when the outbox delivers it: at once when the server
 * answers, later when the submission waited (offline, the server away). Meanwhile the annotator
 * works on; the feedback opens over the work when it arrives, oldest first, and Continue goes
 * back to where they were.
 */
import { create } from 'zustand';
import type { ServerItem, TrainingFeedback } from '../../core/formats/api.ts';
import type { RatingRecord } from '../../core/formats/index.ts';

export interface FeedbackToShow {
  readonly item: ServerItem;
  /** The annotator's answer, as acknowledged. */
  readonly record: RatingRecord;
  readonly reference: TrainingFeedback['reference'];
}

export const useTrainingFeedbackStore = create<{ readonly queue: readonly FeedbackToShow[] }>(() => ({ queue: [] }));

export function feedbackArrived(f: FeedbackToShow): void {
  useTrainingFeedbackStore.setState((s) => ({ queue: [...s.queue.filter((q) => q.item.id !== f.item.id), f] }));
}

/** Continue: the next feedback waiting, or back to the work. */
export function feedbackSeen(): void {
  useTrainingFeedbackStore.setState((s) => ({ queue: s.queue.slice(1) }));
}
