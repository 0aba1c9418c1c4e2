// Module hooks that let Node 20 load pose-format 1.6.2 as published. Its dist/index.js is an ES module that
// imports "./parser" (no extension), which Node's ES module resolver refuses (ERR_MODULE_NOT_FOUND; bundlers
// accept it), and its package.json declares no "type", so a Node 20 older than 20.19 would also take the
// files for CommonJS. The resolve hook retries such a relative import with ".js"; the load hook reads
// pose-format's dist files as ES modules. Registered by read-pose.mjs before it imports pose-format.
const POSE_FORMAT_DIST = '/node_modules/pose-format/dist/';

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (e) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if (e && e.code === 'ERR_MODULE_NOT_FOUND' && relative && !/\.[cm]?js$/.test(specifier)
        && context.parentURL && context.parentURL.includes(POSE_FORMAT_DIST)) {
      return nextResolve(specifier + '.js', context);
    }
    throw e;
  }
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && url.includes(POSE_FORMAT_DIST) && url.endsWith('.js')) {
    return nextLoad(url, { ...context, format: 'module' });
  }
  return nextLoad(url, context);
}
