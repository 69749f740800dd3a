// The crash scenario's child process opens the store through this module.
import { FilesystemStore } from '../src/index.js';

export async function openStore(location: string): Promise<FilesystemStore> {
  return new FilesystemStore(location);
}
