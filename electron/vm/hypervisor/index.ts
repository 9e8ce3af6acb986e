export * from './types';
export * from './qemu';
export * from './vfkit';
export * from './accel';
