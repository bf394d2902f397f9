export {
  catalogModule,
  relationsGraphEntityCard,
  serviceTierEntityCard,
} from './catalogModule';
