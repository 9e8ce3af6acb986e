export * from './schema';
export * from './store';
export { writeFileAtomic } from './atomic-write';
