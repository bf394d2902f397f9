export { catalogModule, serviceTierEntityCard } from './catalogModule';
