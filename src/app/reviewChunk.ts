/**
 * The lead's pages, in one lazily loaded chunk: the review page on imported files, and the same
 * on a collection server (the dashboard). One chunk, because they share most of their code, and
 * two would make the bundler move what they share with the annotator page out of the entry into
 * an extra chunk that the annotator page then loads too (App.tsx). A collection server's own root
 * page (for visitors not signed in, the lead's way in) comes with them: it is no annotator page.
 */
export { default as ReviewPage } from '../features/review/ReviewPage.tsx';
export { default as LeadDashboard } from '../features/dashboard/LeadDashboard.tsx';
export { ServerHome } from '../features/collection/ServerHome.tsx';
