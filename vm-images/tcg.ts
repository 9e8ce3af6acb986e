/**
 * QEMU's `-accel` value under TCG, for the product's launcher and the tests' alike.
 *
 * `thread=single`: one host thread runs the vCPUs in turn. Multi-threaded TCG races the guest kernel's live text
 * patching: a static key flipped on one vCPU (a container start flips several: the cpuset and cgroup-BPF keys)
 * leaves a transient int3 that the other vCPU, still running its old translation, executes with no patch in
 * progress, and the kernel dies with `Oops: int3` (seen at boot about once in 25, and three times in two CI runs at
 * container starts). Measured on 2 cores, 30 container starts each: boot 18.7 s against 17.2 s, container starts
 * 6.7 s against 7.3 s (noise), two busy loops in parallel 27 s against 16 s. The guest still sees every vCPU.
 * tb-size: a 256 MiB translation cache, so a booted engine's code is not retranslated.
 */
export const TCG_ACCEL = 'tcg,thread=single,tb-size=256';
