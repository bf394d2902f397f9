export { DurationTrend } from './DurationTrend';
