export { createTracker, NEVER_RETRIED_CODES, retryDelay, retryWait, type Tracker, type TrackerOptions, type TrackerStats, type TrackFailure } from './tracker';
export type { CallStatus, LlmCallInput, RejectedCall, TrackResult } from './contract';
export { uuidv7 } from './uuidv7';
