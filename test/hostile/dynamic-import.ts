/**
 * Attempts: to load Node's child_process module with a dynamic `import()` and run a shell.
 * Must: be refused at compile time: status `compile-error`, no marks.
 */
export default async function main(sys: any) {
  const { execSync } = await import('child_process');
  await sys.print(String(execSync('cat exercises/pipe-message/solution.ts')));
}
