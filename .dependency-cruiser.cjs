/**
 * The folders of src/ are the stages of the pipeline, lowest first. A folder may import from the
 * folders before it, never from one after it or beside it on the same line: so there is no import
 * cycle between folders, and `ls src/` reads in pipeline order. `npm run lint` runs these rules.
 */
const LAYERS = [
  ['diagnostics'],
  ['shared'],
  ['source'],
  ['ir'],
  ['scenarios'],
  ['compile'],
  ['views', 'trace'],
  ['targets'],
  ['render'],
  ['project'],
  ['docs', 'conform', 'preview'],
  ['cli'],
];

const layerRules = LAYERS.flatMap((folders, level) => {
  const notBelow = LAYERS.slice(level).flat();
  return folders.map((folder) => ({
    name: `${folder}-imports-only-earlier-stages`,
    comment: `src/${folder} may import only from ${LAYERS.slice(0, level).flat().join(', ') || 'no other folder'} (pipeline order: ${LAYERS.map((l) => l.join('+')).join(' → ')})`,
    severity: 'error',
    from: { path: `^src/${folder}/` },
    to: { path: `^src/(${notBelow.filter((f) => f !== folder).join('|')})/` },
  }));
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'No module imports itself through others at run time (types may refer to each other).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'every-folder-has-a-stage',
      comment: 'A new folder under src/ needs its place in LAYERS (.dependency-cruiser.cjs).',
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: `^src/(${LAYERS.flat().join('|')})/` },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
