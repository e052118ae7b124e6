/**
 * The collection client's screens that the start of the work never shows, in a chunk of their
 * own (CollectionApp.tsx renders them through chunkScreens.tsx): the training feedback (after a
 * training item's submission), the finished screen and the sign-in screen (after the server said
 * so: the network is up each time, and the service worker keeps the chunk for later visits).
 */
export { ServerFinished } from './ServerFinished.tsx';
export { SignInScreen } from './SignInScreen.tsx';
export { TrainingFeedback } from './TrainingFeedback.tsx';
