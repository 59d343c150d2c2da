/**
 * Ctrl-C during a scan: `finish` says what was found so far (it must be synchronous: the process
 * exits right after), then the exit status is 130 as shells expect after SIGINT. A second Ctrl-C
 * while finishing exits at once. Returns a function that removes the handler.
 */
export function onInterrupt(finish: () => void, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  let finishing = false;
  const handler = () => {
    if (finishing) return exit(130);
    finishing = true;
    try {
      finish();
    } finally {
      exit(130);
    }
  };
  process.on("SIGINT", handler);
  return () => {
    process.off("SIGINT", handler);
  };
}
