export * from './events';
export * from './urlLocation';
export * from './components';
export * from './atCommit';
export * from './database';
