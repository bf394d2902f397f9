export { LatestRunCard } from './LatestRunCard';
