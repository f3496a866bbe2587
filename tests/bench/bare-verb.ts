/** The bare app's one Action.Execute verb (shared by the bare app and the load generator). */
export const BARE_VERB = 'bench.static';
