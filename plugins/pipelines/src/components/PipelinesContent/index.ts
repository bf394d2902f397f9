export { PipelinesContent } from './PipelinesContent';
