// SPDX-License-Identifier: Apache-2.0
/**
 * Request/response over a forked child's IPC channel: the orchestrator calls a command, the
 * child answers it. Shared by run.mjs (caller) and relay.mjs / load.mjs (servers).
 */

/** In a child: answers `{ id, cmd, ...args }` with `{ id, result }` or `{ id, error }`. */
export function serveCommands(handlers) {
  // The orchestrator is gone (finished, failed or interrupted): so is the reason to run.
  process.on('disconnect', () => process.exit(0));
  process.on('message', async ({ id, cmd, ...args }) => {
    try {
      const result = await handlers[cmd](args);
      process.send({ id, result });
    } catch (error) {
      process.send({ id, error: String(error?.stack ?? error) });
    }
  });
}

/** In the parent: `call(cmd, args)` resolves with the child's answer, rejects if it dies first. */
export function commandClient(child, label) {
  let next = 0;
  const pending = new Map();
  child.on('message', ({ id, result, error }) => {
    const waiter = pending.get(id);
    if (!waiter) return;
    pending.delete(id);
    if (error) waiter.reject(new Error(`${label}: ${error}`));
    else waiter.resolve(result);
  });
  child.on('exit', (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${label} exited (${signal ?? code})`));
    pending.clear();
  });
  return (cmd, args = {}) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, ...args });
    });
}
