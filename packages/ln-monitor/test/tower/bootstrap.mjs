// Child process entry: registers tsx's loader, then runs the TypeScript tower.
import { register } from 'tsx/esm/api';
register();
await import('./tower-process.ts');
