/** What a failed file operation on a folder means, as the end of a sentence naming that folder. */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `is not writable by this user (uid ${process.getuid?.() ?? '?'})`;
    case 'EROFS':
      return 'is on a read-only file system';
    case 'ENOTDIR':
      return 'cannot be reached: part of its path is a file, not a folder';
    case 'ENOENT':
      return 'cannot be reached: part of its path does not exist';
    case 'ENOSPC':
      return 'is on a disk with no space left';
    case 'ELOOP':
      return 'cannot be reached: its path has a loop of symbolic links';
    default:
      return `cannot be used (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}
