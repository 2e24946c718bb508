import { setFlagsFromString } from 'node:v8';

// V8 settings of the service's processes, imported first by each entry point (ES modules evaluate
// their imports in order, so this runs before the rest of the service is loaded).
//
// Count the memory behind Buffers (socket reads, file chunks) against V8's whole-heap limit instead
// of a fixed 64 MB step. With the step, every 64 MB received started a full mark-compact of the
// service's ~40 MB heap: ~40 full collections per GiB uploaded, about half the upload time
// (bench/README.md). Node refuses this flag in NODE_OPTIONS, so the entry points set it.
setFlagsFromString('--external-memory-accounted-in-global-limit');
