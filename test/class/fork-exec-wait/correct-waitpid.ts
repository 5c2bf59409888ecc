export default async function main(sys: any, argv: string[]) {
  const command = argv.length > 0 ? argv : ['ls'];
  const pid = await sys.fork().catch(() => -1);
  if (pid < 0) {
    await sys.write(2, 'Fork Failed\n');
    return 1;
  }
  if (pid === 0) {
    await sys.exec(command[0], command.slice(1)).catch(async () => {
      await sys.write(2, 'Exec Failed\n');
      await sys.exit(1);
    });
  }
  await sys.waitpid(pid);
  await sys.print('Child Complete');
}
