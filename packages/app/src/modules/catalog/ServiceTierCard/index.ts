export { ServiceTierCard } from './ServiceTierCard';
export { hasServiceTier, serviceTierView } from './serviceTier';
export type { ServiceTierView } from './serviceTier';
