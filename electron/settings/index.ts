export * from './schema';
export * from './store';
export { writeFileAtomic } from '../agent/atomic-file';
