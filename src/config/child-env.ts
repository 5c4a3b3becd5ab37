/**
 * The environment of a `vigil` child process this one starts (`vigil bench
 * pipeline` starts `vigil worker`s): this process's environment without the
 * variables `drop` matches, with `set` on top, so the child reads its config
 * the same way and only the keys given differ. Reads process.env, as only
 * src/config does.
 */
export function childProcessEnv(set: Readonly<Record<string, string>>, drop: RegExp): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!drop.test(k)) env[k] = v;
  return { ...env, ...set };
}
