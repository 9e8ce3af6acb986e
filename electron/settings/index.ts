export * from './schema';
export * from './store';
export { writeFileAtomic } from '../base/atomic-file';
